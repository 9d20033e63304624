package io.switchboard.message.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the messages past their room's retention (docs/operations.md, "Retention"). One pass visits
 * the rooms with a retention, a page at a time, and deletes each one's expired messages oldest first,
 * at most {@code batch} per statement by seq (the primary key): each statement is short and locks
 * only the rows it deletes, so writes go on. The room row is touched once per room, to record the
 * highest seq deleted. One instance of message-service at a time deletes: each batch is a transaction
 * that first takes a transaction-level Postgres advisory lock, and a pass that finds it taken ends
 * there (another instance is deleting). Transaction-level, not a lock held by a session across the
 * pass, so it holds through PgBouncer in transaction mode, where consecutive statements may run on
 * different server connections. Two passes can interleave between batches; each batch deletes a
 * range of seqs and the room's mark only rises, so a repeat wastes work at worst, never undoes any.
 */
public final class RetentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  /** The advisory lock's key: any constant no other lock of the database uses. */
  private static final long LOCK = 0x5b_7265_7465_6e74L;
  private static final int ROOMS_PER_PAGE = 500;

  private final Pool pool;
  private final RetentionSettings settings;
  private final Counter deleted;
  private final Timer runs;
  private boolean running;

  public RetentionJob(Pool pool, RetentionSettings settings, MeterRegistry registry) {
    this.pool = pool;
    this.settings = settings;
    this.deleted = Counter.builder("switchboard.retention.deleted").description("Messages deleted past their retention")
        .register(registry);
    this.runs = Timer.builder("switchboard.retention.run").description("Duration of one pass of the retention job")
        .register(registry);
  }

  /**
   * One pass; answers how many messages it deleted (0 as well when another instance holds the lock).
   * A pass asked for while one runs here is skipped.
   */
  public Future<Long> run() {
    if (running) {
      return Future.succeededFuture(0L);
    }
    running = true;
    long start = System.nanoTime();
    return rooms("", 0L).recover(failure -> failure instanceof Busy busy ? Future.succeededFuture(busy.deleted)
            : Future.failedFuture(failure))
        .onComplete(ar -> {
          running = false;
          runs.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          if (ar.succeeded() && ar.result() > 0) {
            LOG.info("retention: deleted {} messages", ar.result());
          } else if (ar.failed()) {
            LOG.warn("retention: pass failed: {}", ar.cause().toString());
          }
        });
  }

  /** The rooms with a retention after {@code afterId}, a page at a time. */
  private Future<Long> rooms(String afterId, long total) {
    return pool.preparedQuery(Sql.ROOMS_WITH_RETENTION)
        .execute(Tuple.of(afterId, settings.defaultDays(), settings.tenantsJson(), ROOMS_PER_PAGE))
        .compose(rows -> {
          List<Row> page = new ArrayList<>();
          rows.forEach(page::add);
          Future<Long> done = Future.succeededFuture(total);
          for (Row room : page) {
            done = done.compose(sum -> room(room, sum).map(n -> sum + n));
          }
          return page.size() < ROOMS_PER_PAGE ? done
              : done.compose(sum -> rooms(page.get(page.size() - 1).getString("id"), sum));
        });
  }

  /** One room: where its kept messages start, then the older ones deleted a batch at a time. */
  private Future<Long> room(Row room, long passTotal) {
    String id = room.getString("id");
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minusDays(room.getInteger("days"));
    long from = room.getLong("expired_seq");
    return pool.preparedQuery(Sql.FIRST_KEPT_SEQ).execute(Tuple.of(id, cutoff)).compose(rows -> {
      Long firstKept = rows.iterator().next().getLong(0);
      long upTo = (firstKept == null ? room.getLong("last_seq") + 1 : firstKept) - 1;
      if (upTo <= from) {
        return Future.succeededFuture(0L);
      }
      return batches(id, from, upTo, 0L, passTotal)
          .compose(n -> pool.preparedQuery(Sql.EXPIRED_UP_TO).execute(Tuple.of(id, upTo)).map(v -> n));
    });
  }

  /** The batches of one room, each in a transaction under the job's lock; {@link Busy} when another instance has it. */
  private Future<Long> batches(String roomId, long after, long upTo, long total, long passTotal) {
    long to = Math.min(upTo, after + settings.batch());
    return pool.withTransaction(conn -> conn.preparedQuery(Sql.TRY_XACT_LOCK).execute(Tuple.of(LOCK)).compose(locked -> {
      if (!locked.iterator().next().getBoolean(0)) {
        return Future.failedFuture(new Busy(passTotal + total));
      }
      return conn.preparedQuery(Sql.DELETE_EXPIRED).execute(Tuple.of(roomId, after, to))
          .map(rows -> rows.iterator().next().getLong(0));
    })).compose(n -> {
      deleted.increment(n);
      long sum = total + n;
      return to >= upTo ? Future.succeededFuture(sum) : batches(roomId, to, upTo, sum, passTotal);
    });
  }

  /** The pass ends: another instance holds the lock; what this pass deleted until then. */
  private static final class Busy extends RuntimeException {
    final long deleted;

    Busy(long deleted) {
      super("another instance is deleting", null, false, false);
      this.deleted = deleted;
    }
  }
}
