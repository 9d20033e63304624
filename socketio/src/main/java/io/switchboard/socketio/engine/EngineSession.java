package io.switchboard.socketio.engine;

import io.switchboard.socketio.parser.EngineParser;
import io.switchboard.socketio.parser.EnginePacket;
import io.switchboard.socketio.parser.PacketFormatException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 session. It is bound to the Vert.x context of the request that opened it: every
 * state change runs there (callers on other threads hop with {@link #runOnContext}), so the fields
 * need no locks. It owns one heartbeat timer (reused for the close grace period) and, only while a
 * WebSocket upgrade is probing, an upgrade timer.
 *
 * <p>Ordering: frames are written in the order {@link #send} was called from one thread; across
 * an upgrade, frames not yet polled move to the WebSocket in order once the client sends UPGRADE.
 */
public final class EngineSession {
  private static final Logger LOG = LoggerFactory.getLogger(EngineSession.class);

  private enum State { OPEN, CLOSING, CLOSED }

  private static final List<Object> PING = List.of("2");

  private static final AtomicIntegerFieldUpdater<EngineSession> POSTING =
      AtomicIntegerFieldUpdater.newUpdater(EngineSession.class, "posting");

  private final String id;
  private final Vertx vertx;
  private final Context context;
  /** The event loop thread of {@link #context}, or null for a worker context (then every call hops). */
  private final Thread owner;
  private final EngineServer server;
  private final EngineConfig config;
  private final EngineRequest request;
  private SessionHandler handler;
  private State state = State.OPEN;

  // Transport: a WebSocket, or polling when ws == null (volatile: transport() is read from any thread).
  private volatile RawWebSocket ws;
  private final PollingChannel polling;

  // Upgrade in progress (polling -> websocket).
  private RawWebSocket probe;
  private boolean probed;
  private long upgradeTimer = -1;

  /** 1 while a polling POST's body is being read, on whichever thread reads it (see {@link #startPost}). */
  private volatile int posting;

  /** Bytes written since the WebSocket's write queue became full, -1 while it drains normally. */
  private long backlog = -1;

  private final Heartbeat heartbeat;

  EngineSession(String id, Vertx vertx, Context context, EngineServer server, EngineRequest request) {
    this.id = id;
    this.vertx = vertx;
    this.context = context;
    this.owner = context.isEventLoopContext() ? Thread.currentThread() : null;
    this.server = server;
    this.config = server.config();
    this.request = request;
    this.polling = new PollingChannel(server.cors(), config.pollingQueueLimit());
    HeartbeatClock clock = owner != null ? server.heartbeatClock(owner) : new HeartbeatClock(vertx);
    this.heartbeat = new Heartbeat(clock, config, this);
  }

  // ---- the heartbeat's, on the session's context ----

  void heartbeatPing() {
    doSend(PING);
  }

  void heartbeatTimeout() {
    LOG.debug("engine.ping_timeout sid={}", id);
    closeNow("ping timeout", false);
  }

  void heartbeatGraceOver() {
    finish();
  }

  public String id() {
    return id;
  }

  public Context context() {
    return context;
  }

  public EngineRequest request() {
    return request;
  }

  /** The layer above this session (read it on the session's context). */
  public SessionHandler handler() {
    return handler;
  }

  /** "websocket" once the session runs over a WebSocket, else "polling". */
  public String transport() {
    return ws != null ? "websocket" : "polling";
  }

  public boolean isOpen() {
    return state == State.OPEN;
  }

  /** Runs now when already on the session's context, else hops there. Failures close the session. */
  public void runOnContext(Runnable action) {
    if (onContext()) {
      guarded(action);
    } else {
      context.runOnContext(v -> guarded(action));
    }
  }

  /**
   * True on the session's event loop. Vert.x runs each HTTP request on its own duplicated context, so
   * context identity would say "elsewhere" for every request; the thread is what serializes access.
   */
  public boolean onContext() {
    return owner != null && Thread.currentThread() == owner;
  }

  /**
   * Sessions with the same key run on the same thread: a broadcast from elsewhere hops once per
   * event loop rather than once per session. Worker-context sessions are their own key.
   */
  public Object loopKey() {
    return owner != null ? owner : this;
  }

  private void guarded(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.error("engine.session_failure sid={}", id, e);
      closeNow("transport error", false);
    }
  }

  /** Sends encoded frames (String text packets, Buffer binary messages); thread-safe, in call order. */
  public void send(List<Object> frames) {
    if (onContext()) {
      doSend(frames);
    } else {
      context.runOnContext(v -> doSend(frames));
    }
  }

  /** Closes the session from the server side; frames sent before are still delivered. Thread-safe. */
  public void close(String reason) {
    runOnContext(() -> closeGracefully(reason));
  }

  /**
   * Closes the session at once, without the grace a polling client otherwise gets to fetch its last
   * frames (a ping timeout long), for a peer that is owed nothing: the session neither lingers nor
   * keeps its place in the admission counts. Thread-safe.
   */
  public void abort(String reason) {
    runOnContext(() -> closeNow(reason, false));
  }

  // ---- called by EngineServer, on the session's context ----

  void start(SessionHandler handler, RawWebSocket websocket) {
    this.handler = handler;
    if (websocket != null) {
      this.ws = websocket;
      bindWebSocket(websocket);
    }
    heartbeat.start();
  }

  void onPollGet(PollingChannel.Exchange get) {
    closeIfOverdue();
    if (state == State.CLOSED) {
      polling.error(get, EngineError.UNKNOWN_SID);
    } else if (ws != null) {
      polling.error(get, EngineError.BAD_REQUEST);
    } else if (polling.hasPending()) {
      // At most one pending GET: the spec closes the session (the first GET receives the close packet).
      polling.error(get, EngineError.BAD_REQUEST);
      LOG.info("engine.session_error sid={} reason=duplicate_poll", id);
      closeNow("transport error", false);
    } else if (state == State.CLOSING) {
      polling.hold(get);
      polling.endPendingWithClose();
      finish();
    } else if (polling.hasQueued()) {
      polling.flush(get);
    } else if (probed) {
      polling.answer(get, "6");
    } else {
      polling.hold(get);
    }
  }

  /** The connection of a GET closed: if it was the pending one, the client is gone. */
  void onPollClosed(PollingChannel.Exchange get) {
    if (polling.release(get)) {
      closeNow("transport close", false);
    }
  }

  void onPollPost(PollingChannel.Exchange post, String body) {
    closeIfOverdue();
    if (state != State.OPEN) {
      polling.error(post, EngineError.UNKNOWN_SID);
      return;
    }
    if (ws != null) {
      polling.error(post, EngineError.BAD_REQUEST);
      return;
    }
    List<EnginePacket> packets;
    try {
      packets = EngineParser.decodePayload(body);
    } catch (PacketFormatException e) {
      polling.error(post, EngineError.BAD_REQUEST);
      LOG.info("engine.session_error sid={} reason=parse_error detail=\"{}\"", id, e.getMessage());
      closeNow("parse error", false);
      return;
    }
    polling.ok(post);
    for (EnginePacket packet : packets) {
      if (state != State.OPEN) {
        return;
      }
      onPacket(packet);
    }
  }

  /** Claims the one polling POST a session reads at a time; false while another is read. Any thread. */
  boolean startPost() {
    return POSTING.compareAndSet(this, 0, 1);
  }

  void endPost() {
    posting = 0;
  }

  /** A POST arrived while another was being read: the session is closed (its answer is the caller's). */
  void onPostOverlap() {
    if (state == State.OPEN) {
      LOG.info("engine.session_error sid={} reason=post_overlap", id);
      closeNow("transport error", false);
    }
  }

  void onPayloadTooLarge(PollingChannel.Exchange post) {
    polling.tooLarge(post);
    if (state == State.OPEN) {
      LOG.info("engine.session_error sid={} reason=payload_too_large", id);
      closeNow("transport error", false);
    }
  }

  void onUpgradeRequest(RawWebSocket socket) {
    closeIfOverdue();
    if (state != State.OPEN || ws != null || probe != null) {
      socket.close(1008, "upgrade refused");
      return;
    }
    probe = socket;
    bindWebSocket(socket);
    upgradeTimer = vertx.setTimer(config.upgradeTimeoutMs(), t -> runOnContext(() -> {
      upgradeTimer = -1;
      if (probe == socket) {
        LOG.debug("engine.upgrade_timeout sid={}", id);
        abortUpgrade();
      }
    }));
  }

  /**
   * Closes the session ("ping timeout") when its pong is overdue, before the request that reached
   * it is served: the heartbeat's timer may fire a little after the deadline, a client's request
   * must not find the session alive in between.
   */
  private void closeIfOverdue() {
    if (state == State.OPEN) {
      heartbeat.overdue();
    }
  }

  // ---- transport plumbing ----

  private void bindWebSocket(RawWebSocket socket) {
    socket.bind(new RawWebSocket.Listener() {
      @Override
      public void text(String text) {
        runOnContext(() -> onWebSocketFrame(socket, text));
      }

      @Override
      public void binary(Buffer data) {
        runOnContext(() -> onWebSocketFrame(socket, data));
      }

      @Override
      public void tooLarge() {
        runOnContext(() -> {
          if (socket == ws || socket == probe) {
            LOG.info("engine.session_error sid={} reason=payload_too_large", id);
          }
          onSocketEnded(socket, "transport error", false);
        });
      }

      @Override
      public void closed() {
        runOnContext(() -> onSocketEnded(socket, "transport close", true));
      }
    });
  }

  /** A WebSocket ended: the session closes if it was its transport; an upgrade it was probing aborts. */
  private void onSocketEnded(RawWebSocket socket, String reason, boolean clientInitiated) {
    if (socket == ws) {
      closeNow(reason, clientInitiated);
    } else if (socket == probe) {
      abortUpgrade();
    }
  }

  private void onWebSocketFrame(RawWebSocket socket, Object frame) {
    closeIfOverdue();
    if (state != State.OPEN || (socket != ws && socket != probe)) {
      return; // closing, or a probe that was given up: their last frames do not matter
    }
    // No size check here: the socket refuses messages beyond maxPayload bytes itself (tooLarge).
    EnginePacket packet;
    try {
      packet = frame instanceof Buffer b ? EngineParser.decode(b) : EngineParser.decode((String) frame);
    } catch (PacketFormatException e) {
      LOG.info("engine.session_error sid={} reason=parse_error detail=\"{}\"", id, e.getMessage());
      if (socket == ws) {
        closeNow("parse error", false);
      } else {
        abortUpgrade();
      }
      return;
    }
    if (socket == ws) {
      onPacket(packet);
    } else if (socket == probe) {
      onProbePacket(packet);
    }
  }

  private void onProbePacket(EnginePacket packet) {
    if (packet.type() == EnginePacket.Type.PING && "probe".equals(packet.text())) {
      LOG.debug("engine.probe sid={}", id);
      probe.writeText("3probe");
      probe.flush();
      probed = true;
      // Ends the pending poll so that the client can pause polling and complete the upgrade.
      polling.endPendingWithNoop();
    } else if (packet.type() == EnginePacket.Type.UPGRADE && probed) {
      completeUpgrade();
    } else {
      abortUpgrade();
    }
  }

  private void completeUpgrade() {
    cancelUpgradeTimer();
    ws = probe;
    probe = null;
    probed = false;
    polling.endPendingWithNoop();
    // Frames the client did not poll yet follow on the WebSocket, in order.
    writeAll(polling.drain());
    LOG.debug("engine.upgraded sid={}", id);
    handler.onUpgrade();
  }

  private void abortUpgrade() {
    cancelUpgradeTimer();
    RawWebSocket socket = probe;
    probe = null;
    probed = false;
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
  }

  private void cancelUpgradeTimer() {
    if (upgradeTimer >= 0) {
      vertx.cancelTimer(upgradeTimer);
      upgradeTimer = -1;
    }
  }

  private void onPacket(EnginePacket packet) {
    switch (packet.type()) {
      case PONG -> heartbeat.onPong();
      case MESSAGE -> handler.onMessage(packet.data());
      case CLOSE -> {
        LOG.debug("engine.client_close sid={}", id);
        closeNow("transport close", true);
      }
      default -> {
        // PING (v3 style), NOOP and stray OPEN/UPGRADE packets carry nothing for a v4 server.
      }
    }
  }

  private void doSend(List<Object> frames) {
    if (state != State.OPEN) {
      return;
    }
    if (ws != null) {
      writeAll(frames);
      return;
    }
    if (!polling.offer(frames)) {
      LOG.warn("engine.session_error sid={} reason=polling_queue_overflow limit={}", id, config.pollingQueueLimit());
      closeNow("transport error", false);
    }
  }

  /** Writes the frames of one send to the WebSocket, then flushes them together. */
  private void writeAll(List<Object> frames) {
    RawWebSocket socket = ws;
    for (Object frame : frames) {
      if (state != State.OPEN || socket.isClosed()) {
        return;
      }
      int size;
      if (frame instanceof Buffer b) {
        size = b.length();
        socket.writeBinary(b);
      } else {
        String text = (String) frame;
        size = text.length();
        socket.writeText(text);
      }
      if (socket.writeQueueFull()) {
        onBacklog(size);
      }
    }
    socket.flush();
  }

  /**
   * Counts what is written while the connection does not drain; a client that stops reading would
   * otherwise make the server buffer without bound. Reset when the connection reports it drained.
   */
  private void onBacklog(int size) {
    if (backlog < 0) {
      backlog = 0;
      RawWebSocket socket = ws;
      socket.drainHandler(() -> runOnContext(() -> {
        if (socket == ws) {
          backlog = -1;
        }
      }));
    }
    backlog += size;
    if (backlog > config.websocketBacklogLimit()) {
      LOG.warn("engine.session_error sid={} reason=websocket_backlog limit={}", id, config.websocketBacklogLimit());
      closeNow("transport error", false);
    }
  }

  // ---- closing ----

  /**
   * Server-side close that still delivers queued frames: over WebSocket they were written already;
   * over polling the next GET (or the pending one) receives them followed by the close packet.
   */
  private void closeGracefully(String reason) {
    if (state != State.OPEN) {
      return;
    }
    if (ws != null || polling.hasPending()) {
      closeNow(reason, false);
      return;
    }
    state = State.CLOSING;
    abortUpgrade();
    heartbeat.startGrace(config.pingTimeoutMs());
    notifyClosed(reason);
  }

  /**
   * Closes at once. {@code clientInitiated}: the pending poll is ended with a noop rather than a close
   * packet, as the reference server does.
   */
  private void closeNow(String reason, boolean clientInitiated) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasOpen = state == State.OPEN;
    abortUpgrade();
    if (clientInitiated) {
      polling.endPendingWithNoop();
    } else {
      polling.endPendingWithClose();
    }
    if (ws != null && !ws.isClosed()) {
      ws.close();
    }
    finish();
    if (wasOpen) {
      notifyClosed(reason);
    }
  }

  private void finish() {
    state = State.CLOSED;
    heartbeat.cancel();
    polling.clear();
    server.remove(this);
  }

  private void notifyClosed(String reason) {
    if (state == State.OPEN) {
      state = State.CLOSING;
    }
    try {
      handler.onClose(reason);
    } catch (RuntimeException e) {
      LOG.error("engine.close_handler_failure sid={}", id, e);
    }
  }
}
