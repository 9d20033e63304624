package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.NotificationPolicyRequest;
import io.switchboard.common.chat.NotificationPolicyState;
import io.switchboard.common.chat.Sender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notification policies (V21, docs/protocol.md "Notifications"): a user's default and their rooms',
 * read and changed with one statement each. Checked here, whoever asks on the event bus: a level of
 * the three, a mute that ends in the future and within {@link NotificationPolicyRequest#MAX_MUTE_DAYS},
 * a room of the user's tenant ({@code NOT_FOUND}) that they are a member of ({@code FORBIDDEN}).
 */
public final class PgNotificationPolicies {
  private static final Logger LOG = LoggerFactory.getLogger(PgNotificationPolicies.class);

  /** The default's row and the room's ('' for none), each or both absent. */
  private static final String READ =
      "SELECT d.level AS default_level, CASE WHEN d.muted_until > now() THEN d.muted_until END AS default_muted, "
          + "r.level AS room_level, CASE WHEN r.muted_until > now() THEN r.muted_until END AS room_muted "
          + "FROM (SELECT 1) one "
          + "LEFT JOIN notification_policies d ON d.tenant_id = $1 AND d.user_id = $2 AND d.room_id = '' "
          + "LEFT JOIN notification_policies r ON $3 <> '' AND r.tenant_id = $1 AND r.user_id = $2 AND r.room_id = $3";

  /**
   * Sets the fields given ($6: the level $4; $7: the mute $5), keeping the others; a new default row
   * without a level gets {@code all}.
   */
  private static final String WRITE =
      "INSERT INTO notification_policies (tenant_id, user_id, room_id, level, muted_until) "
          + "VALUES ($1, $2, $3, CASE WHEN $6 THEN $4 WHEN $3 = '' THEN 'all' END, CASE WHEN $7 THEN $5::timestamptz END) "
          + "ON CONFLICT (tenant_id, user_id, room_id) DO UPDATE SET "
          + "level = CASE WHEN $6 THEN EXCLUDED.level ELSE notification_policies.level END, "
          + "muted_until = CASE WHEN $7 THEN EXCLUDED.muted_until ELSE notification_policies.muted_until END, "
          + "updated_at = now()";

  private final SqlClient statements;

  public PgNotificationPolicies(SqlClient statements) {
    this.statements = statements;
  }

  public Future<NotificationPolicyState> handle(NotificationPolicyRequest request) {
    Sender user = request.user();
    if (user == null || user.userId() == null || user.tenant() == null) {
      return invalid("user", "a policy needs a user with a tenant");
    }
    String room = request.roomId() == null ? "" : request.roomId();
    OffsetDateTime mutedUntil = null;
    if (request.set()) {
      if (!request.setLevel() && !request.setMute()) {
        return invalid("level", "give level, mutedUntil or both");
      }
      if (request.setLevel()) {
        if (request.level() == null ? room.isEmpty() : !NotificationPolicyRequest.LEVELS.contains(request.level())) {
          return invalid("level", room.isEmpty() ? "one of all, mentions, none" : "one of all, mentions, none, or null (as your default)");
        }
      }
      if (request.setMute() && request.mutedUntil() != null) {
        try {
          mutedUntil = Instant.parse(request.mutedUntil()).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException notATime) {
          return invalid("mutedUntil", "an ISO-8601 time, such as 2026-12-24T08:00:00Z");
        }
        Instant now = Instant.now();
        if (!mutedUntil.toInstant().isAfter(now)) {
          return invalid("mutedUntil", "must be in the future (null unmutes)");
        }
        if (mutedUntil.toInstant().isAfter(now.plus(NotificationPolicyRequest.MAX_MUTE_DAYS, ChronoUnit.DAYS))) {
          return invalid("mutedUntil", "at most " + NotificationPolicyRequest.MAX_MUTE_DAYS + " days ahead");
        }
      }
    }
    Future<Void> member = room.isEmpty() ? Future.succeededFuture() : member(user, room);
    OffsetDateTime until = mutedUntil;
    Future<?> written = !request.set() ? member : member.compose(v -> statements.preparedQuery(WRITE).execute(
        Tuple.of(user.tenant(), user.userId(), room, request.level(), until, request.setLevel()).addBoolean(request.setMute())));
    return written.compose(v -> statements.preparedQuery(READ).execute(Tuple.of(user.tenant(), user.userId(), room)))
        .map(rows -> state(request.roomId(), rows.iterator().next()))
        .recover(failure -> {
          if (failure instanceof ServiceException) {
            return Future.failedFuture(failure);
          }
          LOG.warn("postgres: notification policy failed: {}", failure.toString());
          return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
        });
  }

  private static NotificationPolicyState state(String roomId, Row row) {
    String defaultLevel = row.getString("default_level") == null ? "all" : row.getString("default_level");
    OffsetDateTime defaultMuted = row.getOffsetDateTime("default_muted");
    OffsetDateTime roomMuted = row.getOffsetDateTime("room_muted");
    if (roomId == null) {
      String iso = Rows.iso(defaultMuted);
      return new NotificationPolicyState(null, defaultLevel, iso, defaultLevel, iso);
    }
    String roomLevel = row.getString("room_level");
    OffsetDateTime later = defaultMuted == null ? roomMuted
        : roomMuted == null || defaultMuted.isAfter(roomMuted) ? defaultMuted : roomMuted;
    return new NotificationPolicyState(roomId, roomLevel, Rows.iso(roomMuted), roomLevel == null ? defaultLevel : roomLevel,
        Rows.iso(later));
  }

  private static <T> Future<T> invalid(String field, String message) {
    return Future.failedFuture(new ServiceException(ErrorCode.VALIDATION_ERROR, "invalid request", new JsonObject()
        .put("details", new JsonArray().add(new JsonObject().put("field", field).put("message", message)))));
  }

  /** The room must be the user's: another tenant's is {@code NOT_FOUND}, one they are not in {@code FORBIDDEN}. */
  private Future<Void> member(Sender user, String roomId) {
    return statements.preparedQuery(Sql.ROOM_FOR_USER).execute(Tuple.of(roomId, user.userId(), user.tenant())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such room"));
      }
      return rows.iterator().next().getBoolean("member") ? Future.succeededFuture()
          : Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "not a member of this room"));
    });
  }
}
