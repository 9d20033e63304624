-- Mutes (docs/protocol.md, "Membership and roles"): a muted member sends and edits nothing in the
-- room until muted_until. Kept on the member's row, which the batched write of messages reads for
-- every message anyway (R__persist_messages.sql), so checking it costs no extra probe. Null, or a
-- time past: not muted. A mute ends by itself; the column is not cleared then.

ALTER TABLE room_members ADD COLUMN muted_until timestamptz;
