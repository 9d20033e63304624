package io.switchboard.socketio.engine;

import io.vertx.core.Vertx;
import java.util.ArrayList;

/**
 * One periodic timer for the heartbeats of all sessions on one event loop, instead of a Vert.x timer
 * per session. Used on that event loop only (or, for a worker-context session, its own clock on its
 * context).
 *
 * <p>Why: a timer per session is a handful of objects (Vert.x's handler and its map entry, Netty's
 * scheduled task) that live a whole ping interval (25 s), referenced from long-lived maps and queues:
 * for the young collections, objects that neither die young nor get promoted soon, copied and
 * rescanned collection after collection (docs/benchmarks.md). A due time in a field and a slot in a
 * list allocate nothing per ping.
 *
 * <p>A heartbeat fires up to one tick late; the tick is a tenth of the shorter of the ping interval
 * and timeout (10 ms to 1 s), so a ping or a deadline is late by at most a tenth of either.
 */
final class HeartbeatClock {
  private final Vertx vertx;
  private final long tickMs;
  private final ArrayList<Heartbeat> armed = new ArrayList<>();
  private long timer = -1;

  HeartbeatClock(Vertx vertx, EngineConfig config) {
    this.vertx = vertx;
    this.tickMs = Math.max(10, Math.min(1_000, Math.min(config.pingIntervalMs(), config.pingTimeoutMs()) / 10));
  }

  /** Fires {@code heartbeat} once its due time has passed. */
  void arm(Heartbeat heartbeat) {
    if (heartbeat.slot < 0) {
      heartbeat.slot = armed.size();
      armed.add(heartbeat);
    }
    if (timer < 0) {
      // Bound to the caller's context: the session's, so the ticks run on its event loop.
      timer = vertx.setPeriodic(tickMs, t -> tick());
    }
  }

  void disarm(Heartbeat heartbeat) {
    int slot = heartbeat.slot;
    if (slot < 0) {
      return;
    }
    Heartbeat last = armed.remove(armed.size() - 1);
    if (last != heartbeat) {
      armed.set(slot, last);
      last.slot = slot;
    }
    heartbeat.slot = -1;
    if (armed.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void tick() {
    long now = Heartbeat.nowMs();
    // Backwards: a heartbeat removed here is replaced by the last one, already visited; one armed
    // while firing goes to the end, not visited until the next tick.
    for (int i = armed.size() - 1; i >= 0; i--) {
      if (i >= armed.size()) {
        continue;
      }
      Heartbeat heartbeat = armed.get(i);
      if (heartbeat.dueAt <= now) {
        disarm(heartbeat);
        heartbeat.due();
      }
    }
  }
}
