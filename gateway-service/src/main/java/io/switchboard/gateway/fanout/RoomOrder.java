package io.switchboard.gateway.fanout;

import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Puts the sequenced events of each room ({@link RoomEvent#sequenced()}: the events that make a
 * message durable, with its seq) back in seq order before this node's sockets get them. Seq has no
 * gaps within a room, but each message-service announces its own commits, so with several writing
 * one room their announcement streams interleave on their way here.
 *
 * <p>Per room it keeps the last seq delivered, the events held back and one timer:
 * <ul>
 *   <li>the next seq is delivered, then the held events that follow it without a gap;
 *   <li>a seq at or below the last one (late, or the repeat of a retried send) is delivered at once;
 *   <li>a seq further ahead is held until the seqs before it arrive, for at most {@code windowMs}
 *       after the first event was held, or until more than {@code maxHeld} are held; then everything
 *       held is delivered in seq order and the room goes on from the highest. A seq that never comes
 *       (its message-service died between the commit and the announcement) costs one window; the
 *       clients get that message from history.
 * </ul>
 *
 * <p>A room without state delivers its first event at once and starts from it. A join seeds the room
 * with the seq the join read, so that a node whose first member just joined knows where the room is
 * before its first event. State is kept only for rooms with sockets on this node ({@link #sweep()}),
 * so it is bounded by the rooms the node serves, each by {@code maxHeld} events.
 *
 * <p>Unsequenced events (optimistic copies, edits, typing, ...) pass straight through; they are not
 * ordered with the held ones. Not thread-safe: every call on the event loop that consumes the fan-out.
 */
final class RoomOrder {
  static final String TIMEOUT = "timeout";
  static final String OVERFLOW = "overflow";

  /** Timers on the consuming event loop (the Vert.x ones in production; tests drive them by hand). */
  interface Timers {
    long set(long delayMs, Runnable task);

    void cancel(long id);

    /** Vert.x timers: set from the consuming event loop, they fire on it. */
    static Timers of(Vertx vertx) {
      return new Timers() {
        @Override
        public long set(long delayMs, Runnable task) {
          return vertx.setTimer(delayMs, id -> task.run());
        }

        @Override
        public void cancel(long id) {
          vertx.cancelTimer(id);
        }
      };
    }
  }

  /** What the node knows of one room's seq order. */
  private static final class Room {
    final TreeMap<Long, List<RoomEvent>> held = new TreeMap<>();
    long last;
    /** Known only from joins so far: no event has been delivered since. */
    boolean seededOnly;
    int heldCount;
    long timer = -1;

    Room(long last, boolean seededOnly) {
      this.last = last;
      this.seededOnly = seededOnly;
    }
  }

  private final Map<String, Room> rooms = new HashMap<>();
  private final Consumer<RoomEvent> deliver;
  private final Predicate<String> hasLocalSockets;
  private final Timers timers;
  private final long windowMs;
  private final int maxHeld;
  private final GatewayMetrics metrics;

  /**
   * @param deliver writes an event to this node's sockets
   * @param hasLocalSockets whether a room has sockets on this node
   * @param windowMs longest wait for a missing seq; 0 turns reordering off (arrival order)
   * @param maxHeld most events held per room
   */
  RoomOrder(Consumer<RoomEvent> deliver, Predicate<String> hasLocalSockets, Timers timers, long windowMs, int maxHeld,
      GatewayMetrics metrics) {
    this.deliver = deliver;
    this.hasLocalSockets = hasLocalSockets;
    this.timers = timers;
    this.windowMs = windowMs;
    this.maxHeld = maxHeld;
    this.metrics = metrics;
  }

  /** An event from the fan-out: delivered now, or held back until its predecessors in the room arrive. */
  void accept(RoomEvent event) {
    if (windowMs <= 0 || !event.sequenced()) {
      deliver.accept(event);
      return;
    }
    Room room = rooms.get(event.room());
    if (room == null) {
      // Nothing to order against. A room without sockets here keeps no state: the event reaches nobody.
      if (hasLocalSockets.test(event.room())) {
        rooms.put(event.room(), new Room(event.seq(), false));
      }
      deliver.accept(event);
      return;
    }
    room.seededOnly = false;
    long seq = event.seq();
    if (seq <= room.last) {
      deliver.accept(event);
    } else if (seq == room.last + 1) {
      room.last = seq;
      deliver.accept(event);
      releaseFollowing(room);
    } else {
      hold(event.room(), room, event);
    }
  }

  /**
   * A socket of this node joined the room, whose last seq was {@code lastSeq} when the join read it.
   * Seeds a room the node does not follow yet. A room already followed ignores it: its events are the
   * better account, and raising its last seq would let lower seqs still on their way through out of
   * order. Between joins that seed before any event, the lowest wins for the same reason. A seed
   * below a seq that already went by (read before the socket was in the room) costs the room's next
   * event one window, never its order.
   */
  void seed(String roomName, long lastSeq) {
    if (windowMs <= 0 || lastSeq < 0) {
      return;
    }
    Room room = rooms.get(roomName);
    if (room == null) {
      if (hasLocalSockets.test(roomName)) {
        rooms.put(roomName, new Room(lastSeq, true));
      }
    } else if (room.seededOnly) {
      room.last = Math.min(room.last, lastSeq);
    }
  }

  /**
   * Forgets the rooms that have no socket on this node any more (delivering what they held, in
   * order); called periodically. The next event of such a room starts it afresh.
   */
  void sweep() {
    for (Iterator<Map.Entry<String, Room>> it = rooms.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Room> e = it.next();
      if (!hasLocalSockets.test(e.getKey())) {
        it.remove();
        deliverHeld(e.getValue());
      }
    }
  }

  /** Delivers everything held and forgets every room; at shutdown. */
  void close() {
    rooms.values().forEach(this::deliverHeld);
    rooms.clear();
  }

  /** Rooms followed, for tests and gauges. */
  int rooms() {
    return rooms.size();
  }

  private void hold(String roomName, Room room, RoomEvent event) {
    room.held.computeIfAbsent(event.seq(), s -> new ArrayList<>(1)).add(event);
    room.heldCount++;
    metrics.reorderHeld();
    if (room.heldCount > maxHeld) {
      giveUpGap(room, OVERFLOW);
    } else if (room.timer == -1) {
      room.timer = timers.set(windowMs, () -> {
        room.timer = -1;
        // The room may have been swept meanwhile (its timer is cancelled then), or its gap filled.
        if (rooms.get(roomName) == room && !room.held.isEmpty()) {
          giveUpGap(room, TIMEOUT);
        }
      });
    }
  }

  /** Delivers the held events that now follow the last seq without a gap. */
  private void releaseFollowing(Room room) {
    while (!room.held.isEmpty() && room.held.firstKey() == room.last + 1) {
      Map.Entry<Long, List<RoomEvent>> next = room.held.pollFirstEntry();
      room.last = next.getKey();
      room.heldCount -= next.getValue().size();
      next.getValue().forEach(deliver);
    }
    if (room.held.isEmpty()) {
      cancelTimer(room);
    }
  }

  /** The missing seqs are not coming in time: deliver what is held, in seq order, and go on from there. */
  private void giveUpGap(Room room, String reason) {
    metrics.reorderGapFlushed(reason);
    deliverHeld(room);
  }

  private void deliverHeld(Room room) {
    cancelTimer(room);
    while (!room.held.isEmpty()) {
      Map.Entry<Long, List<RoomEvent>> next = room.held.pollFirstEntry();
      room.last = Math.max(room.last, next.getKey());
      next.getValue().forEach(deliver);
    }
    room.heldCount = 0;
  }

  private void cancelTimer(Room room) {
    if (room.timer != -1) {
      timers.cancel(room.timer);
      room.timer = -1;
    }
  }
}
