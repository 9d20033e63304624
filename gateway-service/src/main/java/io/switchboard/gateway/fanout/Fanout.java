package io.switchboard.gateway.fanout;

import io.switchboard.common.Addresses;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.socketio.BroadcastOperator;
import io.switchboard.socketio.Namespace;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Delivery of room events across gateway nodes. Every event is published once on
 * {@link Addresses#GATEWAY_FANOUT}; each gateway node receives it once (one consumer per node, not
 * per socket or per room, so joins and leaves cost no cluster-wide registration) and hands it to the
 * Socket.IO layer, which encodes the packet once and writes it to each local member.
 *
 * <p>Order: events published by one sender are delivered to each node in publish order.
 */
public final class Fanout {
  private final EventBus bus;
  private final Namespace namespace;
  private final GatewayMetrics metrics;
  private MessageConsumer<RoomEvent> consumer;

  public Fanout(EventBus bus, Namespace namespace, GatewayMetrics metrics) {
    this.bus = bus;
    this.namespace = namespace;
    this.metrics = metrics;
  }

  public Future<Void> listen() {
    consumer = bus.consumer(Addresses.GATEWAY_FANOUT, msg -> deliver(msg.body()));
    return consumer.completion();
  }

  public void publish(RoomEvent event) {
    bus.publish(Addresses.GATEWAY_FANOUT, event);
  }

  /** Writes the event to this node's sockets in its room; returns how many. */
  public int deliver(RoomEvent event) {
    BroadcastOperator target = event.room() == null ? namespace.broadcast() : namespace.to(event.room());
    for (String room : event.moreRooms()) {
      target = target.to(room);
    }
    if (event.exceptSocketId() != null) {
      target = target.except(event.exceptSocketId());
    }
    int sockets = target.emit(event.event(), event.data());
    metrics.delivered(event.event(), sockets, event.sentAt());
    return sockets;
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
