-- Writes a batch of messages in one round trip. The room locks are held only while this function
-- runs on the server, never across a client's network hops, so concurrent writers of a room (other
-- lanes, other message-service instances) wait microseconds, not event-loop turns.
--
-- For each input row, in order: a (room, client message id) already stored, earlier in this batch
-- included, comes back as a duplicate with its stored id and seq; a new message takes its room's
-- next seq; a missing room comes back with found = false. Each statement here sees what committed
-- before it (READ COMMITTED), and every writer of a room holds its lock, so duplicates are never
-- missed and seq has no gap.
CREATE OR REPLACE FUNCTION persist_messages(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean)
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_last jsonb;
  v_delivery jsonb;
  v_seq bigint;
  v_stored record;
BEGIN
  -- Lock the batch's rooms in id order (no deadlock between batches), and read where they are.
  SELECT coalesce(jsonb_object_agg(l.id, l.last_seq), '{}'), coalesce(jsonb_object_agg(l.id, l.delivery), '{}')
    INTO v_last, v_delivery
    FROM (SELECT r.id, r.last_seq, r.delivery FROM rooms r WHERE r.id = ANY(p_rooms) ORDER BY r.id FOR UPDATE) l;

  FOR i IN 1 .. coalesce(array_length(p_rooms, 1), 0) LOOP
    IF NOT v_last ? p_rooms[i] THEN
      RETURN QUERY SELECT i, NULL::uuid, NULL::bigint, NULL::timestamptz, false, NULL::text, false;
      CONTINUE;
    END IF;
    SELECT m.id, m.seq, m.created_at INTO v_stored
      FROM messages m WHERE m.room_id = p_rooms[i] AND m.client_msg_id = p_client_ids[i];
    IF FOUND THEN
      RETURN QUERY SELECT i, v_stored.id, v_stored.seq, v_stored.created_at, true, v_delivery->>p_rooms[i], true;
      CONTINUE;
    END IF;
    v_seq := (v_last->>p_rooms[i])::bigint + 1;
    v_last := jsonb_set(v_last, ARRAY[p_rooms[i]], to_jsonb(v_seq));
    INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta)
      VALUES (p_rooms[i], v_seq, p_ids[i], p_client_ids[i], p_senders[i], p_names[i], p_bodies[i], p_reply_to[i],
              p_meta[i]::jsonb)
      RETURNING messages.created_at INTO v_stored;
    RETURN QUERY SELECT i, p_ids[i], v_seq, v_stored.created_at, false, v_delivery->>p_rooms[i], true;
  END LOOP;

  UPDATE rooms r SET last_seq = (v_last->>r.id)::bigint
    WHERE r.id = ANY(p_rooms) AND r.last_seq <> (v_last->>r.id)::bigint;
END
$$;
