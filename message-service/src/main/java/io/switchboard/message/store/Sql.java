package io.switchboard.message.store;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every statement message-service runs, in one place. */
final class Sql {
  private Sql() {}

  // Rooms

  /**
   * Creates a room in one statement, so in one round trip and atomically: the tenant if new, the
   * room, its members (the creator as owner). Returns the room's creation time, or no row for a
   * direct room that exists already (same tenant and pair). The foreign keys are checked at the end
   * of the statement, when the tenant and the room inserted here exist.
   */
  static final String CREATE_ROOM =
      "WITH tenant AS (INSERT INTO tenants (id) VALUES ($2) ON CONFLICT DO NOTHING), "
          + "room AS (INSERT INTO rooms (id, tenant_id, name, kind, delivery, created_by, direct_key) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, direct_key) WHERE direct_key IS NOT NULL "
          + "DO NOTHING RETURNING id, created_at), "
          + "members AS (INSERT INTO room_members (room_id, user_id, role) "
          + "SELECT room.id, u, CASE WHEN u = $6 THEN 'owner' ELSE 'member' END FROM room, unnest($8::text[]) AS u "
          + "ON CONFLICT DO NOTHING) "
          + "SELECT created_at FROM room";

  static final String DIRECT_ROOM =
      "SELECT r.*, array(SELECT user_id FROM room_members m WHERE m.room_id = r.id ORDER BY joined_at, user_id) AS members "
          + "FROM rooms r WHERE tenant_id = $1 AND direct_key = $2";

  /**
   * The unread messages of room r that mention the member m ($2), as {@code unread_mentions}
   * (docs/protocol.md, "Mentions"): named, or {@code @room} since they joined; never their own. Reads
   * V20's index of the room's mentioning messages after the read position; 0 for a non-member.
   */
  private static final String UNREAD_MENTIONS =
      "CASE WHEN m.user_id IS NULL THEN 0 ELSE (SELECT count(*) FROM messages x WHERE x.room_id = r.id "
          + "AND x.seq > GREATEST(m.last_read_seq, r.expired_seq) AND x.mentions IS NOT NULL AND x.sender_id <> $2 "
          + "AND (x.mentions @> jsonb_build_object('users', jsonb_build_array($2::text)) "
          + "OR (x.mentions @> '{\"room\": true}' AND x.created_at >= m.joined_at))) END AS unread_mentions";

  /** The room as one user of one tenant sees it; no row for another tenant's room. */
  static final String ROOM_FOR_USER =
      "SELECT r.kind, r.delivery, r.last_seq, m.user_id IS NOT NULL AS member, m.role, "
          + "COALESCE(m.last_read_seq, 0) AS last_read_seq, "
          + "(SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS members "
          + "FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $2 "
          + "WHERE r.id = $1 AND r.tenant_id = $3";

  /** The user's rooms, then the tenant's public rooms the user is not in. */
  static final String ROOMS_FOR_USER =
      "SELECT r.id, r.name, r.kind, r.last_seq, r.topic, r.archived_at, m.user_id IS NOT NULL AS member, " + UNREAD_MENTIONS + ", "
          + "COALESCE(m.last_read_seq, 0) AS last_read_seq, "
          + "(SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS members "
          + "FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $2 "
          + "WHERE r.tenant_id = $1 AND (m.user_id IS NOT NULL OR r.kind = 'public') "
          + "ORDER BY member DESC, r.name, r.id LIMIT $3";

  /**
   * A page of the tenant's public rooms whose name matches $3 (an ILIKE pattern; any when null),
   * after ($4, $5) in (name, id) order, at most $6, each as {@link #ROOMS_FOR_USER} reads it. The
   * match scans the tenant's public rooms (index rooms_by_tenant_kind).
   */
  static final String SEARCH_PUBLIC_ROOMS =
      "SELECT r.id, r.name, r.kind, r.last_seq, r.topic, r.archived_at, m.user_id IS NOT NULL AS member, " + UNREAD_MENTIONS + ", "
          + "COALESCE(m.last_read_seq, 0) AS last_read_seq, "
          + "(SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS members "
          + "FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $2 "
          + "WHERE r.tenant_id = $1 AND r.kind = 'public' AND ($3::text IS NULL OR r.name ILIKE $3) "
          + "AND ($4::text IS NULL OR (r.name, r.id) > ($4, $5::text)) "
          + "ORDER BY r.name, r.id LIMIT $6";

  /**
   * A join in one statement: the room as {@link #ROOM_FOR_USER} reads it (with the end of the user's
   * mute, if muted, the room's slow mode, and whom the user blocks), and the user added as a
   * member when the room is public, they are not one yet and it has fewer than $4 members
   * ({@code added}; {@code members} does not count them then, the statement's snapshot being older
   * than its insert).
   */
  static final String JOIN_ROOM =
      "WITH r AS (SELECT r.id, r.kind, r.delivery, r.last_seq, r.expired_seq, m.user_id IS NOT NULL AS member, m.role, "
          + "CASE WHEN m.muted_until > now() THEN m.muted_until END AS muted_until, r.slow_mode_seconds, "
          + "array(SELECT b.blocked_id FROM user_blocks b WHERE b.tenant_id = $3 AND b.blocker_id = $2 "
          + "ORDER BY b.blocked_id) AS blocked, "
          + "COALESCE(m.last_read_seq, 0) AS last_read_seq, " + UNREAD_MENTIONS + ", "
          + "(SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS members "
          + "FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $2 "
          + "WHERE r.id = $1 AND r.tenant_id = $3), "
          + "added AS (INSERT INTO room_members (room_id, user_id) SELECT r.id, $2 FROM r "
          + "WHERE NOT r.member AND r.kind = 'public' AND r.members < $4 "
          + "AND NOT EXISTS (SELECT 1 FROM room_bans b WHERE b.room_id = r.id AND b.user_id = $2) "
          + "ON CONFLICT DO NOTHING RETURNING 1) "
          + "SELECT r.*, (SELECT count(*) FROM added) AS added FROM r";

  /** Whether a room of the tenant (any tenant for null) is archived: a row only then. */
  static final String ROOM_ARCHIVED =
      "SELECT 1 FROM rooms WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) AND archived_at IS NOT NULL";

  static final String MARK_READ =
      "UPDATE room_members m SET last_read_seq = GREATEST(m.last_read_seq, LEAST($3, r.last_seq)) FROM rooms r "
          + "WHERE m.room_id = $1 AND m.user_id = $2 AND r.id = m.room_id "
          + "RETURNING m.last_read_seq, r.last_seq";

  /**
   * A row when this server's copy of the room has its messages up to seq $2: a replica that has
   * replayed the commit of that seq (Reads#room).
   */
  static final String REPLICA_HAS_ROOM = "SELECT 1 FROM rooms WHERE id = $1 AND last_seq >= $2";

  // Messages: recovery and history, keyset on (room_id, seq); each with {@code hidden}: sent by a user
  // the reader ($T tenant, $U user) blocks. Their blocks are read once per page.

  private static final String READER_BLOCKS =
      "(SELECT array(SELECT blocked_id FROM user_blocks WHERE tenant_id = $T AND blocker_id = $U) AS ids) b ";

  /**
   * A message's columns as {@link Rows#message} reads them, with a table alias ("m.") or none: every
   * statement that returns messages names them, so that the stored search vector (V18) never
   * travels to message-service.
   */
  private static String messageColumns(String alias) {
    return Stream.of("room_id", "seq", "id", "client_msg_id", "sender_id", "sender_name", "body", "reply_to", "meta",
        "created_at", "edited_at", "deleted", "reactions_version", "attachments", "mentions").map(c -> alias + c).collect(Collectors.joining(", "));
  }

  private static final String M = messageColumns("m.");

  /**
   * A message's reactions as its reader sees them (docs/protocol.md, "Reactions"): kinds in the order
   * of their first use, each with its count, its first 10 users and whether the reader ($U) is one;
   * null for a message never reacted to or deleted, without touching the reactions' index.
   */
  private static final String REACTIONS_FOR_READER =
      "CASE WHEN m.reactions_version > 0 AND NOT m.deleted THEN (SELECT jsonb_agg(jsonb_build_object('emoji', g.emoji, "
          + "'count', g.n, 'users', to_jsonb(g.users), 'me', g.me) ORDER BY g.first_at, g.emoji) FROM (SELECT emoji, count(*) AS n, "
          + "min(created_at) AS first_at, (array_agg(user_id ORDER BY created_at, user_id))[1:10] AS users, "
          + "bool_or(user_id = $U) AS me FROM message_reactions WHERE message_id = m.id GROUP BY emoji) g) END AS reactions";

  /**
   * A message's thread (docs/protocol.md, "Threads"): its replies not deleted, the last one's seq and
   * time; null without replies. One probe of V14's index per message read.
   */
  private static final String THREAD =
      "(SELECT jsonb_build_object('replies', count(*), 'lastReplySeq', max(t.seq), 'lastReplyAt', max(t.created_at)) "
          + "FROM messages t WHERE t.room_id = m.room_id AND t.reply_to = m.id AND t.reply_to IS NOT NULL AND NOT t.deleted "
          + "HAVING count(*) > 0) AS thread";

  /** What a reader reads of each message besides its row: whether hidden, its reactions, its thread. */
  private static final String FOR_READER = "m.sender_id = ANY(b.ids) AS hidden, " + REACTIONS_FOR_READER + ", " + THREAD;

  static final String MESSAGES_AFTER =
      ("SELECT " + M + ", " + FOR_READER + " FROM messages m, " + READER_BLOCKS
          + "WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3").replace("$T", "$4").replace("$U", "$5");

  static final String MESSAGES_BETWEEN =
      ("SELECT " + M + ", " + FOR_READER + " FROM messages m, " + READER_BLOCKS
          + "WHERE m.room_id = $1 AND m.seq > $2 AND m.seq < $3 ORDER BY m.seq LIMIT $4").replace("$T", "$5").replace("$U", "$6");

  static final String MESSAGES_BEFORE =
      ("SELECT " + M + ", " + FOR_READER + " FROM messages m, " + READER_BLOCKS
          + "WHERE m.room_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3").replace("$T", "$4").replace("$U", "$5");

  /**
   * A page of the messages of the reader's rooms (one room when $3 is set) that match the query $4,
   * best first (rank, then newest), after the hit ($5 rank, $6 time, $7 id) that ended the previous
   * page; never a deleted message nor one of a user the reader blocks. Uses V18's index on the stored
   * vector (its predicate is the index's), and ranks by that vector.
   */
  static final String SEARCH_MESSAGES =
      ("WITH hits AS (SELECT * FROM (SELECT m.room_id, m.seq, m.created_at, m.id, ts_rank_cd(m.body_tsv, q.q) AS rank "
          + "FROM messages m JOIN rooms r ON r.id = m.room_id AND r.tenant_id = $T "
          + "JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = $U, "
          + "websearch_to_tsquery('simple', $4) AS q(q), " + READER_BLOCKS
          + "WHERE NOT m.deleted AND m.body_tsv @@ q.q AND ($3::text IS NULL OR m.room_id = $3) "
          + "AND NOT m.sender_id = ANY(b.ids)) ranked "
          + "WHERE $5::real IS NULL OR (rank, created_at, id) < ($5::real, $6::timestamptz, $7::uuid) "
          + "ORDER BY rank DESC, created_at DESC, id DESC LIMIT $8) "
          // Ranked narrow, then the page's messages read whole: the sort carries no bodies.
          + "SELECT " + M + ", h.rank FROM hits h JOIN messages m ON m.room_id = h.room_id AND m.seq = h.seq "
          + "ORDER BY h.rank DESC, h.created_at DESC, h.id DESC").replace("$T", "$1").replace("$U", "$2");

  /**
   * Whether a message m mentions the member rm ($U): named in it, or {@code @room} since they joined;
   * never their own message (docs/protocol.md, "Mentions"). Both are containments that V20's GIN index answers.
   */
  private static final String MENTIONS_READER =
      "m.mentions IS NOT NULL AND m.sender_id <> $U AND (m.mentions @> jsonb_build_object('users', jsonb_build_array($U::text)) "
          + "OR (m.mentions @> '{\"room\": true}' AND m.created_at >= rm.joined_at))";

  /**
   * A page of the messages that mention the reader ($U of tenant $T) in the rooms they are a member of
   * now (one room when $3 is set), stored after $4 (any when null), newest first after ($5 time, $6 id),
   * at most $7; with whether each is unread (after the reader's read position). Never a deleted message
   * (it has no mentions) nor one of a user the reader blocks.
   */
  static final String MENTIONS_OF_USER =
      ("SELECT " + M + ", m.seq > rm.last_read_seq AS unread FROM messages m "
          + "JOIN rooms r ON r.id = m.room_id AND r.tenant_id = $T "
          + "JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = $U, " + READER_BLOCKS
          + "WHERE " + MENTIONS_READER + " AND NOT m.sender_id = ANY(b.ids) AND ($3::text IS NULL OR m.room_id = $3) "
          + "AND ($4::timestamptz IS NULL OR m.created_at > $4) "
          + "AND ($5::timestamptz IS NULL OR (m.created_at, m.id) < ($5::timestamptz, $6::uuid)) "
          + "ORDER BY m.created_at DESC, m.id DESC LIMIT $7").replace("$T", "$1").replace("$U", "$2");

  /**
   * The digest's rooms (docs/protocol.md section 6, {@code chat.digest}): the rooms of the user ($2 of
   * tenant $1) with unread messages stored after $3, the most recently active first, at most $4; each
   * with its unread count, those after $3, its unread mentions and when its last message was stored.
   */
  static final String DIGEST_ROOMS =
      "SELECT * FROM (SELECT r.id, r.name, r.kind, r.last_seq, "
          + "r.last_seq - GREATEST(m.last_read_seq, r.expired_seq) AS unread, "
          + "(SELECT count(*) FROM messages x WHERE x.room_id = r.id AND x.seq > GREATEST(m.last_read_seq, r.expired_seq) "
          + "AND x.created_at > $3) AS unread_since, "
          + "(SELECT x.created_at FROM messages x WHERE x.room_id = r.id AND x.seq = r.last_seq) AS last_message_at, "
          + UNREAD_MENTIONS + " FROM room_members m JOIN rooms r ON r.id = m.room_id AND r.tenant_id = $1 "
          + "WHERE m.user_id = $2 AND r.last_seq > GREATEST(m.last_read_seq, r.expired_seq)) d "
          + "WHERE d.unread_since > 0 ORDER BY d.last_message_at DESC, d.id LIMIT $4";

  /**
   * A search's own limits, for its transaction: a query that matches too much to rank in time is
   * cancelled by Postgres rather than left running, and each search is planned for its words (a
   * generic plan cannot tell a rare word from a common one).
   */
  static final String SEARCH_LIMITS = "SET LOCAL statement_timeout = %d; SET LOCAL plan_cache_mode = force_custom_plan";

  /** A page of a thread's replies ($2: the root), forward: as MESSAGES_BETWEEN. */
  static final String THREAD_BETWEEN =
      ("SELECT " + M + ", " + FOR_READER + " FROM messages m, " + READER_BLOCKS
          + "WHERE m.room_id = $1 AND m.reply_to = $2 AND m.seq > $3 AND m.seq < $4 ORDER BY m.seq LIMIT $5")
          .replace("$T", "$6").replace("$U", "$7");

  /** A page of a thread's replies ($2: the root), backward: as MESSAGES_BEFORE. */
  static final String THREAD_BEFORE =
      ("SELECT " + M + ", " + FOR_READER + " FROM messages m, " + READER_BLOCKS
          + "WHERE m.room_id = $1 AND m.reply_to = $2 AND m.seq < $3 ORDER BY m.seq DESC LIMIT $4")
          .replace("$T", "$5").replace("$U", "$6");

  /** One message of a room as its reader sees it. */
  static final String MESSAGE_FOR_READER =
      ("SELECT " + M + ", " + FOR_READER + " FROM messages m, " + READER_BLOCKS + "WHERE m.room_id = $1 AND m.id = $2")
          .replace("$T", "$3").replace("$U", "$4");

  /** The message a new one replies to, if it is in the room: whether it is deleted. */
  static final String REPLY_TARGET = "SELECT deleted FROM messages WHERE room_id = $1 AND id = $2";

  /** A thread as its event tells it, right after a reply was stored. */
  static final String THREAD_OF = "SELECT " + THREAD + " FROM messages m WHERE m.room_id = $1 AND m.id = $2";

  // Messages: batched writes (see WriteBatch and the repeatable migration R__persist_messages)

  /** Its columns in the order WriteBatch reads them by position. */
  static final String PERSIST_MESSAGES =
      "SELECT out_ord, out_id, out_seq, out_created_at, out_duplicate, out_delivery, out_room_found, out_allowed, "
          + "out_muted_until, out_retry_after_ms, out_slow_mode, out_mentions "
          + "FROM persist_messages($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], "
          + "$7::uuid[], $8::text[], $9::text[], $10::boolean[], $11::text[])";

  // Messages: edits

  /**
   * The message with the editor's rights on it: a member of its room who sent it or is the room's
   * owner or an admin; and until when the editor is muted there (null: not muted).
   */
  static final String MESSAGE_FOR_EDIT =
      "SELECT " + messageColumns("msg.") + ", (m.user_id IS NOT NULL AND (msg.sender_id = $3 OR m.role IN ('owner', 'admin'))) AS allowed, "
          + "r.archived_at IS NOT NULL AS archived, "
          + "CASE WHEN m.muted_until > now() THEN m.muted_until END AS editor_muted_until FROM messages msg "
          + "JOIN rooms r ON r.id = msg.room_id AND r.tenant_id = $4 "
          + "LEFT JOIN room_members m ON m.room_id = msg.room_id AND m.user_id = $3 "
          + "WHERE msg.room_id = $1 AND msg.id = $2 FOR UPDATE OF msg";

  /** The new body, and its mentions decided again (V20: the room's members now). */
  static final String EDIT_MESSAGE =
      "UPDATE messages SET body = $3, edited_at = now(), "
          + "mentions = CASE WHEN strpos($3, '@') > 0 THEN message_mentions(room_id, sender_id, $3) END "
          + "WHERE room_id = $1 AND id = $2 RETURNING " + messageColumns("");

  static final String DELETE_MESSAGE =
      "UPDATE messages SET body = '', meta = NULL, attachments = NULL, mentions = NULL, deleted = true, edited_at = now() "
          + "WHERE room_id = $1 AND id = $2 RETURNING " + messageColumns("");

  // Messages: reactions (one transaction per change, the message's row locked first)

  /**
   * The message to react to, locked, with the reactor's standing in its room: a member (of any room
   * kind: joining a public room makes one), until when muted, the room archived; and whether the
   * reactor has this reaction and how many kinds the message has.
   */
  static final String MESSAGE_FOR_REACTION =
      "SELECT msg.id, msg.deleted, m.user_id IS NOT NULL AS member, r.archived_at IS NOT NULL AS archived, "
          + "CASE WHEN m.muted_until > now() THEN m.muted_until END AS muted_until, "
          + "EXISTS (SELECT 1 FROM message_reactions x WHERE x.message_id = msg.id AND x.emoji = $5 AND x.user_id = $3) AS mine, "
          + "(SELECT count(DISTINCT emoji) FROM message_reactions x WHERE x.message_id = msg.id) AS kinds, "
          + "EXISTS (SELECT 1 FROM message_reactions x WHERE x.message_id = msg.id AND x.emoji = $5) AS kind_used "
          + "FROM messages msg JOIN rooms r ON r.id = msg.room_id AND r.tenant_id = $4 "
          + "LEFT JOIN room_members m ON m.room_id = msg.room_id AND m.user_id = $3 "
          + "WHERE msg.room_id = $1 AND msg.id = $2 FOR UPDATE OF msg";

  static final String ADD_REACTION = "INSERT INTO message_reactions (message_id, emoji, user_id) VALUES ($1, $2, $3)";

  static final String REMOVE_REACTION = "DELETE FROM message_reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3";

  /** Counts the change and reads the message's reactions after it, as the reactor ($U) sees them. */
  static final String REACTIONS_CHANGED =
      ("UPDATE messages m SET reactions_version = reactions_version + 1 WHERE m.id = $1 RETURNING m.reactions_version, "
          + REACTIONS_FOR_READER).replace("$U", "$2");

  /** The message's reactions now, as the reactor ($U) sees them: the answer to a request that changed nothing. */
  static final String REACTIONS_OF =
      ("SELECT m.reactions_version, " + REACTIONS_FOR_READER + " FROM messages m WHERE m.id = $1").replace("$U", "$2");

  // Members: one transaction per change (PgRoomMembers), the room row locked first (LOCK_ROOM)

  /**
   * Locks the room's row for a change, so that the changes of one room (and its messages' seqs) go
   * one at a time; no row for another tenant's room.
   */
  static final String LOCK_ROOM = "SELECT id FROM rooms WHERE id = $1 AND tenant_id = $2 FOR UPDATE";

  /**
   * The locked room with the actor's role (null: not a member) and the number of members. A statement
   * after the lock: under read committed it sees every change committed before the lock was granted,
   * which the locking statement's own snapshot may not.
   */
  static final String ROOM_FOR_CHANGE =
      "SELECT r.kind, m.role AS actor_role, (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS members "
          + "FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $2 WHERE r.id = $1";

  /** The roles of some users in a room; no row for a user who is not a member. */
  static final String ROLES_OF =
      "SELECT user_id, role FROM room_members WHERE room_id = $1 AND user_id = ANY($2::text[])";

  /** Takes the room's next seq for a system message recording a change, and stores that message. */
  static final String SYSTEM_MESSAGE =
      "WITH s AS (UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq) "
          + "INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, meta) "
          + "SELECT $1, s.last_seq, $2, $3, 'system', 'System', $4, $5::jsonb FROM s RETURNING " + messageColumns("");

  /** New members, with everything up to their addition ($3, its seq) read. */
  static final String ADD_MEMBERS =
      "INSERT INTO room_members (room_id, user_id, role, last_read_seq) "
          + "SELECT $1, u, 'member', $3 FROM unnest($2::text[]) AS u ON CONFLICT DO NOTHING";

  static final String OWNER_OF = "SELECT user_id FROM room_members WHERE room_id = $1 AND role = 'owner'";

  /** Which of some users are banned from a room. */
  static final String BANNED = "SELECT user_id FROM room_bans WHERE room_id = $1 AND user_id = ANY($2::text[])";

  static final String BAN = "INSERT INTO room_bans (room_id, user_id, banned_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

  static final String UNBAN = "DELETE FROM room_bans WHERE room_id = $1 AND user_id = $2";

  /** Mutes a member for $3 seconds from now; returns the end. */
  static final String MUTE =
      "UPDATE room_members SET muted_until = now() + make_interval(secs => $3) WHERE room_id = $1 AND user_id = $2 "
          + "RETURNING muted_until";

  /** A member's role and whether they are muted now; no row for a user who is not a member. */
  static final String MUTE_OF =
      "SELECT role, COALESCE(muted_until > now(), false) AS muted FROM room_members WHERE room_id = $1 AND user_id = $2";

  static final String UNMUTE = "UPDATE room_members SET muted_until = NULL WHERE room_id = $1 AND user_id = $2";

  static final String CREATE_INVITE =
      "INSERT INTO room_invites (token_hash, room_id, created_by, expires_at, uses_left) "
          + "VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5) RETURNING expires_at";

  static final String REVOKE_INVITE = "DELETE FROM room_invites WHERE token_hash = $1 AND room_id = $2";

  /** The room of a token, in the user's tenant; read before the room's lock (which comes first). */
  static final String INVITE_ROOM =
      "SELECT i.room_id FROM room_invites i JOIN rooms r ON r.id = i.room_id WHERE i.token_hash = $1 AND r.tenant_id = $2";

  /** The invitation, locked after its room, if it still admits. */
  static final String LIVE_INVITE =
      "SELECT created_by FROM room_invites WHERE token_hash = $1 AND room_id = $2 AND expires_at > now() "
          + "AND (uses_left IS NULL OR uses_left > 0) FOR UPDATE";

  static final String USE_INVITE =
      "UPDATE room_invites SET uses_left = uses_left - 1 WHERE token_hash = $1 AND uses_left IS NOT NULL";

  static final String REMOVE_MEMBER = "DELETE FROM room_members WHERE room_id = $1 AND user_id = $2";

  static final String SET_ROLE = "UPDATE room_members SET role = $3 WHERE room_id = $1 AND user_id = $2";

  static final String AUDIT =
      "INSERT INTO room_audit (room_id, tenant_id, actor_id, action, members, seq, detail) "
          + "VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb)";

  /** The locked room's name, topic, slow mode and archive, for a change of them. */
  static final String ROOM_SETTINGS =
      "SELECT name, topic, slow_mode_seconds, retention_days, archived_at IS NOT NULL AS archived, last_seq FROM rooms WHERE id = $1";

  /**
   * Deletes a locked room with its members, bans and messages; returns who were members. The
   * messages have no foreign key to the room (V7), nor their reactions and idempotency keys to them
   * (V24: messages is partitioned), so they are deleted by name.
   */
  static final String DELETE_ROOM =
      "WITH gone AS (DELETE FROM room_members WHERE room_id = $1 RETURNING user_id), "
          + "messages_gone AS (DELETE FROM messages WHERE room_id = $1 RETURNING id), "
          + "keys_gone AS (DELETE FROM message_client_ids WHERE room_id = $1), "
          + "reactions_gone AS (DELETE FROM message_reactions WHERE message_id IN (SELECT id FROM messages_gone)), "
          + "room_gone AS (DELETE FROM rooms WHERE id = $1) "
          + "SELECT user_id FROM gone ORDER BY user_id";

  /**
   * Sets name and topic (null: unchanged; the topic '' clears it), the archive and the slow mode
   * (null: unchanged).
   */
  static final String UPDATE_ROOM =
      "UPDATE rooms SET name = COALESCE($2, name), topic = CASE WHEN $3::text IS NULL THEN topic ELSE NULLIF($3, '') END, "
          + "archived_at = CASE WHEN $4::boolean IS NULL THEN archived_at WHEN $4 THEN now() ELSE NULL END, "
          + "slow_mode_seconds = COALESCE($5::int, slow_mode_seconds), retention_days = COALESCE($6::int, retention_days) WHERE id = $1";

  // Retention (RetentionJob)

  /** Held until the transaction ends: no session state, so it holds through a transaction pooler. */
  static final String TRY_XACT_LOCK = "SELECT pg_try_advisory_xact_lock($1)";

  /**
   * A page of the rooms whose messages expire, by id after $1, with their days: the room's own, else
   * its tenant's ($3, a JSON object of tenant to days), else the default ($2); 0 is forever.
   */
  static final String ROOMS_WITH_RETENTION =
      "SELECT * FROM (SELECT r.id, r.last_seq, r.expired_seq, CASE WHEN r.retention_days > 0 THEN r.retention_days "
          + "ELSE COALESCE(($3::jsonb ->> r.tenant_id)::int, $2::int) END AS days FROM rooms r WHERE r.id > $1) x "
          + "WHERE days > 0 ORDER BY id LIMIT $4";

  /**
   * The oldest seq of a room to keep (null: none), found from its oldest message: a scan of the
   * primary key that stops at the first message newer than the cutoff, so it reads the expired ones only.
   */
  static final String FIRST_KEPT_SEQ =
      "SELECT seq FROM messages WHERE room_id = $1 AND created_at >= $2 ORDER BY seq LIMIT 1";

  /**
   * Deletes a range of a room's messages with their reactions and idempotency keys (no foreign key
   * since V24: messages is partitioned); answers how many messages.
   */
  static final String DELETE_EXPIRED =
      "WITH gone AS (DELETE FROM messages WHERE room_id = $1 AND seq > $2 AND seq <= $3 RETURNING id, client_msg_id), "
          + "keys_gone AS (DELETE FROM message_client_ids k USING gone g WHERE k.room_id = $1 AND k.client_msg_id = g.client_msg_id), "
          + "reactions_gone AS (DELETE FROM message_reactions WHERE message_id IN (SELECT id FROM gone)) "
          + "SELECT count(*) FROM gone";

  static final String EXPIRED_UP_TO = "UPDATE rooms SET expired_seq = GREATEST(expired_seq, $2) WHERE id = $1";

  // Blocks (PgUserBlocks)

  /** Whom a user blocks ($3) already, and how many they block. */
  static final String BLOCK_STATE =
      "SELECT count(*) AS blocks, COALESCE(bool_or(blocked_id = $3), false) AS blocked FROM user_blocks "
          + "WHERE tenant_id = $1 AND blocker_id = $2";

  static final String BLOCK = "INSERT INTO user_blocks (tenant_id, blocker_id, blocked_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

  static final String UNBLOCK = "DELETE FROM user_blocks WHERE tenant_id = $1 AND blocker_id = $2 AND blocked_id = $3";

  static final String BLOCKS_OF =
      "SELECT blocked_id, created_at FROM user_blocks WHERE tenant_id = $1 AND blocker_id = $2 ORDER BY blocked_id";

  /** A row when either of two users blocks the other. */
  static final String BLOCK_BETWEEN =
      "SELECT 1 FROM user_blocks WHERE tenant_id = $1 AND ((blocker_id = $2 AND blocked_id = $3) "
          + "OR (blocker_id = $3 AND blocked_id = $2)) LIMIT 1";

  /** The members of a room the user may read (as {@link #ROOM_FOR_USER} decides), owner first. */
  /** A room's members by role then user id, with the end of each mute that lasts. */
  static final String MEMBERS =
      "SELECT user_id, role, CASE WHEN muted_until > now() THEN muted_until END AS muted_until FROM room_members WHERE room_id = $1 "
          + "ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, user_id";
}
