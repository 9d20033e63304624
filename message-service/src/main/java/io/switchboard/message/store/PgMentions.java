package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.Json;
import io.switchboard.common.chat.Identities;
import io.switchboard.common.chat.MentionListRequest;
import io.switchboard.common.chat.MentionPage;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's mentions (docs/protocol.md, "Mentions"): decided when messages are written (V20), read
 * here with one statement per page (Sql#MENTIONS_OF_USER).
 */
public final class PgMentions {
  private static final Logger LOG = LoggerFactory.getLogger(PgMentions.class);

  private final SqlClient statements;

  public PgMentions(SqlClient statements) {
    this.statements = statements;
  }

  /** A page of the user's mentions; a room named must be theirs ({@code NOT_FOUND}, {@code FORBIDDEN}). */
  public Future<MentionPage> list(MentionListRequest request) {
    Sender user = request.user();
    if (user == null || user.userId() == null || user.tenant() == null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, "mentions need a user with a tenant"));
    }
    if (request.limit() < 1 || request.limit() > MentionListRequest.MAX_LIMIT) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, "limit: 1 to " + MentionListRequest.MAX_LIMIT));
    }
    Future<Void> room = request.roomId() == null ? Future.succeededFuture() : member(user, request.roomId());
    Tuple params = Tuple.of(user.tenant(), user.userId(), request.roomId(),
        request.since() == null ? null : OffsetDateTime.parse(request.since()),
        request.afterCreatedAt() == null ? null : OffsetDateTime.parse(request.afterCreatedAt()));
    params.addUUID(request.afterId() == null ? null : UUID.fromString(request.afterId())).addInteger(request.limit() + 1);
    return room.compose(v -> statements.preparedQuery(Sql.MENTIONS_OF_USER).execute(params)).map(rows -> {
      List<MentionPage.Mention> found = new ArrayList<>(rows.size());
      for (Row row : rows) {
        found.add(new MentionPage.Mention(Rows.message(row), row.getBoolean("unread")));
      }
      if (found.size() <= request.limit()) {
        return new MentionPage(found, null);
      }
      List<MentionPage.Mention> page = found.subList(0, request.limit());
      return new MentionPage(page, MentionListRequest.next(page.get(page.size() - 1).message()));
    }).recover(failure -> {
      if (failure instanceof ServiceException) {
        return Future.failedFuture(failure);
      }
      LOG.warn("postgres: mentions failed: {}", failure.toString());
      return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
    });
  }

  /**
   * The digest of {@code chat.digest} (docs/protocol.md section 6): for {@code userId} of
   * {@code tenant}, the rooms with unread messages stored after {@code since} and the messages that
   * mention them stored after it, newest first, at most {@code limit} (1..100, default 50) of each.
   */
  public Future<JsonObject> digest(JsonObject request) {
    String tenant = request.getValue("tenant") instanceof String t ? t : null;
    String userId = request.getValue("userId") instanceof String u ? u : null;
    Object limitValue = request.getValue("limit", MentionListRequest.DEFAULT_LIMIT);
    String problem = tenant == null ? "tenant: required" : Identities.tenantProblem(tenant);
    if (problem == null) {
      problem = userId == null ? "userId: required" : Identities.userIdProblem(userId);
    }
    Instant since = null;
    if (problem == null) {
      try {
        since = Instant.parse(request.getString("since"));
      } catch (RuntimeException notATime) {
        problem = "since: an ISO-8601 time, such as 2026-12-07T08:00:00Z";
      }
    }
    if (problem == null && !(limitValue instanceof Integer n && n >= 1 && n <= MentionListRequest.MAX_LIMIT)) {
      problem = "limit: 1 to " + MentionListRequest.MAX_LIMIT;
    }
    if (problem != null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, problem));
    }
    int limit = (Integer) limitValue;
    OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
    Sender user = new Sender(tenant, userId, null);
    Future<MentionPage> mentions = list(new MentionListRequest(user, null, null, null, since.toString(), limit));
    Future<JsonArray> rooms = statements.preparedQuery(Sql.DIGEST_ROOMS).execute(Tuple.of(tenant, userId, from, limit + 1))
        .map(rows -> {
          JsonArray list = new JsonArray();
          for (Row r : rows) {
            list.add(new JsonObject().put("id", r.getString("id")).put("name", r.getString("name")).put("kind", r.getString("kind"))
                .put("lastSeq", r.getLong("last_seq")).put("unread", r.getLong("unread")).put("unreadSince", r.getLong("unread_since"))
                .put("unreadMentions", r.getLong("unread_mentions"))
                .put("lastMessageAt", Rows.iso(r.getOffsetDateTime("last_message_at"))));
          }
          return list;
        });
    return Future.all(mentions, rooms).map(v -> {
      JsonArray found = rooms.result();
      boolean moreRooms = found.size() > limit;
      JsonArray told = new JsonArray();
      mentions.result().mentions().forEach(m -> told.add(new JsonObject().put("message", Json.toJson(m.message()))
          .put("unread", m.unread())));
      return new JsonObject().put("ok", true).put("userId", userId).put("since", request.getString("since"))
          .put("rooms", moreRooms ? new JsonArray(found.getList().subList(0, limit)) : found).put("moreRooms", moreRooms)
          .put("mentions", told).put("moreMentions", mentions.result().next() != null);
    }).recover(failure -> {
      if (failure instanceof ServiceException) {
        return Future.failedFuture(failure);
      }
      LOG.warn("postgres: digest failed: {}", failure.toString());
      return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
    });
  }

  /** A room named must be the user's: another tenant's is {@code NOT_FOUND}, one they are not in {@code FORBIDDEN}. */
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
