package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.chat.RoomRole;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.ops.Audit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RoomSettings} on Postgres: a transaction of a few statements, the room's row locked first. */
public final class PgRoomSettings implements RoomSettings {
  private static final Logger LOG = LoggerFactory.getLogger(PgRoomSettings.class);
  /** As create-room's schema: a name of 1 to 200 characters. */
  static final int MAX_NAME = 200;
  static final int MAX_TOPIC = 500;
  /** The longest wait slow mode sets between two messages of a member: 6 hours. */
  static final int MAX_SLOW_MODE = 21600;
  /** The longest retention a room may set: a hundred years. */
  static final int MAX_RETENTION_DAYS = 36500;

  private final Pool pool;

  public PgRoomSettings(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<RoomChangeResult> change(RoomChange change, boolean system) {
    String problem = problem(change);
    if (problem != null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, problem));
    }
    Sender actor = change.actor();
    return pool.withTransaction(conn -> ChangeLog.lock(conn, change.roomId(), actor)
            .compose(room -> {
              RoomRole role = system ? RoomRole.OWNER : RoomRole.fromWire(room.getString("actor_role")).orElse(null);
              if (role == null) {
                return refused(ErrorCode.FORBIDDEN, "not a member of this room");
              }
              if (RoomKind.DIRECT.wire().equals(room.getString("kind"))) {
                return refused(ErrorCode.FORBIDDEN, "a direct room has no name, topic or archive to change");
              }
              if (!role.manages()) {
                return refused(ErrorCode.FORBIDDEN, "only the owner or an admin may change the room");
              }
              if (change.action() == RoomChange.Action.DELETE && role != RoomRole.OWNER) {
                return refused(ErrorCode.FORBIDDEN, "only the owner may delete the room");
              }
              return conn.preparedQuery(Sql.ROOM_SETTINGS).execute(Tuple.of(change.roomId()))
                  .compose(rows -> change.action() == RoomChange.Action.DELETE
                      ? delete(conn, change, rows.iterator().next())
                      : apply(conn, change, rows.iterator().next()));
            }))
        .onSuccess(PgRoomSettings::audit)
        .recover(failure -> failed(failure));
  }

  private static String problem(RoomChange change) {
    if (change.actor() == null || change.actor().userId() == null || change.actor().tenant() == null
        || change.roomId() == null || change.action() == null) {
      return "a room change needs an actor with a tenant, a room and an action";
    }
    if (change.action() == RoomChange.Action.UPDATE) {
      if (change.name() == null && change.topic() == null && change.slowMode() == null && change.retentionDays() == null) {
        return "name, topic, slowMode or retentionDays: give at least one";
      }
      if (change.retentionDays() != null && (change.retentionDays() < 0 || change.retentionDays() > MAX_RETENTION_DAYS)) {
        return "retentionDays: 0 to " + MAX_RETENTION_DAYS;
      }
      if (change.slowMode() != null && (change.slowMode() < 0 || change.slowMode() > MAX_SLOW_MODE)) {
        return "slowMode: 0 to " + MAX_SLOW_MODE + " seconds";
      }
      if (change.name() != null && (change.name().isBlank() || change.name().length() > MAX_NAME)) {
        return "name: 1 to " + MAX_NAME + " characters";
      }
      if (change.topic() != null && change.topic().length() > MAX_TOPIC) {
        return "topic: at most " + MAX_TOPIC + " characters";
      }
    }
    return null;
  }

  private static Future<RoomChangeResult> apply(SqlConnection conn, RoomChange change, Row now) {
    String actorId = change.actor().userId();
    String name = change.name() == null ? now.getString("name") : change.name();
    String topic = change.topic() == null ? now.getString("topic") : change.topic().isEmpty() ? null : change.topic();
    int slowMode = change.slowMode() == null ? now.getInteger("slow_mode_seconds") : change.slowMode();
    int retention = change.retentionDays() == null ? now.getInteger("retention_days") : change.retentionDays();
    boolean archived = switch (change.action()) {
      case UPDATE, DELETE -> now.getBoolean("archived");
      case ARCHIVE -> true;
      case UNARCHIVE -> false;
    };
    if (name.equals(now.getString("name")) && Objects.equals(topic, now.getString("topic"))
        && slowMode == now.getInteger("slow_mode_seconds") && retention == now.getInteger("retention_days")
        && archived == now.getBoolean("archived")) {
      return Future.succeededFuture(new RoomChangeResult(change.roomId(), change.actor().tenant(), change.action(), actorId,
          0, null));
    }
    JsonObject meta = new JsonObject().put("actorId", actorId);
    String body;
    switch (change.action()) {
      case UPDATE -> {
        meta.put("event", ClientEvents.ROOM_UPDATED).put("name", name).put("topic", topic).put("slowMode", slowMode)
            .put("retentionDays", retention);
        body = actorId + (!name.equals(now.getString("name")) ? " renamed the room to " + name
            : !Objects.equals(topic, now.getString("topic")) ? " changed the topic"
            : slowMode != now.getInteger("slow_mode_seconds")
                ? slowMode == 0 ? " turned slow mode off" : " set slow mode to one message per " + slowMode + " s"
            : retention == 0 ? " set the room to keep messages as the tenant does"
            : " set the room to keep messages " + retention + " days");
      }
      case ARCHIVE -> {
        meta.put("event", ClientEvents.ROOM_ARCHIVED);
        body = actorId + " archived the room";
      }
      default -> {
        meta.put("event", ClientEvents.ROOM_UNARCHIVED);
        body = actorId + " unarchived the room";
      }
    }
    JsonObject detail = new JsonObject().put("name", name).put("topic", topic).put("slowMode", slowMode)
        .put("retentionDays", retention)
        .put("archived", archived);
    return ChangeLog.record(conn, change.roomId(), change.actor(), change.action().name().toLowerCase(), meta, body,
            new JsonArray(), detail)
        .compose(message -> conn.preparedQuery(Sql.UPDATE_ROOM)
            .execute(Tuple.of(change.roomId(), change.name(), change.topic(),
                change.action() == RoomChange.Action.UPDATE ? null : archived, change.slowMode(), change.retentionDays()))
            .map(v -> new RoomChangeResult(change.roomId(), change.actor().tenant(), change.action(), actorId,
                message.seq(), message)));
  }

  /**
   * Deletes the room with its members, bans and messages, and audits it (with the room's last seq
   * and who were members). The result's seq is the one after the room's last, for the event's order.
   */
  private static Future<RoomChangeResult> delete(SqlConnection conn, RoomChange change, Row now) {
    long lastSeq = now.getLong("last_seq");
    return conn.preparedQuery(Sql.DELETE_ROOM).execute(Tuple.of(change.roomId())).compose(rows -> {
      java.util.List<String> members = new java.util.ArrayList<>();
      rows.forEach(r -> members.add(r.getString("user_id")));
      JsonObject detail = new JsonObject().put("name", now.getString("name")).put("deleted", true)
          .put("formerMembers", new JsonArray(members));
      return conn.preparedQuery(Sql.AUDIT).execute(Tuple.of(change.roomId(), change.actor().tenant(),
              change.actor().userId(), "delete", new JsonArray(), lastSeq).addValue(detail))
          .map(v -> new RoomChangeResult(change.roomId(), change.actor().tenant(), change.action(), change.actor().userId(),
              lastSeq + 1, null, members));
    });
  }

  private static void audit(RoomChangeResult result) {
    if (result.changed()) {
      Audit.roomChange("room." + result.action().name().toLowerCase(), result.actorId(), result.tenant(), result.roomId(),
          result.seq(), "[]");
    }
  }

  private static <T> Future<T> refused(ErrorCode code, String message) {
    return Future.failedFuture(ServiceException.of(code, message));
  }

  private static <T> Future<T> failed(Throwable failure) {
    if (failure instanceof ServiceException) {
      return Future.failedFuture(failure);
    }
    LOG.warn("postgres: room change failed: {}", failure.toString());
    return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
  }
}
