package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.PersistRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes messages durable in batches, without blocking and without unbounded buffers.
 *
 * <p>Rooms are spread over lanes by id; each lane has at most one transaction in flight, so the
 * messages of one room are written in the order they were submitted. While a lane's transaction
 * runs, what arrives for it waits and goes into its next transaction (up to {@code batchMax}): at
 * low load a message is written at once, at high load transactions grow instead of queueing.
 *
 * <p>Failure: when Postgres is unreachable a batch is retried with backoff; a message still not
 * written after {@code deadlineMs} fails with {@code PERSIST_FAILED}, as does a message submitted
 * while {@code maxPending} are waiting. A future that succeeded means the row is committed. A
 * data error in a batch is isolated by writing its messages one by one.
 *
 * <p>Confined to the event loop of the verticle that created it.
 */
public final class MessageWriter {
  private static final Logger LOG = LoggerFactory.getLogger(MessageWriter.class);
  private static final long MAX_BACKOFF_MS = 1000;
  /** A transaction that takes longer is treated as failed (its outcome is found on retry). */
  private static final long ATTEMPT_TIMEOUT_MS = 3000;

  private final Vertx vertx;
  private final Pool pool;
  private final WriterSettings settings;
  private final PersistMetrics metrics;
  private final Lane[] lanes;
  private volatile int pending;
  /** Told of each message this writer newly stores, when this region shares its Postgres with others. */
  private RegionFeed feed;

  public MessageWriter(Vertx vertx, Pool pool, WriterSettings settings, PersistMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.metrics = metrics;
    this.lanes = new Lane[settings.lanes()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane();
    }
  }

  /** Writes one message, posted as {@code source} says (see {@link Posting} for who may post where). */
  public Future<Stored> write(PersistRequest request, Envelope.Source source) {
    if (pending >= settings.maxPending()) {
      return Future.failedFuture(ServiceException.of(ErrorCode.PERSIST_FAILED, "message-service overloaded"));
    }
    Item item = new Item(new Posting(request, source), Promise.promise(), System.currentTimeMillis() + settings.deadlineMs());
    pending++;
    lanes[Math.floorMod(request.roomId().hashCode(), lanes.length)].submit(item);
    return item.promise.future();
  }

  /** Tells {@code feed} of each message stored (or found stored) from now on (docs/architecture.md, "Regions"). */
  public void announceTo(RegionFeed feed) {
    this.feed = feed;
  }

  /** Messages waiting or being written. */
  public int pending() {
    return pending;
  }

  /**
   * Completes once nothing waits or is being written, or after {@code timeoutMs}: for a graceful
   * stop, after the consumers are gone. Every accepted message has been settled (durable or failed)
   * when it completes, unless the timeout hit first.
   */
  public Future<Void> drained(long timeoutMs) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    checkDrained(done, deadline);
    return done.future();
  }

  private void checkDrained(Promise<Void> done, long deadline) {
    if (pending == 0 || System.currentTimeMillis() >= deadline) {
      if (pending > 0) {
        LOG.warn("message-service: stopping with {} messages not yet written", pending);
      }
      done.complete();
    } else {
      vertx.setTimer(20, id -> checkDrained(done, deadline));
    }
  }

  private record Item(Posting posting, Promise<Stored> promise, long deadline) {
    PersistRequest request() {
      return posting.request();
    }
  }

  private final class Lane {
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private boolean busy;
    private boolean timerSet;
    private long backoffMs;

    void submit(Item item) {
      queue.add(item);
      if (busy) {
        return;
      }
      if (settings.windowMs() > 0 && queue.size() < settings.batchMax()) {
        if (!timerSet) {
          timerSet = true;
          vertx.setTimer(settings.windowMs(), id -> {
            timerSet = false;
            drain();
          });
        }
        return;
      }
      drain();
    }

    private void drain() {
      if (busy || queue.isEmpty()) {
        return;
      }
      List<Item> batch = new ArrayList<>(Math.min(queue.size(), settings.batchMax()));
      while (!queue.isEmpty() && batch.size() < settings.batchMax()) {
        batch.add(queue.poll());
      }
      busy = true;
      attempt(batch).onComplete(done -> {
        busy = false;
        drain();
      });
    }

    private Future<Void> attempt(List<Item> batch) {
      List<Item> live = expire(batch);
      if (live.isEmpty()) {
        return Future.succeededFuture();
      }
      long start = System.nanoTime();
      return WriteBatch.write(pool, live.stream().map(Item::posting).toList())
          .timeout(ATTEMPT_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
          .compose(outcomes -> {
            metrics.batch(live.size(), start);
            backoffMs = 0;
            for (int i = 0; i < live.size(); i++) {
              WriteBatch.Outcome outcome = outcomes.get(i);
              settle(live.get(i), outcome.stored(), outcome.failure());
            }
            return Future.<Void>succeededFuture();
          })
          .recover(failure -> {
            metrics.postgresError();
            if (Failures.transientFailure(failure)) {
              backoffMs = backoffMs == 0 ? 50 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
              LOG.warn("postgres: batch of {} not written ({}); retrying in {} ms", live.size(), failure.toString(), backoffMs);
              queue.removeIf(this::expired);
              Promise<Void> retried = Promise.promise();
              vertx.setTimer(backoffMs, id -> attempt(live).onComplete(retried));
              return retried.future();
            }
            if (live.size() > 1) {
              LOG.warn("postgres: batch of {} refused ({}); writing its messages one by one", live.size(), failure.toString());
              Future<Void> chain = Future.succeededFuture();
              for (Item item : live) {
                chain = chain.compose(v -> attempt(List.of(item)));
              }
              return chain;
            }
            LOG.atWarn().setMessage("message.refused").addKeyValue("correlationId", live.get(0).request().correlationId())
                .addKeyValue("cause", failure.toString()).log();
            settle(live.get(0), null, ServiceException.of(ErrorCode.PERSIST_FAILED, "message refused by storage"));
            return Future.succeededFuture();
          });
    }

    /** Fails the messages whose deadline passed; returns the others. */
    private List<Item> expire(List<Item> batch) {
      List<Item> live = new ArrayList<>(batch.size());
      for (Item item : batch) {
        if (!expired(item)) {
          live.add(item);
        }
      }
      return live;
    }

    /** Fails the message if its deadline passed. */
    private boolean expired(Item item) {
      if (System.currentTimeMillis() < item.deadline()) {
        return false;
      }
      settle(item, null, ServiceException.of(ErrorCode.PERSIST_FAILED, "storage unavailable"));
      return true;
    }
  }

  private void settle(Item item, Stored stored, ServiceException failure) {
    pending--;
    if (failure != null) {
      metrics.failed(failure.code().name());
      LOG.atInfo().setMessage("message.failed").addKeyValue("correlationId", item.request().correlationId())
          .addKeyValue("code", failure.code()).log();
      item.promise().fail(failure);
    } else {
      metrics.stored(stored.result().duplicate());
      LOG.atDebug().setMessage("message.stored").addKeyValue("correlationId", item.request().correlationId())
          .addKeyValue("roomId", stored.result().message().roomId()).addKeyValue("seq", stored.result().message().seq())
          .addKeyValue("duplicate", stored.result().duplicate()).log();
      // A duplicate too: its first write may have committed after its attempt was given up on (a
      // link that came back), and then no region heard of it.
      if (feed != null) {
        feed.stored(stored.result().message().roomId(), stored.result().message().seq());
      }
      item.promise().complete(stored);
    }
  }
}
