package io.switchboard.socketio.engine;

import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * The one timer of a session, in turn: time of the next ping, deadline of its pong, or the grace
 * period of a closing polling session. Engine.IO v4: the server pings every pingInterval and the
 * client must answer within pingTimeout. Used on the session's context only.
 */
final class Heartbeat {

  /** What the session does when the timer fires. */
  interface Listener {
    void ping();

    void pingTimeout();

    void graceOver();
  }

  private final Vertx vertx;
  private final long intervalMs;
  private final long timeoutMs;
  private final Consumer<Runnable> onContext;
  private final Listener listener;
  private long timer = -1;
  private boolean awaitingPong;
  private boolean grace;
  private long pingDueAt;

  Heartbeat(Vertx vertx, EngineConfig config, Consumer<Runnable> onContext, Listener listener) {
    this.vertx = vertx;
    this.intervalMs = config.pingIntervalMs();
    this.timeoutMs = config.pingTimeoutMs();
    this.onContext = onContext;
    this.listener = listener;
  }

  void start() {
    schedulePing();
  }

  void onPong() {
    if (!awaitingPong || grace) {
      return;
    }
    awaitingPong = false;
    cancel();
    schedulePing();
  }

  /** Stops pinging; {@link Listener#graceOver} runs after {@code ms}. */
  void startGrace(long ms) {
    cancel();
    grace = true;
    timer = vertx.setTimer(ms, this::fire);
  }

  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void schedulePing() {
    pingDueAt = System.nanoTime() + intervalMs * 1_000_000;
    timer = vertx.setTimer(intervalMs, this::fire);
  }

  private void fire(long id) {
    onContext.accept(() -> {
      if (id != timer) {
        return; // cancelled while the firing was on its way
      }
      timer = -1;
      if (grace) {
        listener.graceOver();
      } else if (awaitingPong) {
        listener.pingTimeout();
      } else {
        awaitingPong = true;
        // The deadline counts from when the ping was due, so that a late timer does not stretch it.
        long left = (pingDueAt - System.nanoTime()) / 1_000_000 + timeoutMs;
        timer = vertx.setTimer(Math.max(1, left), this::fire);
        listener.ping();
      }
    });
  }
}
