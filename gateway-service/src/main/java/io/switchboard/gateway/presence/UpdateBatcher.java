package io.switchboard.gateway.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceException;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceUpdate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's ordered channel to presence-service. Updates queued from any event loop leave in
 * batches from the batcher's own context, one batch in flight at a time: what is queued while a batch
 * travels becomes the next one, so batches grow with load and a burst costs a few requests, not one
 * per event. One in flight also keeps the node's updates in order whichever presence-service
 * instance receives them; batch seqs make a retried or late batch harmless.
 *
 * <p>Failures converge rather than retry: when a batch fails (presence-service or Redis down), the
 * queue is dropped and, once presence answers again, the node sends its whole state instead (a sync,
 * from {@link LiveConnections}), which also covers everything that happened meanwhile. The same
 * happens when presence says it does not know the node (Redis lost its data, or the node was reaped).
 */
final class UpdateBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateBatcher.class);
  static final int MAX_BATCH = 1000;
  private static final long MIN_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 5000;

  private final Context context;
  private final EventBus bus;
  private final String nodeId;
  private final long leaseMs;
  private final LiveConnections live;
  private final DeliveryOptions options;

  // Guarded by this: written from every event loop.
  private final ArrayDeque<PresenceUpdate> queue = new ArrayDeque<>();
  private long queuedIndex;
  private boolean scheduled;
  private boolean syncNeeded;
  private long seq;

  // On the context only.
  private boolean inFlight;
  private boolean waitingRetry;
  private long backoffMs;
  private long appliedIndex;
  private Promise<Void> closing;
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(long index, Promise<Void> promise) {}

  private record Outgoing(PresenceBatch batch, long upTo) {}

  UpdateBatcher(Context context, EventBus bus, String nodeId, long leaseMs, LiveConnections live) {
    this.context = context;
    this.bus = bus;
    this.nodeId = nodeId;
    this.leaseMs = leaseMs;
    this.live = live;
    // A batch is worth applying within the lease; beyond it the node's state is re-sent anyway.
    this.options = new DeliveryOptions().setSendTimeout(leaseMs);
  }

  /** Queues an update; any thread. */
  void add(PresenceUpdate update) {
    synchronized (this) {
      queue.add(update);
      queuedIndex++;
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    context.runOnContext(v -> flush());
  }

  /** The next batch will be the node's whole state; any thread. */
  void requestSync() {
    synchronized (this) {
      syncNeeded = true;
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    context.runOnContext(v -> flush());
  }

  /**
   * Completes once every update queued before this call is applied, or as soon as a batch fails
   * (the caller then reads whatever presence has). Read-your-writes for this node's own updates.
   */
  Future<Void> drained() {
    long target;
    synchronized (this) {
      target = queuedIndex;
    }
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      if (appliedIndex >= target) {
        promise.complete();
      } else {
        waiters.add(new Waiter(target, promise));
      }
    });
    return promise.future();
  }

  /** Goodbye: after the batch in flight, one last batch removes every connection of the node. */
  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closing = done;
      if (!inFlight) {
        sendGoodbye();
      }
    });
    return done.future();
  }

  private void flush() {
    synchronized (this) {
      scheduled = false;
    }
    if (inFlight || waitingRetry || closing != null) {
      return;
    }
    Outgoing next = takeNext();
    if (next != null) {
      send(next);
    }
  }

  /** Under the lock, so a sync's snapshot and the queue it replaces are one consistent cut. */
  private synchronized Outgoing takeNext() {
    if (syncNeeded) {
      syncNeeded = false;
      queue.clear();
      return new Outgoing(new PresenceBatch(nodeId, ++seq, leaseMs, live.snapshot(), false, List.of()), queuedIndex);
    }
    if (queue.isEmpty()) {
      return null;
    }
    List<PresenceUpdate> updates = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    while (!queue.isEmpty() && updates.size() < MAX_BATCH) {
      updates.add(queue.poll());
    }
    return new Outgoing(new PresenceBatch(nodeId, ++seq, leaseMs, null, false, updates), queuedIndex - queue.size());
  }

  private void send(Outgoing out) {
    inFlight = true;
    bus.<Boolean>request(Addresses.PRESENCE_UPDATE, out.batch(), options).map(Message::body).onComplete(ar -> {
      inFlight = false;
      if (ar.succeeded()) {
        applied(out, ar.result());
      } else {
        failed(out, ar.cause());
      }
      if (closing != null) {
        sendGoodbye();
      } else if (!waitingRetry) {
        flush();
      }
    });
  }

  private void applied(Outgoing out, Boolean known) {
    if (backoffMs > 0) {
      LOG.info("presence.reporting_resumed node={} seq={}", nodeId, out.batch().seq());
    }
    backoffMs = 0;
    appliedIndex = Math.max(appliedIndex, out.upTo());
    releaseWaiters(appliedIndex);
    if (!Boolean.TRUE.equals(known) && !out.batch().sync() && out.batch().seq() > 1) {
      LOG.info("presence.node_unknown node={}: sending a sync", nodeId);
      requestSync();
    }
  }

  private void failed(Outgoing out, Throwable cause) {
    if (backoffMs == 0) {
      LOG.warn("presence.reporting_failed node={} seq={} code={} cause={}: will send a sync when presence answers",
          nodeId, out.batch().seq(), ServiceException.codeOf(cause), cause.getMessage());
    }
    synchronized (this) {
      syncNeeded = true;
      queue.clear();
    }
    releaseWaiters(Long.MAX_VALUE);
    backoffMs = backoffMs == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    waitingRetry = true;
    context.owner().setTimer(backoffMs, t -> {
      waitingRetry = false;
      flush();
    });
  }

  private void releaseWaiters(long upTo) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.index() <= upTo) {
        waiter.promise().complete();
        it.remove();
      }
    }
  }

  private void sendGoodbye() {
    Promise<Void> done = closing;
    long goodbyeSeq;
    synchronized (this) {
      queue.clear();
      goodbyeSeq = ++seq;
    }
    bus.request(Addresses.PRESENCE_UPDATE, new PresenceBatch(nodeId, goodbyeSeq, leaseMs, List.of(), true, List.of()),
            options)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("presence.goodbye_failed node={} cause={}: its connections expire with its lease", nodeId,
                ar.cause().getMessage());
          }
          releaseWaiters(Long.MAX_VALUE);
          done.tryComplete();
        });
  }
}
