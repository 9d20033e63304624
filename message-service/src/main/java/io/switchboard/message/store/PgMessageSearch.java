package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.SearchHit;
import io.switchboard.common.chat.Sender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
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
 * {@link MessageSearch} on Postgres' own text search: a short transaction per page, its limits set
 * (Sql#SEARCH_LIMITS), then one statement (Sql#SEARCH_MESSAGES).
 */
public final class PgMessageSearch implements MessageSearch {
  private static final Logger LOG = LoggerFactory.getLogger(PgMessageSearch.class);
  /** Postgres' SQLSTATE of a statement cancelled by its statement_timeout. */
  private static final String QUERY_CANCELED = "57014";
  /** Most hits of one page. */
  public static final int MAX_LIMIT = 50;

  private final SqlClient statements;
  private final Reads reads;
  /** How long Postgres may rank one page (SEARCH_TIMEOUT_MS). */
  private final int timeoutMs;

  public PgMessageSearch(Pool pool, SqlClient statements, int timeoutMs) {
    this(pool, statements, timeoutMs, Reads.primaryOnly(statements, pool));
  }

  /** {@code reads}: where the search runs (a replica, PG_READ_URL; the room check stays on the primary). */
  public PgMessageSearch(Pool pool, SqlClient statements, int timeoutMs, Reads reads) {
    this.reads = reads;
    this.statements = statements;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<MessageSearchPage> search(MessageSearchRequest request) {
    String problem = problem(request);
    if (problem != null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, problem));
    }
    Sender user = request.user();
    Future<Void> room = request.roomId() == null ? Future.succeededFuture() : member(user, request.roomId());
    Tuple params = Tuple.of(user.tenant(), user.userId(), request.roomId(), request.query().strip(), request.afterRank(),
        request.afterCreatedAt() == null ? null : OffsetDateTime.parse(request.afterCreatedAt()));
    params.addUUID(request.afterId() == null ? null : UUID.fromString(request.afterId())).addInteger(request.limit() + 1);
    // Across the user's rooms as the replica has them: a message may be found a replication lag late.
    return room.compose(v -> reads.anyTransaction(conn -> conn.query(String.format(Sql.SEARCH_LIMITS, timeoutMs)).execute()
            .compose(set -> conn.preparedQuery(Sql.SEARCH_MESSAGES).execute(params))))
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
          if (failure instanceof PgException pg && QUERY_CANCELED.equals(pg.getSqlState())) {
            return Future.failedFuture(new ServiceException(ErrorCode.VALIDATION_ERROR, "invalid request",
                new JsonObject().put("details", new JsonArray().add(new JsonObject().put("field", "query")
                    .put("message", "matches too many messages to rank in time: add words, or name a room")))));
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
