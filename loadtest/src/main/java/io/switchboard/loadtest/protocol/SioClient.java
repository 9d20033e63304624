package io.switchboard.loadtest.protocol;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Socket.IO v4 client connection over a raw WebSocket (Engine.IO v4, no polling): OPEN, then
 * CONNECT to {@code /} with an auth payload ({@code {token}} and what else the run asks), answering server pings with pongs, events with optional
 * ack ids, and ACK routing to the handler of each id.
 *
 * <p>Confinement: a client belongs to the event loop that connected it. Every method except
 * {@link #runOnContext} must be called on that thread; handlers are called on it.
 */
public final class SioClient {
  /** Receives every EVENT the server sends. */
  @FunctionalInterface
  public interface EventListener {
    void onEvent(SioClient client, SioPacket packet);
  }

  /** Receives the raw argument array of an ACK, or null when the connection closed first. */
  @FunctionalInterface
  public interface AckHandler {
    void onAck(String data);
  }

  /** Told once when a connected client's connection ends, with a short reason. */
  @FunctionalInterface
  public interface CloseListener {
    void onClose(SioClient client, String reason);
  }

  private enum State { OPENING, CONNECTED, CLOSED }

  private final WebSocket ws;
  private final Context context;
  private final Thread owner;
  private final String auth;
  private final Promise<SioClient> connected;
  private EventListener events = (c, p) -> { };
  private CloseListener closeListener = (c, r) -> { };
  private final Map<Integer, AckHandler> pendingAcks = new HashMap<>();
  private State state = State.OPENING;
  private int nextAckId;
  private String closeReason;
  private Object attachment;

  private SioClient(WebSocket ws, String auth, Promise<SioClient> connected) {
    this.ws = ws;
    this.context = Vertx.currentContext();
    this.owner = Thread.currentThread();
    this.auth = auth;
    this.connected = connected;
  }

  /**
   * Opens a WebSocket to {@code endpoint} and completes once the server accepted the Socket.IO
   * CONNECT, or fails with a {@link ConnectFailure}. Must be called on an event loop: the client is
   * bound to it.
   */
  public static Future<SioClient> connect(Vertx vertx, WebSocketClient wsClient, Endpoint endpoint, String auth,
      long timeoutMs, EventListener events) {
    if (!Context.isOnEventLoopThread()) {
      throw new IllegalStateException("SioClient.connect must run on an event loop");
    }
    Promise<SioClient> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> promise.tryFail(new ConnectFailure(ConnectFailure.TIMEOUT, null,
        "no Socket.IO CONNECT within " + timeoutMs + " ms")));
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(endpoint.host()).setPort(endpoint.port()).setSsl(endpoint.ssl())
        .setURI(endpoint.webSocketUri()).setConnectTimeout(timeoutMs).setTimeout(timeoutMs);
    wsClient.connect(options).onComplete(ws -> {
      SioClient client = new SioClient(ws, auth, promise);
      client.events = events;
      client.bind();
    }, failure -> promise.tryFail(ConnectFailure.of(failure)));
    return promise.future().onComplete(c -> vertx.cancelTimer(timer), f -> vertx.cancelTimer(timer));
  }

  private void bind() {
    ws.textMessageHandler(this::onFrame);
    ws.exceptionHandler(e -> closeReason = closeReason == null ? "error: " + e.getMessage() : closeReason);
    ws.closeHandler(v -> onClosed(closeReason == null ? "transport close" : closeReason));
    connected.future().onFailure(f -> {
      if (state != State.CLOSED) {
        ws.close();
      }
    });
  }

  private void onFrame(String text) {
    EngineFrame frame;
    try {
      frame = PacketCodec.decode(text);
    } catch (PacketFormatException e) {
      closeReason = "parse error: " + e.getMessage();
      ws.close();
      return;
    }
    switch (frame.type()) {
      case EngineFrame.OPEN -> ws.writeTextMessage(PacketCodec.connect("/", auth));
      case EngineFrame.PING -> ws.writeTextMessage(PacketCodec.PONG);
      case EngineFrame.MESSAGE -> onPacket(frame.packet());
      case EngineFrame.CLOSE -> {
        closeReason = "server close";
        ws.close();
      }
      default -> { }
    }
  }

  private void onPacket(SioPacket packet) {
    switch (packet.type()) {
      case SioPacket.EVENT -> events.onEvent(this, packet);
      case SioPacket.ACK -> {
        AckHandler handler = pendingAcks.remove(packet.ackId());
        if (handler != null) {
          handler.onAck(packet.data());
        }
      }
      case SioPacket.CONNECT -> {
        state = State.CONNECTED;
        if (!connected.tryComplete(this)) {
          close();
        }
      }
      case SioPacket.CONNECT_ERROR -> {
        String code = connectErrorCode(packet.data());
        connected.tryFail(new ConnectFailure(ConnectFailure.AUTH, code, "connect_error " + packet.data()));
      }
      case SioPacket.DISCONNECT -> {
        closeReason = "server disconnect";
        ws.close();
      }
      default -> { }
    }
  }

  private static String connectErrorCode(String data) {
    int at = data.indexOf("\"code\":\"");
    if (at < 0) {
      return "UNKNOWN";
    }
    int[] end = new int[1];
    String code = JsonScan.readString(data, at + 7, end);
    return code == null ? "UNKNOWN" : code;
  }

  private void onClosed(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasConnected = state == State.CONNECTED;
    state = State.CLOSED;
    connected.tryFail(new ConnectFailure(ConnectFailure.CLOSED, null, "closed during the handshake: " + reason));
    List<AckHandler> lost = new ArrayList<>(pendingAcks.values());
    pendingAcks.clear();
    lost.forEach(h -> h.onAck(null));
    if (wasConnected) {
      closeListener.onClose(this, reason);
    }
  }

  /**
   * Sends an event with one argument (raw JSON, or null for none). With a handler, the event carries
   * an ack id and the handler gets the ACK's argument array (or null if the connection closes first).
   * Returns false when the client is not connected (nothing was sent).
   */
  public boolean emit(String event, String argJson, AckHandler ack) {
    if (state != State.CONNECTED) {
      if (ack != null) {
        ack.onAck(null);
      }
      return false;
    }
    int id = -1;
    if (ack != null) {
      id = nextAckId++;
      if (nextAckId < 0) {
        nextAckId = 0;
      }
      pendingAcks.put(id, ack);
    }
    ws.writeTextMessage(PacketCodec.event("/", id, event, argJson));
    return true;
  }

  /** Sends an event and completes with the ACK's argument array, failing after {@code timeoutMs}. */
  public Future<String> request(String event, String argJson, long timeoutMs) {
    Promise<String> promise = Promise.promise();
    Vertx vertx = context.owner();
    long timer = vertx.setTimer(timeoutMs, t -> promise.tryFail("no ack to " + event + " within " + timeoutMs + " ms"));
    emit(event, argJson, data -> {
      vertx.cancelTimer(timer);
      if (data == null) {
        promise.tryFail("connection closed before the ack to " + event);
      } else {
        promise.tryComplete(data);
      }
    });
    return promise.future();
  }

  /** Leaves politely: a Socket.IO DISCONNECT, then the WebSocket close. */
  public void disconnect() {
    if (state == State.CONNECTED) {
      ws.writeTextMessage(PacketCodec.disconnect("/"));
      closeReason = "client disconnect";
    }
    close();
  }

  /**
   * Stops reading from the socket, as a client on a stalled network would: what the server sends
   * piles up in its buffers. For the slow-consumer case of the broadcast scenario.
   */
  public void stopReading() {
    runOnContext(ws::pause);
  }

  /** Closes the WebSocket; the close listener is told when it is closed. */
  public void close() {
    if (state != State.CLOSED) {
      ws.close();
    }
  }

  /** Runs {@code action} on this client's event loop (now, if already there). */
  public void runOnContext(Runnable action) {
    if (Thread.currentThread() == owner) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** Queues {@code action} on this client's event loop, even when called from it. */
  public void runLater(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  public CloseListener closeListener() {
    return closeListener;
  }

  public void closeListener(CloseListener listener) {
    this.closeListener = listener;
  }

  public boolean isConnected() {
    return state == State.CONNECTED;
  }

  public int pendingAcks() {
    return pendingAcks.size();
  }

  /** Scenario state attached to this client. */
  @SuppressWarnings("unchecked")
  public <T> T attachment() {
    return (T) attachment;
  }

  public void attach(Object value) {
    this.attachment = value;
  }
}
