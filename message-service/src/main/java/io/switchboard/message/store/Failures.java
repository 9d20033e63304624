package io.switchboard.message.store;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Which storage failures are worth retrying: the database was unreachable, went away or was busy,
 * or another writer stored the same client message id between a batch's lookup and its room locks
 * (the retry finds that message: see migration V7). Everything else (a refused statement, a bug)
 * would fail again the same way.
 */
final class Failures {
  // Connection exceptions, insufficient resources, operator intervention (shutdown).
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57");
  // Serialization failure, deadlock, lock not available.
  private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03");
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String CLIENT_MSG_ID_KEY = "messages_client_msg_id";

  private Failures() {}

  static boolean transientFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        if (UNIQUE_VIOLATION.equals(state)) {
          return CLIENT_MSG_ID_KEY.equals(pg.getConstraint());
        }
        return state != null && (TRANSIENT_STATES.contains(state) || TRANSIENT_CLASSES.contains(state.substring(0, 2)));
      }
      if (t instanceof IOException || t instanceof TimeoutException || t instanceof ClosedConnectionException
          || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException
          || t instanceof java.util.NoSuchElementException) {
        return true;
      }
    }
    return false;
  }
}
