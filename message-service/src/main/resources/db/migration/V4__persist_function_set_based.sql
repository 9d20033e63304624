-- persist_messages, set-based: the same contract as V3 (one round trip, room locks held only while
-- it runs, duplicates found, gapless seq), with the batch handled by a few set operations instead
-- of a loop of single-row statements, so a batch of hundreds costs about what one message did.
CREATE OR REPLACE FUNCTION persist_messages(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean)
  LANGUAGE plpgsql VOLATILE AS $$
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
      FROM input i JOIN messages m ON m.room_id = i.room AND m.client_msg_id = i.cmid
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
    UPDATE rooms r SET last_seq = top.seq
      FROM (SELECT n.room, max(n.seq) AS seq FROM numbered n GROUP BY n.room) top
     WHERE r.id = top.room
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
