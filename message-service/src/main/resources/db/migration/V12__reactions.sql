-- Reactions (docs/protocol.md, "Reactions"): one row per user, message and emoji, so a repeated
-- reaction is no change. The primary key serves the message's summary (grouped by emoji) and the
-- check of a user's own reaction. The message's reactions_version counts its changes, bumped under
-- the message's row lock, so clients can order two changes' events; 0 (never reacted) lets readers
-- skip the summary for most messages.

CREATE TABLE message_reactions (
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji      text COLLATE "C" NOT NULL,
  user_id    text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, emoji, user_id)
);

ALTER TABLE messages ADD COLUMN reactions_version integer NOT NULL DEFAULT 0;
