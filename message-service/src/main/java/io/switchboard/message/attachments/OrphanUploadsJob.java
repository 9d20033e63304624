package io.switchboard.message.attachments;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the uploads that no message attached within {@code orphanHours} of their
 * {@code create-upload} (docs/operations.md, "Attachments"): their rows and their bytes in the store.
 * A batch is one transaction: its rows are deleted (locked, so a send attaching one of them waits and
 * then finds it gone), then their objects in the store on a worker thread, then the commit; when the
 * store fails, the rollback keeps the rows for the next pass, so no row is lost with its bytes still
 * there (deleting an object twice is no error). Rows being attached right now are skipped. One
 * instance of message-service at a time deletes: each batch's transaction first takes an advisory
 * lock, and a pass that finds it taken ends (as {@code RetentionJob}).
 */
public final class OrphanUploadsJob {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanUploadsJob.class);
  /** The advisory lock's key: any constant no other lock of the database uses ("orphan"). */
  private static final long LOCK = 0x5b_6f72_7068_616eL;
  // Transaction-level, so that it holds through PgBouncer in transaction mode (as RetentionJob's).
  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";
  /** Uploads per transaction: each costs two deletes in the store while the batch's rows stay locked. */
  public static final int BATCH = 100;

  // Oldest first, by the partial index of the rows not attached (V22).
  private static final String DELETE_ORPHANS =
      "DELETE FROM attachments WHERE id IN (SELECT id FROM attachments WHERE attached_at IS NULL "
          + "AND created_at < now() - make_interval(hours => $1) ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
          + "AND attached_at IS NULL RETURNING id";

  private final Vertx vertx;
  private final Pool pool;
  private final AttachmentStore store;
  private final int orphanHours;
  private final int batch;
  private final Counter deleted;
  private final Timer runs;
  private boolean running;

  public OrphanUploadsJob(Vertx vertx, Pool pool, AttachmentStore store, int orphanHours, int batch, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.orphanHours = orphanHours;
    this.batch = batch;
    this.deleted = Counter.builder("switchboard.attachments.orphans.deleted")
        .description("Uploads never attached to a message, deleted with their bytes").register(registry);
    this.runs = Timer.builder("switchboard.attachments.orphans.run")
        .description("Duration of one pass of the orphan-uploads job").register(registry);
  }

  /**
   * One pass; answers how many uploads it deleted (0 as well when another instance holds the lock, or
   * with {@code orphanHours} 0). A pass asked for while one runs here is skipped.
   */
  public Future<Long> run() {
    if (running || orphanHours == 0) {
      return Future.succeededFuture(0L);
    }
    running = true;
    long start = System.nanoTime();
    return batches(0L)
        .onComplete(ar -> {
          running = false;
          runs.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          if (ar.succeeded() && ar.result() > 0) {
            LOG.info("attachments: deleted {} uploads never attached", ar.result());
          } else if (ar.failed()) {
            LOG.warn("attachments: orphan-uploads pass failed: {}", ar.cause().toString());
          }
        });
  }

  private Future<Long> batches(long total) {
    return batch().compose(n -> n < batch ? Future.succeededFuture(total + n) : batches(total + n));
  }

  /**
   * One transaction: the lock, the rows, then their objects (and thumbnails, should a failed attach
   * have left one), then commit; none when another instance holds the lock, which ends the pass.
   */
  private Future<Integer> batch() {
    return pool.withTransaction(conn -> conn.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK)).compose(locked -> {
      if (!locked.iterator().next().getBoolean(0)) {
        return Future.succeededFuture(List.<String>of());
      }
      return conn.preparedQuery(DELETE_ORPHANS).execute(Tuple.of(orphanHours, batch)).compose(rows -> {
        List<String> ids = new ArrayList<>();
        for (Row row : rows) {
          ids.add(row.getUUID("id").toString());
        }
        return ids.isEmpty() ? Future.succeededFuture(ids) : vertx.executeBlocking(() -> {
          for (String id : ids) {
            store.delete(id);
            store.delete(Attachments.thumbnailKey(id));
          }
          return ids;
        }, false);
      });
    })).map(ids -> {
      deleted.increment(ids.size());
      return ids.size();
    });
  }
}
