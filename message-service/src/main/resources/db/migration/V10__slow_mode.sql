-- Slow mode (docs/protocol.md, "Membership and roles"): a member of a room in slow mode posts at most
-- one message per slow_mode_seconds (0: off; at most 6 hours). The batched write of messages
-- (R__persist_messages.sql) reads the room's row and the member's row anyway; it keeps when a member
-- last posted in last_sent_at, in slow mode only, so a room without slow mode writes nothing more.

ALTER TABLE rooms ADD COLUMN slow_mode_seconds int NOT NULL DEFAULT 0
  CONSTRAINT rooms_slow_mode_seconds_check CHECK (slow_mode_seconds BETWEEN 0 AND 21600);
ALTER TABLE room_members ADD COLUMN last_sent_at timestamptz;
