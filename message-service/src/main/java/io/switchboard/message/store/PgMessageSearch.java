package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.SearchHit;
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

/** {@link MessageSearch} on Postgres' own text search: one statement per page (Sql#SEARCH_MESSAGES). */
public final class PgMessageSearch implements MessageSearch {
  private static final Logger LOG = LoggerFactory.getLogger(PgMessageSearch.class);
  /** Most hits of one page. */
  public static final int MAX_LIMIT = 50;

  private final SqlClient statements;

  public PgMessageSearch(SqlClient statements) {
    this.statements = statements;
  }

  @Override
  public Future<MessageSearchPage> search(MessageSearchRequest request) {
    String problem = problem(request);
    if (problem != null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, problem));
    }
    Sender user = request.user();
    Future<Void> room = request.roomId() == null ? Future.succeededFuture() : member(user, request.roomId());
    return room.compose(v -> statements.preparedQuery(Sql.SEARCH_MESSAGES).execute(Tuple.of(user.tenant(), user.userId(),
            request.roomId(), request.query().strip(), request.afterRank(),
            request.afterCreatedAt() == null ? null : OffsetDateTime.parse(request.afterCreatedAt()),
            request.afterId() == null ? null : UUID.fromString(request.afterId()), request.limit() + 1)))
        .map(rows -> {
          List<SearchHit> hits = new ArrayList<>(rows.size());
          for (Row row : rows) {
            hits.add(new SearchHit(Rows.message(row), row.getFloat("rank")));
          }
          if (hits.size() <= request.limit()) {
            return new MessageSearchPage(hits, null);
          }
          List<SearchHit> page = hits.subList(0, request.limit());
          return new MessageSearchPage(page, MessageSearchRequest.next(page.get(page.size() - 1)));
        })
        .recover(failure -> {
          if (failure instanceof ServiceException) {
            return Future.failedFuture(failure);
          }
          LOG.warn("postgres: message search failed: {}", failure.toString());
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

  private static String problem(MessageSearchRequest request) {
    if (request.user() == null || request.user().userId() == null || request.user().tenant() == null) {
      return "a search needs a user with a tenant";
    }
    if (request.limit() < 1 || request.limit() > MAX_LIMIT) {
      return "limit: 1 to " + MAX_LIMIT;
    }
    return MessageSearchRequest.queryProblem(request.query());
  }
}
