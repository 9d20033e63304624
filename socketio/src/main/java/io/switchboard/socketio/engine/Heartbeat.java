package io.switchboard.socketio.engine;

/**
 * The one timer of a session, in turn: time of the next ping, deadline of its pong, or the grace
 * period of a closing polling session. Engine.IO v4: the server pings every pingInterval and the
 * client must answer within pingTimeout. Used on the session's context only; its {@link
 * HeartbeatClock} (one per event loop) fires it.
 */
final class Heartbeat {
  private final HeartbeatClock clock;
  private final EngineConfig config;
  /**
   * Told when the timer fires ({@link EngineSession#heartbeatPing} and the like), on its context.
   * The session itself rather than a listener and a callback: two objects fewer per connection.
   */
  private final EngineSession session;
  private boolean awaitingPong;
  private boolean grace;
  private long pingDueAt;
  /** Counts arms and cancels: a firing that hopped contexts meanwhile is stale. */
  private long generation;
  /** When it fires, on {@link #nowMs}'s clock; read by {@link HeartbeatClock}. */
  long dueAt;
  /** Its place in the clock's list, -1 when not armed; kept by {@link HeartbeatClock}. */
  int slot = -1;

  Heartbeat(HeartbeatClock clock, EngineConfig config, EngineSession session) {
    this.clock = clock;
    this.config = config;
    this.session = session;
  }

  static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }

  void start() {
    schedulePing();
  }

  void onPong() {
    if (!awaitingPong || grace) {
      return;
    }
    awaitingPong = false;
    schedulePing();
  }

  /**
   * Whether the pong's deadline has passed, whether or not the clock has fired yet: a request that
   * reaches the session at or after pingInterval + pingTimeout without a pong must find it closed.
   * When so, {@link EngineSession#heartbeatTimeout} runs now. On the session's context.
   */
  boolean overdue() {
    if (!awaitingPong || grace || nowMs() < pingDueAt + config.pingTimeoutMs()) {
      return false;
    }
    cancel();
    session.heartbeatTimeout();
    return true;
  }

  /** Stops pinging; {@link EngineSession#heartbeatGraceOver} runs after {@code ms}. */
  void startGrace(long ms) {
    grace = true;
    arm(nowMs() + ms);
  }

  void cancel() {
    generation++;
    clock.disarm(this);
  }

  private void schedulePing() {
    pingDueAt = nowMs() + config.pingIntervalMs();
    arm(pingDueAt);
  }

  private void arm(long at) {
    generation++;
    dueAt = at;
    clock.arm(this);
  }

  /** Called by the clock once {@link #dueAt} has passed; it has disarmed this heartbeat. */
  void due() {
    long armedAs = generation;
    session.runOnContext(() -> {
      if (armedAs != generation) {
        return; // re-armed or cancelled while the firing was on its way
      }
      if (grace) {
        session.heartbeatGraceOver();
      } else if (awaitingPong) {
        session.heartbeatTimeout();
      } else {
        awaitingPong = true;
        // The deadline counts from when the ping was due, so that a late tick does not stretch it.
        arm(Math.max(nowMs() + 1, pingDueAt + config.pingTimeoutMs()));
        session.heartbeatPing();
      }
    });
  }
}
