package io.switchboard.gateway.fanout;

import io.switchboard.common.Addresses;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.socketio.BroadcastOperator;
import io.switchboard.socketio.Namespace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.gateway.moderation.BlockLists;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Delivery of room events across gateway nodes. Every event is published once on
 * {@link Addresses#GATEWAY_FANOUT}; each gateway node receives it once (one consumer per node, not
 * per socket or per room, so joins and leaves cost no cluster-wide registration) and hands it to the
 * Socket.IO layer, which encodes the packet once and writes it to each local member.
 *
 * <p>Blocks: an event that carries a user's message ({@link RoomEvent#from}) skips the sockets of
 * the users here who block them ({@link BlockLists}); when nobody here blocks anyone, that costs a
 * null check and an emptiness check.
 *
 * <p>Order: events published by one sender are delivered to each node in publish order. The events
 * that make a message durable carry its room seq and are delivered in seq order per room, whichever
 * message-service instance announced them ({@link RoomOrder}; a seq missing for longer than the
 * reorder window is given up on). That order is restored here, at the receiving node, because the
 * senders cannot agree on one without a round trip per message. The consumer, the reorder state and
 * its timers all live on the event loop of the context that called {@link #listen()}.
 */
public final class Fanout {
  /** Most events held back per room; beyond, the room gives up the gap it waits for. */
  static final int MAX_HELD_PER_ROOM = 1000;
  /** How often rooms without local sockets are forgotten. */
  static final long SWEEP_MS = 5000;

  private final Vertx vertx;
  private final Namespace namespace;
  private final GatewayMetrics metrics;
  private final long reorderWindowMs;
  private volatile Context context;
  private RoomOrder order;
  private long sweepTimer = -1;
  private MessageConsumer<RoomEvent> consumer;
  private volatile SocketsLeave socketsLeave = (room, userRooms) -> { };
  private volatile Map<String, Consumer<RoomEvent>> observers = Map.of();
  private volatile BlockLists blocks;

  /** What a node does on {@link RoomEvent#SOCKETS_LEAVE}: its sockets of these users leave the room. */
  @FunctionalInterface
  public interface SocketsLeave {
    void leave(String room, List<String> userRooms);
  }

  public Fanout(Vertx vertx, Namespace namespace, GatewayMetrics metrics, long reorderWindowMs) {
    this.vertx = vertx;
    this.namespace = namespace;
    this.metrics = metrics;
    this.reorderWindowMs = reorderWindowMs;
  }

  /** Starts consuming; call on the context that is to own the consumer (the gateway verticle's). */
  public Future<Void> listen() {
    context = vertx.getOrCreateContext();
    order = new RoomOrder(this::deliver, room -> namespace.roomSize(room) > 0, RoomOrder.Timers.of(vertx),
        reorderWindowMs, MAX_HELD_PER_ROOM, metrics);
    sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> order.sweep());
    consumer = vertx.eventBus().consumer(Addresses.GATEWAY_FANOUT, msg -> order.accept(msg.body()));
    return consumer.completion();
  }

  public void publish(RoomEvent event) {
    vertx.eventBus().publish(Addresses.GATEWAY_FANOUT, event);
  }

  /**
   * A socket of this node joined the chat room {@code room}, whose last seq the join read as
   * {@code lastSeq}: lets the node order the room's next events from there. From any thread.
   */
  public void joined(String room, long lastSeq) {
    Context owner = context;
    if (owner != null) {
      owner.runOnContext(v -> order.seed(room, lastSeq));
    }
  }

  /**
   * Who learns the events named {@code events} as this node delivers them (in each room's seq order
   * for those with a seq), just before the sockets get them: the moderation state learns the rooms'
   * changes, the block lists the users' blocks. Set before {@link #listen()}; called on the fan-out's
   * event loop, for every such event, whatever its room (a handler picks what concerns it).
   */
  public synchronized void onEvents(Set<String> events, Consumer<RoomEvent> handler) {
    Map<String, Consumer<RoomEvent>> all = new HashMap<>(observers);
    events.forEach(event -> all.merge(event, handler, Consumer::andThen));
    observers = Map.copyOf(all);
  }

  /** The users who block others on this node: their sockets do not get what the users they block send. */
  public void hideBlocked(BlockLists blocks) {
    this.blocks = blocks;
  }

  /** Who acts on {@link RoomEvent#SOCKETS_LEAVE}; set before {@link #listen()}. */
  public void onSocketsLeave(SocketsLeave handler) {
    this.socketsLeave = handler;
  }

  /**
   * Writes the event to this node's sockets in its room at once; returns how many. A
   * {@link RoomEvent#SOCKETS_LEAVE} reaches no socket: it takes the sockets of its users out of the
   * room, here, in the room's order (right after the removal it follows).
   */
  public int deliver(RoomEvent event) {
    if (RoomEvent.SOCKETS_LEAVE.equals(event.event())) {
      socketsLeave.leave(event.room(), userRooms(event.data()));
      return 0;
    }
    Consumer<RoomEvent> observer = observers.get(event.event());
    if (observer != null) {
      observer.accept(event);
    }
    BroadcastOperator target = event.room() == null ? namespace.broadcast() : namespace.to(event.room());
    for (String room : event.moreRooms()) {
      target = target.to(room);
    }
    if (event.exceptRoom() != null) {
      target = target.except(event.exceptRoom());
    }
    if (event.exceptSocketId() != null) {
      target = target.except(event.exceptSocketId());
    }
    // A message of a user someone here blocks skips their sockets; what makes it durable reaches them as a placeholder.
    BlockLists hiding = blocks;
    Set<String> blockers = event.from() == null || hiding == null ? null : hiding.blockersOf(event.from());
    if (blockers != null) {
      for (String blocker : blockers) {
        target = target.except(blocker);
      }
    }
    int sockets = target.emit(event.event(), event.data());
    if (blockers != null) {
      sockets += hiding.placeholders(event, blockers);
    }
    metrics.delivered(event.event(), sockets, event.sentAt());
    return sockets;
  }

  /** The private rooms of a {@link RoomEvent#SOCKETS_LEAVE}: a JSON array, as its text when it came from another member. */
  private static List<String> userRooms(Object data) {
    JsonArray rooms = data instanceof JsonArray array ? array
        : data instanceof RawValue raw ? new JsonArray(String.valueOf(raw.rawValue())) : new JsonArray();
    List<String> names = new ArrayList<>(rooms.size());
    rooms.forEach(room -> names.add(String.valueOf(room)));
    return names;
  }

  /** Stops consuming; what is still held is delivered. On the context that called {@link #listen()}. */
  public Future<Void> close() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(sweepTimer);
    return consumer.unregister().onComplete(ar -> order.close());
  }
}
