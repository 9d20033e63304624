package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.Sender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The two steps every change of a room takes in its transaction ({@link PgRoomMembers},
 * {@link PgRoomSettings}): first lock the room and read it as the actor sees it; last record the
 * change, as a system message with the room's next seq and a row of {@code room_audit}.
 */
final class ChangeLog {
  private ChangeLog() {}

  /**
   * Locks the room of the actor's tenant and reads its kind, the actor's role ({@code actor_role},
   * null when not a member) and its number of members; {@code NOT_FOUND} for no such room.
   */
  static Future<Row> lock(SqlConnection conn, String roomId, Sender actor) {
    return conn.preparedQuery(Sql.LOCK_ROOM).execute(Tuple.of(roomId, actor.tenant()))
        .compose(locked -> locked.size() == 0
            ? Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such room"))
            // Read after the lock, in a statement of its own: a snapshot that sees the changes committed before.
            : conn.preparedQuery(Sql.ROOM_FOR_CHANGE).execute(Tuple.of(roomId, actor.userId())))
        .map(rows -> rows.iterator().next());
  }

  /**
   * Takes the room's next seq for the system message of a change ({@code meta}: the change as its
   * event tells it) and audits the change: {@code members} concerned, {@code detail} of the room's
   * new settings (or null).
   */
  static Future<ChatMessage> record(SqlConnection conn, String roomId, Sender actor, String action, JsonObject meta,
      String body, JsonArray members, JsonObject detail) {
    return conn.preparedQuery(Sql.SYSTEM_MESSAGE)
        .execute(Tuple.of(roomId, UUID.randomUUID(), UUID.randomUUID().toString(), body, meta))
        .compose(rows -> {
          ChatMessage message = Rows.message(rows.iterator().next());
          return conn.preparedQuery(Sql.AUDIT)
              .execute(Tuple.of(roomId, actor.tenant(), actor.userId(), action, members, message.seq()).addValue(detail))
              .map(message);
        });
  }
}
