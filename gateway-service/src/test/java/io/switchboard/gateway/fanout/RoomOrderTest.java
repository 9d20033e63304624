package io.switchboard.gateway.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Room order: a node delivers each room's confirmations in seq order, whichever message-service sent them")
class RoomOrderTest {
  private static final long WINDOW_MS = 150;
  private static final int MAX_HELD = 5;
  private static final String ROOM = ClientEvents.chatRoom("r1");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ManualTimers timers = new ManualTimers();
  private final List<RoomEvent> delivered = new ArrayList<>();
  private final Set<String> roomsWithSockets = new HashSet<>(Set.of(ROOM));
  private final RoomOrder order = new RoomOrder(delivered::add, roomsWithSockets::contains, timers, WINDOW_MS, MAX_HELD,
      new GatewayMetrics(registry));

  private static RoomEvent confirmed(long seq) {
    return confirmed(ROOM, seq);
  }

  private static RoomEvent confirmed(String room, long seq) {
    return RoomEvent.toRoom(room, ClientEvents.MESSAGE_CONFIRMED, "seq " + seq).withSeq(seq);
  }

  private void arrive(long... seqs) {
    LongStream.of(seqs).forEach(seq -> order.accept(confirmed(seq)));
  }

  private List<Long> deliveredSeqs() {
    return delivered.stream().map(RoomEvent::seq).toList();
  }

  private double held() {
    return registry.get("switchboard.gateway.reorder.held").counter().count();
  }

  private double gaps(String reason) {
    var counter = registry.find("switchboard.gateway.reorder.gaps").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @DisplayName("events that arrive in seq order are delivered at once, nothing held, no timer")
  void inOrderPassesThrough() {
    order.seed(ROOM, 0);

    arrive(1, 2, 3);

    assertEquals(List.of(1L, 2L, 3L), deliveredSeqs());
    assertEquals(0, held());
    assertEquals(0, timers.armed());
  }

  @Test
  @DisplayName("an event ahead of a missing seq is held until that seq arrives, then both go out in seq order")
  void outOfOrderIsHeldAndReleasedInOrder() {
    order.seed(ROOM, 10);

    arrive(12, 13);
    assertEquals(List.of(), deliveredSeqs(), "11 has not arrived: 12 and 13 wait");
    arrive(11);

    assertEquals(List.of(11L, 12L, 13L), deliveredSeqs());
    assertEquals(2, held());
    assertEquals(0, timers.armed(), "nothing held, no timer left");
    assertEquals(0, gaps(RoomOrder.TIMEOUT));
  }

  @Test
  @DisplayName("a repeat (a retried send announced again) or a late event is delivered at once, also while others are held")
  void duplicatesAndLateOnesAtOnce() {
    order.seed(ROOM, 0);
    arrive(1, 2);

    arrive(2);
    arrive(4);
    arrive(1);
    assertEquals(List.of(1L, 2L, 2L, 1L), deliveredSeqs(), "repeats at once; 4 waits for 3");
    arrive(4);
    arrive(3);

    assertEquals(List.of(1L, 2L, 2L, 1L, 3L, 4L, 4L), deliveredSeqs(), "the held repeat of 4 goes out with it");
  }

  @Test
  @DisplayName("a gap that does not fill within the window is given up: what is held goes out in seq order, and the room goes on from there")
  void gapFlushedAfterTheWindow() {
    order.seed(ROOM, 0);
    arrive(4, 2);

    timers.advance(WINDOW_MS - 1);
    assertEquals(List.of(), deliveredSeqs(), "still within the window");
    timers.advance(1);

    assertEquals(List.of(2L, 4L), deliveredSeqs());
    assertEquals(1, gaps(RoomOrder.TIMEOUT));
    arrive(5, 3, 1);
    assertEquals(List.of(2L, 4L, 5L, 3L, 1L), deliveredSeqs(), "5 follows 4; 3 and 1 came too late and are delivered at once");
  }

  @Test
  @DisplayName("the window counts from the first event held: one held later goes out with it, not a window later")
  void oneWindowForEverythingHeld() {
    order.seed(ROOM, 0);
    arrive(3);
    timers.advance(100);
    arrive(2, 5);
    timers.advance(WINDOW_MS - 100);

    assertEquals(List.of(2L, 3L, 5L), deliveredSeqs());
    assertEquals(1, gaps(RoomOrder.TIMEOUT));
  }

  @Test
  @DisplayName("more events held than the bound: the room gives up its gap at once instead of growing")
  void heldEventsAreBounded() {
    order.seed(ROOM, 0);
    arrive(2, 3, 4, 5, 6);
    assertEquals(List.of(), deliveredSeqs(), "five held, the bound");

    arrive(7);

    assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), deliveredSeqs());
    assertEquals(1, gaps(RoomOrder.OVERFLOW));
    assertEquals(0, timers.armed(), "the window's timer is cancelled");
    arrive(8);
    assertEquals(8L, deliveredSeqs().get(6), "the room goes on from 7");
  }

  @Test
  @DisplayName("a room the node does not follow yet delivers its first event at once and orders the next ones from it")
  void unseededRoomStartsFromItsFirstEvent() {
    arrive(12, 14, 13);

    assertEquals(List.of(12L, 13L, 14L), deliveredSeqs());
  }

  @Test
  @DisplayName("a join seeds the room with the seq it read, so the first event after it already waits for a missing one")
  void joinSeedsTheRoom() {
    order.seed(ROOM, 10);

    arrive(12);
    assertEquals(List.of(), deliveredSeqs(), "12 waits for 11");
    arrive(11);

    assertEquals(List.of(11L, 12L), deliveredSeqs());
  }

  @Test
  @DisplayName("joins before any event: the lowest seq read wins, so the events between are still ordered")
  void lowestSeedWinsBeforeAnyEvent() {
    order.seed(ROOM, 10);
    order.seed(ROOM, 8);
    order.seed(ROOM, 12);

    arrive(10, 9);

    assertEquals(List.of(9L, 10L), deliveredSeqs());
  }

  @Test
  @DisplayName("a join into a room the node already follows changes nothing: its events are the better account")
  void joinIntoAFollowedRoomIsIgnored() {
    order.seed(ROOM, 0);
    arrive(1, 2);

    order.seed(ROOM, 5);
    arrive(4);
    assertEquals(List.of(1L, 2L), deliveredSeqs(), "4 still waits for 3: the join's read does not skip it");
    arrive(3);

    assertEquals(List.of(1L, 2L, 3L, 4L), deliveredSeqs());
  }

  @Test
  @DisplayName("the node keeps no state for a room without sockets here, and forgets a room whose last socket left")
  void stateOnlyForRoomsWithLocalSockets() {
    String elsewhere = ClientEvents.chatRoom("r2");
    order.accept(confirmed(elsewhere, 7));
    order.seed(elsewhere, 7);
    assertEquals(0, order.rooms(), "no state for a room without local sockets");

    order.seed(ROOM, 0);
    arrive(1, 3);
    assertEquals(1, order.rooms());
    roomsWithSockets.remove(ROOM);
    order.sweep();

    assertEquals(0, order.rooms(), "forgotten once its sockets left");
    assertEquals(List.of(7L, 1L, 3L), deliveredSeqs(), "what it held went out");
    assertEquals(0, timers.armed());
  }

  @Test
  @DisplayName("a sweep keeps the rooms that still have sockets here, and what they hold")
  void sweepKeepsRoomsWithSockets() {
    order.seed(ROOM, 0);
    arrive(2);

    order.sweep();
    arrive(1);

    assertEquals(1, order.rooms());
    assertEquals(List.of(1L, 2L), deliveredSeqs());
  }

  @Test
  @DisplayName("unsequenced events (optimistic copies, edits, typing) pass straight through, also while the room holds others")
  void unsequencedPassThrough() {
    order.seed(ROOM, 0);
    arrive(2);

    RoomEvent typing = RoomEvent.toRoom(ROOM, ClientEvents.USER_TYPING, "x");
    order.accept(typing);

    assertEquals(List.of(typing), delivered);
  }

  @Test
  @DisplayName("with a window of 0 the node delivers in arrival order and keeps no state")
  void windowZeroTurnsItOff() {
    RoomOrder arrivalOrder = new RoomOrder(delivered::add, room -> true, timers, 0, MAX_HELD, new GatewayMetrics(registry));

    arrivalOrder.seed(ROOM, 0);
    LongStream.of(3, 1, 2).forEach(seq -> arrivalOrder.accept(confirmed(seq)));

    assertEquals(List.of(3L, 1L, 2L), deliveredSeqs());
    assertEquals(0, arrivalOrder.rooms());
  }

  @Test
  @ExtendWith(VertxExtension.class)
  @DisplayName("with Vert.x timers, a gap is given up after the window, on the event loop that consumes the fan-out")
  void vertxTimersFireOnTheConsumingLoop(Vertx vertx, VertxTestContext test) {
    Context loop = vertx.getOrCreateContext();
    List<Long> seqs = new ArrayList<>();
    long start = System.nanoTime();
    loop.runOnContext(v -> {
      RoomOrder onVertx = new RoomOrder(event -> test.verify(() -> {
        assertSame(loop, Vertx.currentContext(), "delivered on the consuming event loop");
        seqs.add(event.seq());
        if (seqs.size() == 2) {
          assertEquals(List.of(2L, 3L), seqs);
          assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "held for the window");
          test.completeNow();
        }
      }), room -> true, RoomOrder.Timers.of(vertx), 50, MAX_HELD, new GatewayMetrics(registry));
      onVertx.seed(ROOM, 0);
      onVertx.accept(confirmed(3));
      onVertx.accept(confirmed(2));
    });
  }

  /** Timers on a clock the test moves. */
  static final class ManualTimers implements RoomOrder.Timers {
    private record Task(long due, Runnable run) {}

    private final Map<Long, Task> tasks = new TreeMap<>();
    private long now;
    private long nextId;

    @Override
    public long set(long delayMs, Runnable task) {
      tasks.put(++nextId, new Task(now + delayMs, task));
      return nextId;
    }

    @Override
    public void cancel(long id) {
      tasks.remove(id);
    }

    int armed() {
      return tasks.size();
    }

    /** Moves the clock and runs what fell due, earliest first. */
    void advance(long ms) {
      now += ms;
      for (;;) {
        var due = tasks.entrySet().stream().filter(e -> e.getValue().due() <= now)
            .min(java.util.Comparator.comparingLong(e -> e.getValue().due())).orElse(null);
        if (due == null) {
          return;
        }
        tasks.remove(due.getKey());
        due.getValue().run().run();
      }
    }
  }
}
