package io.switchboard.message.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the reads that may come from a read replica go (PG_READ_URL; docs/architecture.md, "Reads
 * and the replica"). Without a replica every read goes to the primary, as the caller's own clients.
 *
 * <p>A read of one room's messages ({@link #room}) is fenced by the room's {@code last_seq} as the
 * primary answered it to the access check just before: the replica serves it only when its copy of
 * the room has that seq too, so a page holds every message committed before the request (the
 * sender's own message right after its ack included), whichever process wrote it. A read across
 * rooms ({@link #any}, {@link #anyTransaction}) takes the replica as it is: a message may show up
 * there a replication lag late.
 *
 * <p>A replica that fails (connection refused, lost, timed out) is left alone for {@link #DOWN_MS}
 * and its reads go to the primary meanwhile; an error the replica answered (a statement cancelled by
 * a conflict with recovery) is retried on the primary too, without that pause. Answers of the
 * contract ({@link ServiceException}) and a search cancelled by its own time limit are not retried.
 */
public final class Reads {
  private static final Logger LOG = LoggerFactory.getLogger(Reads.class);
  /** How long a replica that failed is not asked. */
  static final long DOWN_MS = 5000;
  /** Postgres' SQLSTATE of a statement cancelled by its statement_timeout: the search's own answer. */
  static final String QUERY_CANCELED = "57014";

  private final SqlClient primary;
  private final Pool primaryPool;
  private final SqlClient replica;
  private final Pool replicaPool;
  private final Counter onReplica;
  private final Counter onPrimary;
  private final Counter behind;
  private final Counter failed;
  private volatile long downUntil;

  private Reads(SqlClient primary, Pool primaryPool, SqlClient replica, Pool replicaPool, MeterRegistry registry) {
    this.primary = primary;
    this.primaryPool = primaryPool;
    this.replica = replica;
    this.replicaPool = replicaPool;
    this.onReplica = reads(registry, "replica");
    this.onPrimary = reads(registry, "primary");
    this.behind = fallbacks(registry, "behind");
    this.failed = fallbacks(registry, "failed");
  }

  /** Every read on the primary: no PG_READ_URL. */
  public static Reads primaryOnly(SqlClient statements, Pool pool) {
    return new Reads(statements, pool, null, null, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  /** The reads that may, from the replica ({@code replica} pipelined, {@code replicaPool} for transactions). */
  public static Reads withReplica(SqlClient statements, Pool pool, SqlClient replica, Pool replicaPool, MeterRegistry registry) {
    return new Reads(statements, pool, replica, replicaPool, registry);
  }

  private static Counter reads(MeterRegistry registry, String pool) {
    return Counter.builder("switchboard.pg.reads").tag("pool", pool)
        .description("Reads that may come from the replica (PG_READ_URL), by the pool that served them").register(registry);
  }

  private static Counter fallbacks(MeterRegistry registry, String reason) {
    return Counter.builder("switchboard.pg.replica.fallbacks").tag("reason", reason)
        .description("Replica reads served by the primary: the replica was behind the room, or failed").register(registry);
  }

  /**
   * A read of room {@code roomId} whose {@code last_seq} on the primary is {@code lastSeq}: on the
   * replica when it has the room up to that seq, else on the primary.
   */
  public <T> Future<T> room(String roomId, long lastSeq, Function<SqlClient, Future<T>> read) {
    if (!replicaUp()) {
      return onPrimary(read);
    }
    return replica.preparedQuery(Sql.REPLICA_HAS_ROOM).execute(Tuple.of(roomId, lastSeq)).transform(fence -> {
      if (fence.failed()) {
        return fallback(fence.cause(), read);
      }
      if (fence.result().size() == 0) {
        behind.increment();
        return onPrimary(read);
      }
      return onReplica(read);
    });
  }

  /** A read that takes the replica as it is (lag tolerated). */
  public <T> Future<T> any(Function<SqlClient, Future<T>> read) {
    return replicaUp() ? onReplica(read) : onPrimary(read);
  }

  /** A read in a transaction of its own (for its SET LOCAL limits) that takes the replica as it is. */
  public <T> Future<T> anyTransaction(Function<SqlConnection, Future<T>> read) {
    if (!replicaUp()) {
      onPrimary.increment();
      return primaryPool.withTransaction(read);
    }
    return replicaPool.withTransaction(read).transform(ar -> {
      if (ar.succeeded()) {
        onReplica.increment();
        return Future.succeededFuture(ar.result());
      }
      if (!retriable(ar.cause())) {
        return Future.failedFuture(ar.cause());
      }
      noteFailure(ar.cause());
      onPrimary.increment();
      return primaryPool.withTransaction(read);
    });
  }

  private boolean replicaUp() {
    return replica != null && System.currentTimeMillis() >= downUntil;
  }

  private <T> Future<T> onPrimary(Function<SqlClient, Future<T>> read) {
    onPrimary.increment();
    return read.apply(primary);
  }

  private <T> Future<T> onReplica(Function<SqlClient, Future<T>> read) {
    return read.apply(replica).transform(ar -> {
      if (ar.succeeded()) {
        onReplica.increment();
        return Future.succeededFuture(ar.result());
      }
      return retriable(ar.cause()) ? fallback(ar.cause(), read) : Future.failedFuture(ar.cause());
    });
  }

  private <T> Future<T> fallback(Throwable cause, Function<SqlClient, Future<T>> read) {
    noteFailure(cause);
    return onPrimary(read);
  }

  private void noteFailure(Throwable cause) {
    failed.increment();
    if (!(cause instanceof PgException)) {
      // Not an answer of the server: it is down or unreachable; spare the next requests the wait.
      downUntil = System.currentTimeMillis() + DOWN_MS;
      LOG.warn("postgres replica: {}; reads go to the primary for {} ms", cause.toString(), DOWN_MS);
    } else {
      LOG.info("postgres replica: read failed ({}), served by the primary", cause.getMessage());
    }
  }

  private static boolean retriable(Throwable cause) {
    return !(cause instanceof ServiceException)
        && !(cause instanceof PgException pg && QUERY_CANCELED.equals(pg.getSqlState()));
  }
}
