package io.switchboard.presence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash cleanup: every second, removes the connections of gateway nodes whose lease ran out (a node
 * killed without goodbye) and publishes the resulting offline transitions. Every presence-service
 * instance runs one; the store's atomic step makes each removal, and each event, happen once.
 * A user of a dead node is therefore offline within the node's lease plus about one interval.
 *
 * <p>Leases cannot be renewed while Redis is unreachable, so after a failure (and at start) the
 * reaper only watches Redis for a grace period, in which live gateways renew; leases still expired
 * after it belong to nodes that are really gone.
 */
final class NodeReaper {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReaper.class);
  static final long INTERVAL_MS = 1000;
  private static final int BUDGET = 1000;

  private final Vertx vertx;
  private final PresenceStore store;
  private final StatusEvents events;
  private final PresenceMetrics metrics;
  private final long graceMs;
  private long timer = -1;
  private long reapFrom;
  private boolean running;

  NodeReaper(Vertx vertx, PresenceStore store, StatusEvents events, PresenceMetrics metrics, long graceMs) {
    this.vertx = vertx;
    this.store = store;
    this.events = events;
    this.metrics = metrics;
    this.graceMs = graceMs;
  }

  void start() {
    reapFrom = System.currentTimeMillis() + graceMs;
    timer = vertx.setPeriodic(INTERVAL_MS, t -> tick());
  }

  private void tick() {
    if (running) {
      return;
    }
    running = true;
    Future<Void> round = System.currentTimeMillis() < reapFrom ? store.ping() : reap();
    round.onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        reapFrom = System.currentTimeMillis() + graceMs;
      }
    });
  }

  /** Reaps until no dead node holds a connection. */
  private Future<Void> reap() {
    return store.reap(BUDGET).compose(outcome -> {
      if (outcome.reaped() > 0 || !outcome.nodes().isEmpty()) {
        LOG.info("presence.nodes_reaped nodes={} connections={} offline={}", outcome.nodes(), outcome.reaped(),
            outcome.changes().size());
      }
      events.publish(outcome.changes());
      metrics.reaped(outcome.reaped());
      return outcome.more() ? reap() : Future.<Void>succeededFuture();
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
