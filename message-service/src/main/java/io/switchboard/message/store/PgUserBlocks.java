package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.Identities;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.ops.Audit;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link UserBlocks} on Postgres: a change is a short transaction, a list one statement. */
public final class PgUserBlocks implements UserBlocks {
  private static final Logger LOG = LoggerFactory.getLogger(PgUserBlocks.class);

  private final Pool pool;

  public PgUserBlocks(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<BlockList> change(BlockChange change) {
    String problem = problem(change);
    if (problem != null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, problem));
    }
    Sender user = change.user();
    Tuple them = Tuple.of(user.tenant(), user.userId(), change.userId());
    return pool.withTransaction(conn -> {
          Future<Boolean> changed = switch (change.action()) {
            case LIST -> Future.succeededFuture(false);
            case UNBLOCK -> conn.preparedQuery(Sql.UNBLOCK).execute(them).map(rows -> rows.rowCount() > 0);
            case BLOCK -> conn.preparedQuery(Sql.BLOCK_STATE).execute(them).compose(rows -> {
              var state = rows.iterator().next();
              if (state.getBoolean("blocked")) {
                return Future.succeededFuture(false);
              }
              if (state.getLong("blocks") >= MAX_BLOCKS) {
                return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR,
                    "userId: you block " + MAX_BLOCKS + " users already; unblock one first"));
              }
              return conn.preparedQuery(Sql.BLOCK).execute(them).map(inserted -> inserted.rowCount() > 0);
            });
          };
          return changed.compose(done -> list(conn, user).map(blocks -> new BlockList(blocks, done)));
        })
        .onSuccess(result -> {
          if (result.changed()) {
            Audit.userChange(change.action() == BlockChange.Action.BLOCK ? "user.blocked" : "user.unblocked",
                user.userId(), user.tenant(), change.userId());
          }
        })
        .recover(failure -> {
          if (failure instanceof ServiceException) {
            return Future.failedFuture(failure);
          }
          LOG.warn("postgres: block change failed: {}", failure.toString());
          return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
        });
  }

  private static Future<List<BlockList.Blocked>> list(SqlClient conn, Sender user) {
    return conn.preparedQuery(Sql.BLOCKS_OF).execute(Tuple.of(user.tenant(), user.userId())).map(rows -> {
      List<BlockList.Blocked> blocks = new ArrayList<>(rows.size());
      rows.forEach(r -> blocks.add(new BlockList.Blocked(r.getString("blocked_id"), Rows.iso(r.getOffsetDateTime("created_at")))));
      return blocks;
    });
  }

  private static String problem(BlockChange change) {
    if (change.user() == null || change.user().userId() == null || change.user().tenant() == null || change.action() == null) {
      return "a block needs a user with a tenant and an action";
    }
    if (change.action() == BlockChange.Action.LIST) {
      return null;
    }
    String problem = Identities.userIdProblem(change.userId());
    if (problem != null) {
      return "userId: " + problem;
    }
    if (change.userId().equals(change.user().userId())) {
      return "userId: you cannot block yourself";
    }
    return Sender.SYSTEM_ID.equals(change.userId()) ? "userId: the system's messages are never hidden" : null;
  }
}
