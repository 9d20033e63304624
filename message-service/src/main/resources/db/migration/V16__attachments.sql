-- Attachments (docs/protocol.md, "Attachments"). A row per upload, made by create-upload: who
-- uploads what into which room, the declared size and type, and until when the upload may come
-- (the local store's upload token is kept as its SHA-256 only). Checked and completed (attached_at,
-- the real size, an image's dimensions and thumbnail) the first time a message attaches it.
--
-- A message's attachments are stored as their descriptors in messages.attachments (jsonb, NULL for
-- most messages), written by the batched write with the message: history, missed and search read
-- them with the row, at no extra cost, where a join table would add a lookup per page read. A
-- descriptor never changes once attached, so the copy never goes stale; deleting a message clears it.

CREATE TABLE attachments (
  id           uuid PRIMARY KEY,
  tenant_id    text NOT NULL,
  room_id      text NOT NULL,
  uploader_id  text NOT NULL,
  name         text NOT NULL,
  content_type text NOT NULL,
  size         bigint NOT NULL,
  upload_token bytea,
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  attached_at  timestamptz,
  width        integer,
  height       integer,
  thumbnail    boolean NOT NULL DEFAULT false
);

ALTER TABLE messages ADD COLUMN attachments jsonb;
