-- The batched write of messages: the current text of persist_messages and persist_messages_checked.
-- A repeatable migration (Flyway re-applies it whenever this file changes, after the versioned
-- ones), so that the function is read and changed here, in one place. V3, V4, V5 and V7 hold its
-- history; V7 also dropped the foreign key messages.room_id -> rooms and explains why.
--
-- CREATE OR REPLACE keeps a function's arguments and result columns: a change of either needs a
-- DROP FUNCTION IF EXISTS of the old signature here, before the CREATE.
--
-- Rights, checked here because every write passes here, whoever sent it on the event bus:
-- - p_tenants[i]: the tenant the message is posted in. A room of another tenant is not found
--   (out_room_found false), exactly like a missing room. NULL only for the system posting without a
--   sender (chat.message.create), which may post into a room of any tenant.
-- - p_system[i]: the system posts into any room of the tenant; anyone else must be a member of the
--   room (out_allowed false otherwise).
-- - An archived room (rooms.archived_at, V8) takes no message: it is not found (out_room_found
--   false), and the store tells the sender why (ROOM_ARCHIVED) on that rare path.
-- - A member muted in the room (room_members.muted_until in the future, V9) posts nothing:
--   out_muted_until says until when, and nothing is stored. Read from the member's row that the
--   membership check reads anyway. The system is never muted.
-- - Slow mode (rooms.slow_mode_seconds > 0, V10): a member (not an owner or admin, not the system)
--   posts a new message only slow_mode_seconds after their last one stored there
--   (room_members.last_sent_at, written here, in slow mode only); the first new message of a member
--   in a batch counts, their next ones of the batch are too early. A message too early is stored
--   nowhere: out_retry_after_ms says when the member may post again. out_slow_mode is the room's
--   slow mode for a member it applies to, on their new messages stored or refused.
-- - A refused message (muted, too early) that was stored before (a retry, with its client message
--   id, of a send that got through) is answered with the stored message, as any duplicate.
-- A refused message reserves no seq, locks no room, and is never answered with an earlier message
-- of the same client message id (that would hand a stranger another sender's message).
-- The cost: one scan of the batch's rooms by primary key (rooms_of), and one probe of
-- room_members' primary key per message; a lookup of the messages table only for a refused message;
-- in slow mode only, an update of the member's row per message.
--
-- The result's columns grew with V9 (out_muted_until) and V10 (out_retry_after_ms, out_slow_mode): the
-- functions are dropped and created again
-- rather than replaced. A caller of the previous release names the columns it reads, so the new
-- ones do not disturb it, and its prepared statement is planned again against the new function.
--
-- p_attachments (V16, docs/protocol.md "Attachments"): each message's attachment descriptors as a
-- JSON array (NULL: none), checked by the store before the batch and written as they are to
-- messages.attachments, so that reading a message costs nothing more. The ten-argument functions of
-- the previous release stay, as wrappers passing no attachments, while a rolling upgrade replaces it.
--
-- Webhooks (V17, docs/architecture.md "Webhooks"): a new message in a room whose tenant has an
-- endpoint for message.created or mention (V21) gets a webhook_outbox row in the same statement, so that a stored
-- message is never without its notification, nor a notification without its message. The cost for
-- tenants without endpoints: one probe of webhook_endpoints' tenant index per room of the batch.
-- Web Push (V23) takes the same outbox: a tenant with any push subscription gets the rows too (one
-- more probe, of push_subscriptions' tenant index); the dispatcher decides who is pushed.
-- Who of the room is offline is decided later, by the dispatcher, not here: per member work would
-- cost every message.
--
-- Mentions (V20, docs/protocol.md "Mentions"): each new message with an `@` in its body gets its
-- mentions (message_mentions, V20: the room's members it names, and `@room`) in messages.mentions,
-- returned as out_mentions so that the stored message's events carry them; a duplicate answers
-- those stored with the first send. The result's column out_mentions (V20) is why the functions are
-- dropped and created again.
--
-- The eight-argument persist_messages and persist_messages_checked of V7, which check nothing,
-- stay for the message-services of the previous release while a rolling upgrade replaces them;
-- a later versioned migration drops them.
--
-- The rest of the contract is V7's: one round trip, gapless per-room seq, every duplicate found,
-- rooms locked in id order (an index scan over `id = ANY(...)` visits the ids sorted, so two
-- writers of the same rooms cannot deadlock).
-- - persist_messages tries the batch as all new. If any message of it is stored already, its
--   insert fails on messages_client_msg_id (since V24 the primary key of message_client_ids, written
--   with each new message: messages is partitioned by month, and a unique index of it could not
--   span months); the block's subtransaction rolls back everything the
--   attempt did (seqs reserved included) and persist_messages_checked writes the batch instead.
--   The attempt returns its rows only once its statement has completed.
-- - persist_messages_checked looks up earlier sends first (by message_client_ids, then the message by seq), then reserves seqs and inserts the
--   rest. The rooms are locked by the UPDATE that reserves their seqs, so the lookup runs on the
--   statement's snapshot, taken before the lock. A concurrent send of the same client message id
--   that commits in between makes its insert fail too; the writer then retries the batch, which
--   finds that send (Failures.transientFailure).
-- A room's tenant and delivery never change, so reading them before the lock decides nothing that the
-- lock would change. Its membership, archive, mutes and slow mode do (V8, V9, V10): a message sent
-- while its sender is removed or muted, or while the room is archived, may still be stored, right
-- after that change (docs/protocol.md). So may, with several message-service processes, two messages
-- of one member in slow mode written at the same moment by two of them (each read last_sent_at before
-- the other's commit); within one process the writer writes a room's messages one batch at a time.

DROP FUNCTION IF EXISTS persist_messages(
    text[], text[], uuid[], text[], text[], text[], uuid[], text[], text[], boolean[]);
DROP FUNCTION IF EXISTS persist_messages_checked(
    text[], text[], uuid[], text[], text[], text[], uuid[], text[], text[], boolean[]);
DROP FUNCTION IF EXISTS persist_messages(
    text[], text[], uuid[], text[], text[], text[], uuid[], text[], text[], boolean[], text[]);
DROP FUNCTION IF EXISTS persist_messages_checked(
    text[], text[], uuid[], text[], text[], text[], uuid[], text[], text[], boolean[], text[]);

CREATE FUNCTION persist_messages_checked(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[], p_tenants text[], p_system boolean[],
    p_attachments text[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean, out_allowed boolean, out_muted_until timestamptz,
                 out_retry_after_ms bigint, out_slow_mode int, out_mentions jsonb)
  LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
  -- A bitmap scan would lock the rooms in their physical order, which updates change.
  SET enable_bitmapscan = off
AS $$
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT t.ord::int AS ord, t.room, t.cmid, t.id, t.sender, t.name, t.body, t.reply, t.meta, t.tenant, t.sys, t.att
      FROM unnest(p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta, p_tenants, p_system,
                  p_attachments)
           WITH ORDINALITY AS t(room, cmid, id, sender, name, body, reply, meta, tenant, sys, att, ord)
  ), rooms_of AS (
    SELECT r.id, r.tenant_id, r.delivery, r.slow_mode_seconds FROM rooms r WHERE r.id = ANY(p_rooms) AND r.archived_at IS NULL
  ), checked AS (
    -- The sender's row of room_members (none for the system): membership, the mute, slow mode.
    SELECT i.*, o.delivery,
           o.id IS NOT NULL AS found,
           o.id IS NOT NULL AND (i.sys OR m.user_id IS NOT NULL) AS allowed,
           CASE WHEN m.muted_until > now() THEN m.muted_until END AS muted_until,
           CASE WHEN o.slow_mode_seconds > 0 AND m.role = 'member' THEN o.slow_mode_seconds END AS slow,
           m.last_sent_at
      FROM input i
      LEFT JOIN rooms_of o ON o.id = i.room AND (i.tenant IS NULL OR o.tenant_id = i.tenant)
      LEFT JOIN room_members m ON o.id IS NOT NULL AND NOT i.sys AND m.room_id = i.room AND m.user_id = i.sender
  ), stored AS (
    -- Already in the table: an earlier send of the same client message id.
    SELECT c.ord, m.id, m.seq, m.created_at, m.mentions
      FROM checked c
      CROSS JOIN LATERAL (
        SELECT m.id, m.seq, m.created_at, m.mentions FROM message_client_ids k
          JOIN messages m ON m.room_id = k.room_id AND m.seq = k.seq
         WHERE k.room_id = c.room AND k.client_msg_id = c.cmid LIMIT 1) m
     WHERE c.allowed
  ), firsts AS (
    -- New messages: the first allowed occurrence of each (room, client id) not stored yet, of a sender not muted.
    SELECT DISTINCT ON (c.room, c.cmid) c.*
      FROM checked c
     WHERE c.allowed AND c.muted_until IS NULL AND NOT EXISTS (SELECT 1 FROM stored s WHERE s.ord = c.ord)
     ORDER BY c.room, c.cmid, c.ord
  ), slowed AS (
    -- Slow mode: each member's new messages of the batch in order (none, and no sort, without slow mode).
    SELECT f.ord, row_number() OVER (PARTITION BY f.room, f.sender ORDER BY f.ord) AS nth
      FROM firsts f WHERE f.slow IS NOT NULL
  ), paced AS (
    -- How long the member must still wait (null: not at all).
    SELECT f.*,
           CASE WHEN f.slow IS NULL THEN NULL
                WHEN f.last_sent_at > now() - make_interval(secs => f.slow)
                  THEN ceil(extract(epoch FROM f.last_sent_at + make_interval(secs => f.slow) - now()) * 1000)::bigint
                WHEN s.nth > 1 THEN f.slow * 1000::bigint
           END AS wait_ms
      FROM firsts f LEFT JOIN slowed s ON s.ord = f.ord
  ), writable AS (
    SELECT * FROM paced p WHERE p.wait_ms IS NULL
  ), counts AS (
    -- New messages per room as one map, so the update finds its rows by `id = ANY` once (joined row
    -- by row instead, each probe would repeat the whole ANY).
    SELECT jsonb_object_agg(c.room, c.n) AS per_room
      FROM (SELECT w.room, count(*) AS n FROM writable w GROUP BY w.room) c
  ), reserved AS (
    -- Locks each room that gets new messages and reserves its seqs: (base, base + n]. Waiting for a
    -- concurrent writer, the update sees that writer's last_seq once it commits.
    UPDATE rooms r SET last_seq = r.last_seq + (counts.per_room ->> r.id)::bigint
      FROM counts
     WHERE r.id = ANY(p_rooms) AND (counts.per_room ->> r.id) IS NOT NULL
    RETURNING r.id, r.last_seq - (counts.per_room ->> r.id)::bigint AS base
  ), numbered AS (
    SELECT w.*, v.base + row_number() OVER (PARTITION BY w.room ORDER BY w.ord) AS seq
      FROM writable w JOIN reserved v ON v.id = w.room
  ), inserted AS (
    INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta, attachments, mentions)
    SELECT n.room, n.seq, n.id, n.cmid, n.sender, n.name, n.body, n.reply, n.meta::jsonb, n.att::jsonb,
           CASE WHEN strpos(n.body, '@') > 0 THEN message_mentions(n.room, n.sender, n.body) END FROM numbered n
    RETURNING messages.room_id, messages.client_msg_id, messages.id, messages.seq, messages.created_at, messages.mentions
  ), keyed AS (
    -- The idempotency key (V24): a second send of the same client id fails here, whichever month holds the first.
    INSERT INTO message_client_ids (room_id, client_msg_id, seq) SELECT ins.room_id, ins.client_msg_id, ins.seq FROM inserted ins
  ), sent AS (
    -- When a member in slow mode last posted. Read by no one here: it runs after the main query, once
    -- the rooms are locked (the order every writer of both tables keeps).
    UPDATE room_members m SET last_sent_at = now()
      FROM (SELECT DISTINCT w.room, w.sender FROM writable w WHERE w.slow IS NOT NULL) w
     WHERE m.room_id = w.room AND m.user_id = w.sender
  ), hooked AS MATERIALIZED (
    -- Webhooks (V17): the batch's rooms whose tenant has an endpoint for message.created, one probe
    -- of webhook_endpoints per room; an outbox row per new message in them, in this transaction.
    SELECT o.id, o.tenant_id FROM rooms_of o
     WHERE EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = o.tenant_id
                                                 AND e.events && ARRAY['message.created', 'mention'])
        OR EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.tenant_id = o.tenant_id)
  ), outboxed AS (
    INSERT INTO webhook_outbox (tenant_id, room_id, message_id)
    SELECT h.tenant_id, ins.room_id, ins.id FROM inserted ins JOIN hooked h ON h.id = ins.room_id
  )
  SELECT c.ord,
         coalesce(s.id, ins.id),
         coalesce(s.seq, ins.seq),
         coalesce(s.created_at, ins.created_at),
         -- A duplicate: stored before, or a repeat within this batch of a message inserted now.
         s.ord IS NOT NULL OR (ins.id IS NOT NULL AND ins.id <> c.id),
         c.delivery,
         c.found,
         c.allowed,
         CASE WHEN s.ord IS NULL THEN c.muted_until END,
         p.wait_ms,
         CASE WHEN p.wait_ms IS NOT NULL OR ins.id = c.id THEN c.slow END,
         coalesce(s.mentions, ins.mentions)
    FROM checked c
    LEFT JOIN stored s ON s.ord = c.ord
    LEFT JOIN paced p ON p.room = c.room AND p.cmid = c.cmid
    LEFT JOIN inserted ins ON c.allowed AND c.muted_until IS NULL AND ins.room_id = c.room AND ins.client_msg_id = c.cmid
   ORDER BY c.ord;
END
$$;

CREATE FUNCTION persist_messages(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[], p_tenants text[], p_system boolean[],
    p_attachments text[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean, out_allowed boolean, out_muted_until timestamptz,
                 out_retry_after_ms bigint, out_slow_mode int, out_mentions jsonb)
  LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
  -- A bitmap scan would lock the rooms in their physical order, which updates change.
  SET enable_bitmapscan = off
AS $$
DECLARE
  r_ord int[]; r_id uuid[]; r_seq bigint[]; r_created_at timestamptz[]; r_duplicate boolean[];
  r_delivery text[]; r_room_found boolean[]; r_allowed boolean[]; r_muted_until timestamptz[];
  r_retry_after_ms bigint[]; r_slow_mode int[]; r_mentions jsonb[];
BEGIN
  BEGIN
    -- persist_messages_checked's statement without its lookup of earlier sends. Kept as a second
    -- statement on purpose: one statement for both, its lookup switched off by a parameter and the
    -- attempt returned through a set-returning call, was about 9 % slower in the timed loop of V7.
    WITH input AS (
      SELECT t.ord::int AS ord, t.room, t.cmid, t.id, t.sender, t.name, t.body, t.reply, t.meta, t.tenant, t.sys, t.att
        FROM unnest(p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta, p_tenants, p_system,
                    p_attachments)
             WITH ORDINALITY AS t(room, cmid, id, sender, name, body, reply, meta, tenant, sys, att, ord)
    ), rooms_of AS (
      SELECT r.id, r.tenant_id, r.delivery, r.slow_mode_seconds FROM rooms r WHERE r.id = ANY(p_rooms) AND r.archived_at IS NULL
    ), checked AS (
      SELECT i.*, o.delivery,
             o.id IS NOT NULL AS found,
             o.id IS NOT NULL AND (i.sys OR m.user_id IS NOT NULL) AS allowed,
             CASE WHEN m.muted_until > now() THEN m.muted_until END AS muted_until,
             CASE WHEN o.slow_mode_seconds > 0 AND m.role = 'member' THEN o.slow_mode_seconds END AS slow,
             m.last_sent_at
        FROM input i
        LEFT JOIN rooms_of o ON o.id = i.room AND (i.tenant IS NULL OR o.tenant_id = i.tenant)
        LEFT JOIN room_members m ON o.id IS NOT NULL AND NOT i.sys AND m.room_id = i.room AND m.user_id = i.sender
    ), firsts AS (
      -- The first allowed occurrence of each (room, client id) of a sender not muted: a repeat within
      -- the batch is its duplicate.
      SELECT DISTINCT ON (c.room, c.cmid) c.* FROM checked c WHERE c.allowed AND c.muted_until IS NULL
       ORDER BY c.room, c.cmid, c.ord
    ), slowed AS (
      SELECT f.ord, row_number() OVER (PARTITION BY f.room, f.sender ORDER BY f.ord) AS nth
        FROM firsts f WHERE f.slow IS NOT NULL
    ), paced AS (
      SELECT f.*,
             CASE WHEN f.slow IS NULL THEN NULL
                  WHEN f.last_sent_at > now() - make_interval(secs => f.slow)
                    THEN ceil(extract(epoch FROM f.last_sent_at + make_interval(secs => f.slow) - now()) * 1000)::bigint
                  WHEN s.nth > 1 THEN f.slow * 1000::bigint
             END AS wait_ms
        FROM firsts f LEFT JOIN slowed s ON s.ord = f.ord
    ), writable AS (
      SELECT * FROM paced p WHERE p.wait_ms IS NULL
    ), counts AS (
      SELECT jsonb_object_agg(c.room, c.n) AS per_room
        FROM (SELECT w.room, count(*) AS n FROM writable w GROUP BY w.room) c
    ), reserved AS (
      UPDATE rooms r SET last_seq = r.last_seq + (counts.per_room ->> r.id)::bigint
        FROM counts
       WHERE r.id = ANY(p_rooms) AND (counts.per_room ->> r.id) IS NOT NULL
      RETURNING r.id, r.last_seq - (counts.per_room ->> r.id)::bigint AS base
    ), numbered AS (
      SELECT w.*, v.base + row_number() OVER (PARTITION BY w.room ORDER BY w.ord) AS seq
        FROM writable w JOIN reserved v ON v.id = w.room
    ), inserted AS (
      INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta, attachments, mentions)
      SELECT n.room, n.seq, n.id, n.cmid, n.sender, n.name, n.body, n.reply, n.meta::jsonb, n.att::jsonb,
             CASE WHEN strpos(n.body, '@') > 0 THEN message_mentions(n.room, n.sender, n.body) END FROM numbered n
      RETURNING messages.room_id, messages.client_msg_id, messages.id, messages.seq, messages.created_at, messages.mentions
    ), keyed AS (
      -- The idempotency key (V24): a repeat of an earlier send fails here, and the exception below takes over.
      INSERT INTO message_client_ids (room_id, client_msg_id, seq) SELECT ins.room_id, ins.client_msg_id, ins.seq FROM inserted ins
    ), sent AS (
      UPDATE room_members m SET last_sent_at = now()
        FROM (SELECT DISTINCT w.room, w.sender FROM writable w WHERE w.slow IS NOT NULL) w
       WHERE m.room_id = w.room AND m.user_id = w.sender
    ), hooked AS MATERIALIZED (
      SELECT o.id, o.tenant_id FROM rooms_of o
       WHERE EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = o.tenant_id
                                                 AND e.events && ARRAY['message.created', 'mention'])
          OR EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.tenant_id = o.tenant_id)
    ), outboxed AS (
      -- Webhooks (V17): as in persist_messages_checked. A failed attempt takes its rows back with the rest.
      INSERT INTO webhook_outbox (tenant_id, room_id, message_id)
      SELECT h.tenant_id, ins.room_id, ins.id FROM inserted ins JOIN hooked h ON h.id = ins.room_id
    ), earlier AS (
      -- A refused message (muted, too early) may be the retry of one stored before: it is answered
      -- with that. Looked up for refused messages only.
      SELECT c.ord, m.id, m.seq, m.created_at, m.mentions
        FROM checked c
        LEFT JOIN paced p ON p.room = c.room AND p.cmid = c.cmid
        CROSS JOIN LATERAL (
          SELECT m.id, m.seq, m.created_at, m.mentions FROM message_client_ids k
            JOIN messages m ON m.room_id = k.room_id AND m.seq = k.seq
           WHERE k.room_id = c.room AND k.client_msg_id = c.cmid LIMIT 1) m
       WHERE c.allowed AND (c.muted_until IS NOT NULL OR p.wait_ms IS NOT NULL)
    )
    -- Collected before anything is returned: RETURN QUERY hands rows out as they come, and the
    -- exception below would not take back rows of a failed attempt. The arrays of one aggregation
    -- take the rows in the same order, whichever it is; the caller places outcomes by ord.
    SELECT array_agg(c.ord), array_agg(coalesce(e.id, ins.id)), array_agg(coalesce(e.seq, ins.seq)),
           array_agg(coalesce(e.created_at, ins.created_at)),
           array_agg(e.ord IS NOT NULL OR (ins.id IS NOT NULL AND ins.id <> c.id)), array_agg(c.delivery),
           array_agg(c.found), array_agg(c.allowed), array_agg(CASE WHEN e.ord IS NULL THEN c.muted_until END),
           array_agg(CASE WHEN e.ord IS NULL THEN p.wait_ms END),
           array_agg(CASE WHEN (e.ord IS NULL AND p.wait_ms IS NOT NULL) OR ins.id = c.id THEN c.slow END),
           array_agg(coalesce(e.mentions, ins.mentions))
      INTO r_ord, r_id, r_seq, r_created_at, r_duplicate, r_delivery, r_room_found, r_allowed, r_muted_until,
           r_retry_after_ms, r_slow_mode, r_mentions
      FROM checked c
      LEFT JOIN earlier e ON e.ord = c.ord
      LEFT JOIN paced p ON p.room = c.room AND p.cmid = c.cmid
      LEFT JOIN inserted ins ON c.allowed AND c.muted_until IS NULL AND ins.room_id = c.room AND ins.client_msg_id = c.cmid;
    RETURN QUERY SELECT * FROM unnest(r_ord, r_id, r_seq, r_created_at, r_duplicate, r_delivery, r_room_found, r_allowed,
        r_muted_until, r_retry_after_ms, r_slow_mode, r_mentions);
  EXCEPTION WHEN unique_violation THEN
    RETURN QUERY SELECT * FROM persist_messages_checked(
        p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta, p_tenants, p_system,
        p_attachments);
  END;
END
$$;

-- The previous release's signature (before V16's attachments), for its message-services during a
-- rolling upgrade: the same write, without attachments.
CREATE FUNCTION persist_messages(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[], p_tenants text[], p_system boolean[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean, out_allowed boolean, out_muted_until timestamptz,
                 out_retry_after_ms bigint, out_slow_mode int, out_mentions jsonb)
  LANGUAGE sql VOLATILE
AS $$
  SELECT * FROM persist_messages(p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to, p_meta,
      p_tenants, p_system, NULL::text[]);
$$;

CREATE FUNCTION persist_messages_checked(
    p_rooms text[], p_client_ids text[], p_ids uuid[], p_senders text[], p_names text[],
    p_bodies text[], p_reply_to uuid[], p_meta text[], p_tenants text[], p_system boolean[])
  RETURNS TABLE (out_ord int, out_id uuid, out_seq bigint, out_created_at timestamptz, out_duplicate boolean,
                 out_delivery text, out_room_found boolean, out_allowed boolean, out_muted_until timestamptz,
                 out_retry_after_ms bigint, out_slow_mode int, out_mentions jsonb)
  LANGUAGE sql VOLATILE
AS $$
  SELECT * FROM persist_messages_checked(p_rooms, p_client_ids, p_ids, p_senders, p_names, p_bodies, p_reply_to,
      p_meta, p_tenants, p_system, NULL::text[]);
$$;
