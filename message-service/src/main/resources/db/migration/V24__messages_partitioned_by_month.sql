-- Messages partitioned by month of created_at (docs/architecture.md, "Partitioned messages"), so that
-- retention drops a month whole instead of deleting its rows, and a month's indexes stay the size of
-- a month. One partition per UTC month (messages_yYYYYmMM), made MESSAGE_PARTITIONS_AHEAD months ahead
-- by PartitionsJob, and messages_default for whatever falls outside them.
--
-- A unique index of a partitioned table must hold the partition key, so what was unique before is
-- now guaranteed otherwise:
-- - (room_id, seq): the primary key becomes (room_id, seq, created_at). Every seq is taken from
--   rooms.last_seq by the UPDATE that holds the room's row lock (persist_messages, Sql.SYSTEM_MESSAGE):
--   a room's seqs are handed out once each, whatever month their messages land in.
-- - (room_id, client_msg_id), the idempotency key: kept in its own table, message_client_ids, whose
--   primary key keeps the constraint name messages_client_msg_id. persist_messages inserts a row there
--   with each new message, so a retried send fails on it as before, whichever month the first send
--   is in, and takes the checked path (which finds the first send by its seq). Messages stored by the
--   system with a random client id (room changes) get none from now on: nothing retries them.
-- - id: a plain index. Ids are random (version 4) UUIDs made by message-service.
-- - message_reactions.message_id no longer references messages (a foreign key to a partitioned
--   table needs the partition key): whoever deletes messages deletes their reactions and keys too
--   (RetentionJob, Sql.DELETE_ROOM, PartitionsJob).
--
-- The rows move in this migration's transaction, under an exclusive lock of messages: about as long
-- as V18's rewrite (run it in a quiet hour).

ALTER TABLE message_reactions DROP CONSTRAINT IF EXISTS message_reactions_message_id_fkey;

ALTER TABLE messages RENAME TO messages_unpartitioned;
ALTER TABLE messages_unpartitioned RENAME CONSTRAINT messages_client_msg_id TO messages_unpartitioned_client_msg_id;

CREATE TABLE messages (LIKE messages_unpartitioned INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING STORAGE)
  PARTITION BY RANGE (created_at);

CREATE TABLE messages_default PARTITION OF messages DEFAULT;

-- The months of the existing messages, and three ahead (the job makes more).
DO $$
DECLARE
  first_month timestamptz;
  last_month timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '3 months';
  m timestamptz;
BEGIN
  SELECT date_trunc('month', min(created_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' INTO first_month FROM messages_unpartitioned;
  m := least(coalesce(first_month, last_month), date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
  WHILE m <= last_month LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF messages FOR VALUES FROM (%L) TO (%L)',
        to_char(m AT TIME ZONE 'UTC', '"messages_y"YYYY"m"MM'), m, m + interval '1 month');
    m := m + interval '1 month';
  END LOOP;
END
$$;

INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta, created_at,
                      edited_at, deleted, reactions_version, attachments, mentions)
SELECT room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta, created_at,
       edited_at, deleted, reactions_version, attachments, mentions
  FROM messages_unpartitioned;

CREATE TABLE message_client_ids (
  room_id       text COLLATE "C" NOT NULL,
  client_msg_id text COLLATE "C" NOT NULL,
  seq           bigint NOT NULL,
  CONSTRAINT messages_client_msg_id PRIMARY KEY (room_id, client_msg_id)
);
INSERT INTO message_client_ids (room_id, client_msg_id, seq)
SELECT room_id, client_msg_id, seq FROM messages_unpartitioned;

DROP TABLE messages_unpartitioned;

-- V1, V13, V14, V18 and V20's indexes, on every partition.
ALTER TABLE messages ADD CONSTRAINT messages_pkey PRIMARY KEY (room_id, seq, created_at);
CREATE INDEX messages_by_id ON messages (id);
CREATE INDEX messages_body_tsv ON messages USING gin (body_tsv) WHERE NOT deleted;
CREATE INDEX messages_replies ON messages (room_id, reply_to, seq) WHERE reply_to IS NOT NULL;
CREATE INDEX messages_mentions ON messages USING gin (mentions jsonb_path_ops) WHERE mentions IS NOT NULL;
CREATE INDEX messages_mentioning ON messages (room_id, seq) WHERE mentions IS NOT NULL;
