-- Threads (docs/protocol.md, "Threads"): a message's thread is the messages whose reply_to is its id,
-- in its room. This index serves a thread's pages and its summary (count, last reply) per message
-- read; partial, so messages that reply to nothing cost it nothing.

CREATE INDEX messages_replies ON messages (room_id, reply_to, seq) WHERE reply_to IS NOT NULL;
