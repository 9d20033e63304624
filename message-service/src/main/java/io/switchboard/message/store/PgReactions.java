package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Identities;
import io.switchboard.common.chat.Reaction;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.ReactionResult;
import io.switchboard.common.chat.MessageRules;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Reactions} on Postgres: one short transaction per change, the message's row locked first, so
 * that the checks, the change and the count of changes ({@code reactions_version}) of one message go
 * one at a time.
 */
public final class PgReactions implements Reactions {
  private static final Logger LOG = LoggerFactory.getLogger(PgReactions.class);

  private final Pool pool;
  private final int maxKinds;

  public PgReactions(Pool pool, int maxKinds) {
    this.pool = pool;
    this.maxKinds = maxKinds;
  }

  @Override
  public Future<ReactionResult> change(ReactionChange change) {
    String problem = problem(change);
    if (problem != null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, problem));
    }
    UUID messageId = UUID.fromString(change.messageId());
    String user = change.user().userId();
    return pool.withTransaction(conn -> conn.preparedQuery(Sql.MESSAGE_FOR_REACTION)
            .execute(Tuple.of(change.roomId(), messageId, user, change.user().tenant(), change.emoji()))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such message"));
              }
              Row row = rows.iterator().next();
              ServiceException refusal = refusal(change, row);
              if (refusal != null) {
                return Future.failedFuture(refusal);
              }
              boolean mine = row.getBoolean("mine");
              if (change.add() == mine) {
                return reactions(conn, Sql.REACTIONS_OF, messageId, user, false, change);
              }
              String statement = change.add() ? Sql.ADD_REACTION : Sql.REMOVE_REACTION;
              return conn.preparedQuery(statement).execute(Tuple.of(messageId, change.emoji(), user))
                  .compose(done -> reactions(conn, Sql.REACTIONS_CHANGED, messageId, user, true, change));
            }))
        .recover(failure -> {
          if (failure instanceof ServiceException) {
            return Future.failedFuture(failure);
          }
          LOG.warn("postgres: reaction change failed: {}", failure.toString());
          return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
        });
  }

  private ServiceException refusal(ReactionChange change, Row row) {
    if (!row.getBoolean("member")) {
      return ServiceException.of(ErrorCode.FORBIDDEN, "not a member of this room");
    }
    if (row.getBoolean("deleted")) {
      return ServiceException.of(ErrorCode.NOT_FOUND, "message deleted");
    }
    if (row.getBoolean("archived")) {
      return ServiceException.of(ErrorCode.ROOM_ARCHIVED, "the room is archived: read-only");
    }
    if (!change.add()) {
      return null;
    }
    OffsetDateTime muted = row.getOffsetDateTime("muted_until");
    if (muted != null) {
      return Moderation.muted(muted.toInstant());
    }
    if (!row.getBoolean("kind_used") && row.getLong("kinds") >= maxKinds) {
      return ServiceException.of(ErrorCode.REACTION_LIMIT,
          "the message has " + maxKinds + " kinds of reaction: react with one of them");
    }
    return null;
  }

  private static Future<ReactionResult> reactions(SqlConnection conn, String statement, UUID messageId, String user,
      boolean changed, ReactionChange change) {
    return conn.preparedQuery(statement).execute(Tuple.of(messageId, user)).map(rows -> {
      Row row = rows.iterator().next();
      return new ReactionResult(change.roomId(), change.messageId(), changed, Rows.reactions(row),
          row.getInteger("reactions_version"));
    });
  }

  private static String problem(ReactionChange change) {
    if (change.user() == null || change.user().userId() == null || change.user().tenant() == null || change.roomId() == null) {
      return "a reaction needs a user with a tenant and a room";
    }
    if (!MessageRules.validUuid(change.messageId())) {
      return "messageId: a message id (UUID)";
    }
    String problem = Identities.userIdProblem(change.user().userId());
    return problem != null ? "user: " + problem : Reaction.emojiProblem(change.emoji());
  }
}
