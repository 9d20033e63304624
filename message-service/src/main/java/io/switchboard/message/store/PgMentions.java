package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.MentionListRequest;
import io.switchboard.common.chat.MentionPage;
import io.switchboard.common.chat.Sender;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
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
