package io.switchboard.socketio.engine;

import io.vertx.core.Vertx;
import java.util.Arrays;

/**
 * The heartbeats of all sessions on one event loop, in a binary heap by due time, fired by one
 * Vert.x timer set for the earliest of them. Used on that event loop only (or, for a worker-context
 * session, its own clock on its context).
 *
 * <p>Why not a timer per session: a timer is a handful of objects (Vert.x's handler and its map
 * entry, Netty's scheduled task) that live a whole ping interval (25 s), referenced from long-lived
 * maps and queues: for the young collections, objects that neither die young nor get promoted soon,
 * copied and rescanned collection after collection. A due time in a field and a slot in an array
 * allocate nothing per ping; the one timer lives only until the next due time.
 *
 * <p>Why not a periodic tick: a tick fires a heartbeat up to one tick late, and Engine.IO's timing
 * is a promise to clients (a ping at pingInterval, the close at pingInterval + pingTimeout) that
 * strict clients check at the exact instant. Here a heartbeat fires at its due time, give or take
 * the event loop's own latency.
 */
final class HeartbeatClock {
  private final Vertx vertx;
  private Heartbeat[] heap = new Heartbeat[16];
  private int size;
  private long timer = -1;
  private long timerDueAt = Long.MAX_VALUE;

  HeartbeatClock(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Fires {@code heartbeat} once its {@link Heartbeat#dueAt} has passed; re-arming moves it. */
  void arm(Heartbeat heartbeat) {
    if (heartbeat.slot < 0) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      heap[size] = heartbeat;
      heartbeat.slot = size++;
      up(heartbeat.slot);
    } else {
      down(up(heartbeat.slot));
    }
    schedule();
  }

  void disarm(Heartbeat heartbeat) {
    int slot = heartbeat.slot;
    if (slot < 0) {
      return;
    }
    heartbeat.slot = -1;
    Heartbeat last = heap[--size];
    heap[size] = null;
    if (last != heartbeat) {
      heap[slot] = last;
      last.slot = slot;
      down(up(slot));
    }
    if (size == 0 && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      timerDueAt = Long.MAX_VALUE;
    }
  }

  /** Heartbeats armed now; for tests. */
  int armed() {
    return size;
  }

  /** Sets the timer for the earliest due time, unless it is set for that time or earlier already. */
  private void schedule() {
    if (size == 0) {
      return;
    }
    long next = heap[0].dueAt;
    if (timer >= 0 && timerDueAt <= next) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timerDueAt = next;
    // Bound to the caller's context: the session's, so the timer runs on its event loop.
    timer = vertx.setTimer(Math.max(1, next - Heartbeat.nowMs()), t -> {
      timer = -1;
      timerDueAt = Long.MAX_VALUE;
      fire();
    });
  }

  private void fire() {
    long now = Heartbeat.nowMs();
    while (size > 0 && heap[0].dueAt <= now) {
      Heartbeat due = heap[0];
      disarm(due);
      // May arm it again (a ping arms its pong's deadline), always later than now.
      due.due();
    }
    schedule();
  }

  private int up(int slot) {
    Heartbeat moving = heap[slot];
    while (slot > 0) {
      int parent = (slot - 1) >>> 1;
      if (heap[parent].dueAt <= moving.dueAt) {
        break;
      }
      place(heap[parent], slot);
      slot = parent;
    }
    place(moving, slot);
    return slot;
  }

  private void down(int slot) {
    Heartbeat moving = heap[slot];
    while (true) {
      int child = 2 * slot + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1].dueAt < heap[child].dueAt) {
        child++;
      }
      if (moving.dueAt <= heap[child].dueAt) {
        break;
      }
      place(heap[child], slot);
      slot = child;
    }
    place(moving, slot);
  }

  private void place(Heartbeat heartbeat, int slot) {
    heap[slot] = heartbeat;
    heartbeat.slot = slot;
  }
}
