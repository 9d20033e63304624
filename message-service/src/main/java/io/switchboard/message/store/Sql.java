package io.switchboard.message.store;

/** Every statement the message store runs, in one place. */
final class Sql {
  private Sql() {}

  static final String ENSURE_TENANT = "INSERT INTO tenants (id) VALUES ($1) ON CONFLICT DO NOTHING";

  static final String INSERT_ROOM =
      "INSERT INTO rooms (id, tenant_id, name, kind, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING created_at";

  static final String INSERT_MEMBERS =
      "INSERT INTO room_members (room_id, user_id, role) "
          + "SELECT $1, u, CASE WHEN u = $3 THEN 'admin' ELSE 'member' END FROM unnest($2::text[]) AS u "
          + "ON CONFLICT DO NOTHING";

  static final String ROOM_FOR_USER =
      "SELECT r.kind, r.last_seq, m.user_id IS NOT NULL AS member, COALESCE(m.last_read_seq, 0) AS last_read_seq, "
          + "(SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS members "
          + "FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $2 "
          + "WHERE r.id = $1 AND r.tenant_id = $3";

  static final String ADD_MEMBER =
      "INSERT INTO room_members (room_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

  static final String MESSAGES_AFTER =
      "SELECT * FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";

  /**
   * Takes the room's next seq and inserts the message in one statement: the room row stays locked
   * until commit, so concurrent writers to one room queue up and seq has no gap; a duplicate client
   * message id aborts the statement, increment included.
   */
  static final String INSERT_MESSAGE =
      "WITH next AS (UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq) "
          + "INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, reply_to, meta) "
          + "SELECT $1, next.last_seq, $2, $3, $4, $5, $6, $7, $8 FROM next "
          + "RETURNING *";

  static final String MESSAGE_BY_CLIENT_ID =
      "SELECT * FROM messages WHERE room_id = $1 AND client_msg_id = $2";
}
