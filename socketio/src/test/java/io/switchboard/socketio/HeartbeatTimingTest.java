package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.RawClient;
import io.switchboard.socketio.support.RawClient.Response;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Engine.IO's timing promises, checked as a strict client would: the server pings pingInterval
 * after the open packet and after each pong, and a session whose pong has not come back within
 * pingTimeout is gone at that instant, over WebSocket and over long-polling. A heartbeat made late
 * again (a clock that fires on coarse ticks, say) fails here.
 */
@ExtendWith(VertxExtension.class)
class HeartbeatTimingTest {
  private static final long INTERVAL = 1_500;
  private static final long TIMEOUT = 1_500;
  /**
   * How late a ping or a close may come: the event loop's own latency, not a clock tick. On two cores
   * busy with other builds a ping came 146 ms late; a clock of coarse ticks (half a second, a second)
   * is later than this on most of its heartbeats.
   */
  private static final long LATE = 200;
  /** The clocks' millisecond rounding. */
  private static final long EARLY = 3;

  private TestServer server;
  private RawClient raw;
  /** Held here: a client nobody references is closed by Vert.x when collected, handshakes and all. */
  private io.vertx.core.http.WebSocketClient wsClient;

  private void start(Vertx vertx) {
    server = TestServer.start(vertx, new SocketIoOptions().recoveryWindowMs(0).pingIntervalMs(INTERVAL)
        .pingTimeoutMs(TIMEOUT), io -> io.of("/"));
    raw = new RawClient(vertx, server.port());
    wsClient = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() {
    if (raw != null) {
      raw.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }

  /**
   * An event expected {@code expectedMs} after a moment the client knows only within a range: no
   * earlier than that long after {@code notBefore} (the client's request that led to the moment was
   * sent), no later than that long (plus {@link #LATE}) after {@code notAfter} (its answer came back).
   */
  private static void assertOnTime(String what, long expectedMs, long notBefore, long notAfter, long actual) {
    assertTrue(actual - notBefore >= expectedMs - EARLY && actual - notAfter <= expectedMs + LATE,
        what + " came " + (actual - notBefore) + " ms after the request and " + (actual - notAfter)
            + " ms after its answer; expected " + expectedMs + " ms (at most " + LATE + " ms late)");
  }

  /** A WebSocket whose frames are stamped on arrival, on the event loop. */
  private record Stamped(long atMs, String text) {}

  private BlockingQueue<Stamped> websocket(Vertx vertx, WebSocket[] socket) {
    BlockingQueue<Stamped> frames = new LinkedBlockingQueue<>();
    socket[0] = Await.result(wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.port()).setURI("/socket.io/?EIO=4&transport=websocket")).onSuccess(ws -> {
          ws.textMessageHandler(text -> frames.add(new Stamped(nowMs(), text)));
          ws.closeHandler(v -> frames.add(new Stamped(nowMs(), null)));
        }));
    return frames;
  }

  private static Stamped next(BlockingQueue<Stamped> frames) throws InterruptedException {
    Stamped frame = frames.poll(10, TimeUnit.SECONDS);
    assertTrue(frame != null, "no frame within 10 s");
    return frame;
  }

  @Test
  @DisplayName("over WebSocket, a ping comes pingInterval after the open packet and after each pong")
  void websocketPings(Vertx vertx) throws Exception {
    start(vertx);
    WebSocket[] socket = new WebSocket[1];
    long sent = nowMs();
    BlockingQueue<Stamped> frames = websocket(vertx, socket);
    long answered = next(frames).atMs();
    for (int i = 0; i < 3; i++) {
      Stamped ping = next(frames);
      assertEquals("2", ping.text());
      assertOnTime("ping " + (i + 1), INTERVAL, sent, answered, ping.atMs());
      sent = nowMs();
      socket[0].writeTextMessage("3");
      answered = sent;
    }
  }

  @Test
  @DisplayName("over WebSocket, without a pong the session is closed pingTimeout after the ping was due")
  void websocketTimeout(Vertx vertx) throws Exception {
    start(vertx);
    long sent = nowMs();
    BlockingQueue<Stamped> frames = websocket(vertx, new WebSocket[1]);
    long answered = next(frames).atMs();
    Stamped ping = next(frames);
    assertEquals("2", ping.text());
    Stamped closed = next(frames);
    assertEquals(null, closed.text(), "the next thing is the close");
    // The deadline counts from when the ping was due (pingInterval after the handshake), not from
    // when it arrived: a ping sent a few milliseconds late must not stretch it, so measured from the
    // ping's arrival the close may come that much early.
    assertOnTime("close", INTERVAL + TIMEOUT, sent, answered, closed.atMs());
  }

  @Test
  @DisplayName("over long-polling, a pending poll returns the ping pingInterval after the open packet and after each pong")
  void pollingPings(Vertx vertx) {
    start(vertx);
    long sent = nowMs();
    String sid = raw.openPolling();
    long answered = nowMs();
    String uri = RawClient.PATH + "polling&sid=" + sid;
    for (int i = 0; i < 3; i++) {
      Response poll = raw.get(uri);
      long at = nowMs();
      assertEquals("2", poll.body());
      assertOnTime("ping " + (i + 1), INTERVAL, sent, answered, at);
      sent = nowMs();
      assertEquals(200, raw.post(uri, "3").status());
      answered = nowMs();
    }
  }

  @Test
  @DisplayName("over long-polling, a poll at pingInterval + pingTimeout without a pong finds the session closed; one before finds the ping")
  void pollingTimeoutAtTheInstant(Vertx vertx) throws Exception {
    start(vertx);
    // A first request warms the HTTP client up, so that the open packet comes back at once.
    assertEquals(400, raw.get(RawClient.PATH + "unknown").status());
    // The server opened the session between the handshake's request and its answer: its deadline
    // lies between these two instants.
    long sent = nowMs();
    String sid = raw.openPolling();
    long answered = nowMs();
    String uri = RawClient.PATH + "polling&sid=" + sid;
    Await.result(vertx.timer(Math.max(1, sent + INTERVAL + TIMEOUT / 2 - nowMs())));
    assertEquals("2", raw.get(uri).body(), "alive between the ping and the deadline, its ping queued");
    Await.result(vertx.timer(Math.max(1, answered + INTERVAL + TIMEOUT - nowMs())));
    Response late = raw.get(uri);
    assertEquals(400, late.status(), "at the deadline: " + late.body());
    assertEquals(new JsonObject().put("code", 1).put("message", "Session ID unknown"), late.json());
  }
}
