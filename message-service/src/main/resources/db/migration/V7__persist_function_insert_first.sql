-- persist_messages inserts first and looks for earlier sends only when the insert meets one; it
-- touches each room row once; messages carry no per-row foreign key check.
--
-- Why: in the durable benchmark Postgres was the largest consumer of CPU (45 us per message of
-- about 100 us for the whole machine), and three parts of V5's function did work twice:
-- - every message was looked up by (room, client message id) before its insert, whose unique
--   check then walked the same index again, although retries are rare;
-- - every room was locked by one statement and then found again and updated by another;
-- - the foreign key messages.room_id -> rooms checked and share-locked the room of each inserted
--   row, one trigger call per message, although the function inserts only into rooms it has
--   found and locked, and no path deletes a room.
-- Timed in a loop of 400 batches of 74 messages into 1,000 rooms (the benchmark's batches), on a
-- table of 300k messages, each change alternated with the version before it: without the foreign
-- key Postgres needed about 12 % less time, touching each room once 6-11 % less again, and the
-- insert-first path 11-18 % less again.
--
-- The contract stays V5's: one round trip, gapless per-room seq, every duplicate found, rooms
-- locked in id order (an index scan over `id = ANY(...)` visits the ids sorted, so two writers of
-- the same rooms cannot deadlock).
-- - persist_messages tries the batch as all new. If any message of it is stored already, its
--   insert fails on messages_client_msg_id; the block's subtransaction rolls back everything the
--   attempt did (seqs reserved included) and persist_messages_checked writes the batch instead.
--   The attempt returns its rows only once its statement has completed.
-- - persist_messages_checked looks up earlier sends first, then reserves seqs and inserts the
--   rest. The rooms are locked by the UPDATE that reserves their seqs, so the lookup runs on the
--   statement's snapshot, taken before the lock. A concurrent send of the same client message id
--   that commits in between makes its insert fail too; the writer then retries the batch, which
--   finds that send (Failures.transientFailure).
--
-- Deleting a room, should it ever be offered, has to delete its messages in the same transaction.
ALTER TABLE messages DROP CONSTRAINT messages_room_id_fkey;

CREATE FUNCTION persist_messages_checked(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean)
  LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
  -- A bitmap scan would lock the rooms in their physical order, which updates change.
  SET enable_bitmapscan = off
AS $$
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT t.ord::int AS ord, t.room, t.cmid, t.id, t.sender, t.name, t.body, t.reply, t.meta
      FROM unnest(p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta)
           WITH ORDINALITY AS t(room, cmid, id, sender, name, body, reply, meta, ord)
  ), stored AS (
    -- Already in the table: an earlier send of the same client message id.
    SELECT i.ord, m.id, m.seq, m.created_at
      FROM input i
      CROSS JOIN LATERAL (
        SELECT m.id, m.seq, m.created_at FROM messages m
         WHERE m.room_id = i.room AND m.client_msg_id = i.cmid LIMIT 1) m
  ), firsts AS (
    -- New messages: the first occurrence of each (room, client id) not stored yet.
    SELECT DISTINCT ON (i.room, i.cmid) i.*
      FROM input i
     WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.ord = i.ord)
     ORDER BY i.room, i.cmid, i.ord
  ), counts AS (
    -- New messages per room as one map, so the update finds its rows by `id = ANY` once (joined row
    -- by row instead, each probe would repeat the whole ANY).
    SELECT jsonb_object_agg(c.room, c.n) AS per_room
      FROM (SELECT f.room, count(*) AS n FROM firsts f GROUP BY f.room) c
  ), reserved AS (
    -- Locks each existing room of the batch and reserves its seqs: (base, base + n]. Waiting for a
    -- concurrent writer, the update sees that writer's last_seq once it commits.
    UPDATE rooms r SET last_seq = r.last_seq + coalesce((counts.per_room ->> r.id)::bigint, 0)
      FROM counts
     WHERE r.id = ANY(p_rooms)
    RETURNING r.id, r.last_seq - coalesce((counts.per_room ->> r.id)::bigint, 0) AS base, r.delivery
  ), numbered AS (
    SELECT f.*, v.base + row_number() OVER (PARTITION BY f.room ORDER BY f.ord) AS seq
      FROM firsts f JOIN reserved v ON v.id = f.room
  ), inserted AS (
    INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta)
    SELECT n.room, n.seq, n.id, n.cmid, n.sender, n.name, n.body, n.reply, n.meta::jsonb FROM numbered n
    RETURNING messages.room_id, messages.client_msg_id, messages.id, messages.seq, messages.created_at
  )
  SELECT i.ord,
         coalesce(s.id, ins.id),
         coalesce(s.seq, ins.seq),
         coalesce(s.created_at, ins.created_at),
         -- A duplicate: stored before, or a repeat within this batch of a message inserted now.
         s.ord IS NOT NULL OR (ins.id IS NOT NULL AND ins.id <> i.id),
         v.delivery,
         v.id IS NOT NULL
    FROM input i
    LEFT JOIN reserved v ON v.id = i.room
    LEFT JOIN stored s ON s.ord = i.ord
    LEFT JOIN inserted ins ON ins.room_id = i.room AND ins.client_msg_id = i.cmid
   ORDER BY i.ord;
END
$$;

CREATE OR REPLACE FUNCTION persist_messages(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean)
  LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
  -- A bitmap scan would lock the rooms in their physical order, which updates change.
  SET enable_bitmapscan = off
AS $$
DECLARE
  r_ord int[]; r_id uuid[]; r_seq bigint[]; r_created_at timestamptz[]; r_duplicate boolean[];
  r_delivery text[]; r_room_found boolean[];
BEGIN
  BEGIN
    -- persist_messages_checked's statement without its lookup of earlier sends. Kept as a second
    -- statement on purpose: one statement for both, its lookup switched off by a parameter and the
    -- attempt returned through a set-returning call, was about 9 % slower in the timed loop.
    WITH input AS (
      SELECT t.ord::int AS ord, t.room, t.cmid, t.id, t.sender, t.name, t.body, t.reply, t.meta
        FROM unnest(p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta)
             WITH ORDINALITY AS t(room, cmid, id, sender, name, body, reply, meta, ord)
    ), firsts AS (
      -- The first occurrence of each (room, client id): a repeat within the batch is its duplicate.
      SELECT DISTINCT ON (i.room, i.cmid) i.* FROM input i ORDER BY i.room, i.cmid, i.ord
    ), counts AS (
      SELECT jsonb_object_agg(c.room, c.n) AS per_room
        FROM (SELECT f.room, count(*) AS n FROM firsts f GROUP BY f.room) c
    ), reserved AS (
      UPDATE rooms r SET last_seq = r.last_seq + coalesce((counts.per_room ->> r.id)::bigint, 0)
        FROM counts
       WHERE r.id = ANY(p_rooms)
      RETURNING r.id, r.last_seq - coalesce((counts.per_room ->> r.id)::bigint, 0) AS base, r.delivery
    ), numbered AS (
      SELECT f.*, v.base + row_number() OVER (PARTITION BY f.room ORDER BY f.ord) AS seq
        FROM firsts f JOIN reserved v ON v.id = f.room
    ), inserted AS (
      INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta)
      SELECT n.room, n.seq, n.id, n.cmid, n.sender, n.name, n.body, n.reply, n.meta::jsonb FROM numbered n
      RETURNING messages.room_id, messages.client_msg_id, messages.id, messages.seq, messages.created_at
    )
    -- Collected before anything is returned: RETURN QUERY hands rows out as they come, and the
    -- exception below would not take back rows of a failed attempt. The arrays of one aggregation
    -- take the rows in the same order, whichever it is; the caller places outcomes by ord.
    SELECT array_agg(i.ord), array_agg(ins.id), array_agg(ins.seq), array_agg(ins.created_at),
           array_agg(ins.id IS NOT NULL AND ins.id <> i.id), array_agg(v.delivery), array_agg(v.id IS NOT NULL)
      INTO r_ord, r_id, r_seq, r_created_at, r_duplicate, r_delivery, r_room_found
      FROM input i
      LEFT JOIN reserved v ON v.id = i.room
      LEFT JOIN inserted ins ON ins.room_id = i.room AND ins.client_msg_id = i.cmid;
    RETURN QUERY SELECT * FROM unnest(r_ord, r_id, r_seq, r_created_at, r_duplicate, r_delivery, r_room_found);
  EXCEPTION WHEN unique_violation THEN
    RETURN QUERY SELECT * FROM persist_messages_checked(
        p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta);
  END;
END
$$;
