-- persist_messages, planned once per connection: the same contract as V4 (one round trip, the
-- batch's rooms locked only while it runs, duplicates found, gapless seq), with statements whose
-- every plan looks rows up by their keys, so one generic plan per connection serves any batch.
--
-- Why: PL/pgSQL plans V4's batch statement anew on every call, and that planning is about half of
-- Postgres' CPU for a one-message batch (pgbench: 709 us per call with V4, 396 us with this),
-- which is what most writes are at low and moderate load (a lane writes at once when idle). At
-- 1,000 msg/s in the 10k-socket fan-out benchmark, Postgres used 28-30 % of a core instead of
-- 79-80 %. A generic plan alone is not safe: it is made with the statistics of its moment, and
-- made on an empty table it scanned messages sequentially (so it grew with the table). Here each
-- message lookup is a per-row LATERAL subquery that cannot be flattened into a join (LIMIT), rooms
-- are found by `id = ANY(...)`, and sequential scans are off for the function (a table that is
-- tiny when the plan is made may be large later), so its plans use the unique indexes.
CREATE OR REPLACE FUNCTION persist_messages(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean)
  LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
AS $$
BEGIN
  -- Lock the batch's rooms in id order (no deadlock between batches). Writers of these rooms queue
  -- here, so the statement below, which takes a new snapshot, sees every message they committed.
  PERFORM 1 FROM rooms r WHERE r.id = ANY(p_rooms) ORDER BY r.id FOR UPDATE;

  RETURN QUERY
  WITH input AS (
    SELECT t.ord::int AS ord, t.room, t.cmid, t.id, t.sender, t.name, t.body, t.reply, t.meta
      FROM unnest(p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta)
           WITH ORDINALITY AS t(room, cmid, id, sender, name, body, reply, meta, ord)
  ), locked AS (
    SELECT r.id, r.last_seq, r.delivery FROM rooms r WHERE r.id = ANY(p_rooms)
  ), stored AS (
    -- Already in the table: an earlier send of the same client message id.
    SELECT i.ord, m.id, m.seq, m.created_at
      FROM input i
      CROSS JOIN LATERAL (
        SELECT m.id, m.seq, m.created_at FROM messages m
         WHERE m.room_id = i.room AND m.client_msg_id = i.cmid LIMIT 1) m
  ), firsts AS (
    -- New messages: the first occurrence of each (room, client id) not stored yet, in a room that exists.
    SELECT DISTINCT ON (i.room, i.cmid) i.*
      FROM input i JOIN locked l ON l.id = i.room
     WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.ord = i.ord)
     ORDER BY i.room, i.cmid, i.ord
  ), numbered AS (
    SELECT f.*, l.last_seq + row_number() OVER (PARTITION BY f.room ORDER BY f.ord) AS seq
      FROM firsts f JOIN locked l ON l.id = f.room
  ), inserted AS (
    INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta)
    SELECT n.room, n.seq, n.id, n.cmid, n.sender, n.name, n.body, n.reply, n.meta::jsonb FROM numbered n
    RETURNING messages.room_id, messages.client_msg_id, messages.id, messages.seq, messages.created_at
  ), moved AS (
    -- The rooms' new last seq as one map, so the update finds its rows by `id = ANY` once; joined
    -- row by row instead, each probe would repeat the whole ANY (a batch of 256: 29 ms, not 1).
    UPDATE rooms r SET last_seq = (top.seqs ->> r.id)::bigint
      FROM (SELECT jsonb_object_agg(t.room, t.seq) AS seqs
              FROM (SELECT n.room, max(n.seq) AS seq FROM numbered n GROUP BY n.room) t) top
     WHERE r.id = ANY(p_rooms) AND top.seqs ? r.id
    RETURNING r.id
  )
  SELECT i.ord,
         coalesce(s.id, ins.id),
         coalesce(s.seq, ins.seq),
         coalesce(s.created_at, ins.created_at),
         -- A duplicate: stored before, or a repeat within this batch of a message inserted now.
         s.ord IS NOT NULL OR (ins.id IS NOT NULL AND ins.id <> i.id),
         l.delivery,
         l.id IS NOT NULL
    FROM input i
    LEFT JOIN locked l ON l.id = i.room
    LEFT JOIN stored s ON s.ord = i.ord
    LEFT JOIN inserted ins ON ins.room_id = i.room AND ins.client_msg_id = i.cmid
   ORDER BY i.ord;
END
$$;
