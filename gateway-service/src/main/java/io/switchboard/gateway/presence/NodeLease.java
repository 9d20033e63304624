package io.switchboard.gateway.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.presence.NodeHeartbeat;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Renews this node's lease in presence every third of it. If the node dies without goodbye, the lease
 * runs out and presence-service removes its connections. When presence answers that it does not know
 * the node (Redis lost its data, or the node was reaped while presence could not hear it), the node
 * sends its whole state.
 */
final class NodeLease {
  private final Vertx vertx;
  private final String nodeId;
  private final long leaseMs;
  private final UpdateBatcher batcher;
  private final DeliveryOptions options;
  private long timer = -1;

  NodeLease(Vertx vertx, String nodeId, long leaseMs, UpdateBatcher batcher) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.leaseMs = leaseMs;
    this.batcher = batcher;
    this.options = new DeliveryOptions().setSendTimeout(leaseMs / 3);
  }

  void start() {
    renew();
    timer = vertx.setPeriodic(leaseMs / 3, t -> renew());
  }

  private void renew() {
    vertx.eventBus().<Boolean>request(Addresses.PRESENCE_HEARTBEAT, new NodeHeartbeat(nodeId, leaseMs), options)
        .map(Message::body)
        .onSuccess(known -> {
          if (!known) {
            batcher.requestSync();
          }
        });
    // A failed renewal needs nothing more: presence is down, and the batcher syncs once it is back.
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
