package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.RawClient;
import io.switchboard.socketio.support.RawClient.Frames;
import io.switchboard.socketio.support.RawClient.Response;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a peer that has not connected to a namespace yet (not authenticated, for an application)
 * may cost: admission at the handshake, the connect deadline, binary packets, CONNECT attempts,
 * overlapping POSTs. Raw HTTP and WebSocket clients against a real server.
 */
@ExtendWith(VertxExtension.class)
class PreConnectTest {
  private TestServer server;
  private RawClient raw;

  private void start(Vertx vertx, SocketIoOptions options) {
    server = TestServer.start(vertx, options, io -> io.of("/").onConnection(socket ->
        socket.on("echo", (args, ack) -> socket.emit("echo-back", args.toArray()))));
    raw = new RawClient(vertx, server.port());
  }

  /** Recovery off: the tests compare exact frames. A connect deadline far away unless a test sets one. */
  private static SocketIoOptions options() {
    return new SocketIoOptions().recoveryWindowMs(0).connectTimeoutMs(60_000);
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

  /** Admits {@code perAddress} sessions per address; counts admissions and releases. */
  static final class CountingAdmission implements SessionAdmission {
    final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    final AtomicInteger admitted = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final int perAddress;

    CountingAdmission(int perAddress) {
      this.perAddress = perAddress;
    }

    @Override
    public Refusal admit(String address) {
      AtomicInteger count = open.computeIfAbsent(address, a -> new AtomicInteger());
      if (count.incrementAndGet() > perAddress) {
        count.decrementAndGet();
        refused.incrementAndGet();
        return new Refusal(429, "too many sessions", "TEST_LIMIT");
      }
      admitted.incrementAndGet();
      return null;
    }

    @Override
    public void release(String address) {
      released.incrementAndGet();
      if (open.get(address).decrementAndGet() < 0) {
        throw new AssertionError("released more often than admitted");
      }
    }

    int open() {
      return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }
  }

  /** Polls a condition the server reaches on its own (a close, a release), up to the await timeout. */
  private static void until(Vertx vertx, BooleanSupplier condition, String what) {
    long deadline = System.currentTimeMillis() + Await.TIMEOUT.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not reached in time: " + what);
      }
      Await.result(vertx.timer(10));
    }
  }

  private static String polling(String sid) {
    return RawClient.PATH + "polling&sid=" + sid;
  }

  @Test
  @DisplayName("A handshake the admission policy refuses gets its status and JSON error, over polling and WebSocket; a closed session frees its place")
  void admissionRefusesHandshakes(Vertx vertx) {
    CountingAdmission admission = new CountingAdmission(2);
    start(vertx, options().sessionAdmission(admission));
    String sid = raw.openPolling();
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    assertTrue(ws.nextText().startsWith("0{"));

    Response refused = Await.result(raw.send(HttpMethod.GET, RawClient.PATH + "polling", null,
        MultiMap.caseInsensitiveMultiMap().add("Origin", "https://app.example")));
    assertEquals(429, refused.status());
    assertEquals(new JsonObject().put("code", 429).put("message", "too many sessions")
        .put("data", new JsonObject().put("code", "TEST_LIMIT")), refused.json());
    assertEquals("https://app.example", refused.headers().get("Access-Control-Allow-Origin"),
        "a browser page can read the refusal");
    Throwable upgrade = Await.failure(vertx.createWebSocketClient()
        .connect(server.port(), "127.0.0.1", "/socket.io/?EIO=4&transport=websocket"));
    assertTrue(upgrade instanceof UpgradeRejectedException rejected && rejected.getStatus() == 429, upgrade.toString());
    assertEquals(2, server.io().clientCount(), "refused handshakes open no session");

    assertEquals(200, raw.post(polling(sid), "1").status());
    until(vertx, () -> admission.open() == 1, "the closed session's place is free");
    assertTrue(raw.openPolling() != null);
    assertEquals(3, admission.admitted.get());
    assertEquals(2, admission.refused.get());
  }

  @Test
  @DisplayName("Each admitted session is released exactly once, however it ends: client close, transport close, upgrade then close, connect deadline, ping timeout, server close")
  void admissionReleasedOnce(Vertx vertx) {
    CountingAdmission admission = new CountingAdmission(100);
    start(vertx, options().connectTimeoutMs(300).pingIntervalMs(1_000).pingTimeoutMs(500).sessionAdmission(admission));

    String closedByClient = raw.openPolling();
    assertEquals(200, raw.post(polling(closedByClient), "1").status());

    Frames transportClosed = raw.websocket("EIO=4&transport=websocket");
    transportClosed.nextText();
    transportClosed.send("40");
    assertTrue(transportClosed.nextText().startsWith("40{"));
    transportClosed.close();

    String upgraded = raw.openPolling();
    assertEquals(200, raw.post(polling(upgraded), "40").status());
    assertTrue(raw.get(polling(upgraded)).body().startsWith("40{"));
    Frames probe = raw.websocket("EIO=4&transport=websocket&sid=" + upgraded);
    probe.send("2probe");
    assertEquals("3probe", probe.next());
    probe.send("5");
    probe.send("42[\"echo\",\"upgraded\"]");
    assertEquals("42[\"echo-back\",\"upgraded\"]", probe.nextText());
    probe.send("1");

    raw.openPolling(); // never connects: closed at the deadline
    Frames silent = raw.websocket("EIO=4&transport=websocket");
    silent.nextText();
    silent.send("40");
    assertTrue(silent.nextText().startsWith("40{"));
    // never answers a ping: closed by the ping timeout

    Frames closedByServer = raw.websocket("EIO=4&transport=websocket");
    closedByServer.nextText();
    closedByServer.send("40");
    assertTrue(closedByServer.nextText().startsWith("40{"));
    long pongs = vertx.setPeriodic(100, t -> closedByServer.send("3"));

    until(vertx, () -> admission.released.get() == 5, "five sessions ended by themselves");
    vertx.cancelTimer(pongs);
    Await.result(server.io().close());
    until(vertx, () -> admission.released.get() == 6, "the last one closed by the server");
    assertEquals(6, admission.admitted.get());
    assertEquals(0, admission.open());
    assertEquals(0, server.io().clientCount());
  }

  @Test
  @DisplayName("A session that does not CONNECT is closed at the connect deadline, on time, however often it sends pongs and noops, and frees its place at once")
  void connectDeadline(Vertx vertx) {
    CountingAdmission admission = new CountingAdmission(10);
    // The first ping is far beyond the deadline: the deadline does not wait for the heartbeat, nor
    // does a closed polling session linger a ping timeout for its last poll.
    start(vertx, options().connectTimeoutMs(300).pingIntervalMs(10_000).pingTimeoutMs(10_000).sessionAdmission(admission));
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    long opened = System.nanoTime();
    assertTrue(ws.nextText().startsWith("0{"));
    long timer = vertx.setPeriodic(50, t -> {
      if (!ws.isClosed()) {
        ws.send("3").send("6");
      }
    });
    Await.result(ws.closed());
    vertx.cancelTimer(timer);
    long elapsedMs = (System.nanoTime() - opened) / 1_000_000;
    assertTrue(elapsedMs < 3_000, "closed after " + elapsedMs + " ms, the deadline is 300");

    String held = raw.openPolling();
    assertEquals("1", raw.get(polling(held)).body(), "a held GET receives the close packet at the deadline");

    long polled = System.nanoTime();
    String idle = raw.openPolling();
    until(vertx, () -> admission.open() == 0, "every place free");
    long freedMs = (System.nanoTime() - polled) / 1_000_000;
    assertTrue(freedMs < 3_000, "a polling session that never polls freed its place after " + freedMs + " ms");
    assertEquals(400, raw.get(polling(idle)).status());
    assertEquals(0, server.io().clientCount());
  }

  @Test
  @DisplayName("A CONNECT still being decided at the deadline is let finish: accepted, the session lives; refused, it closes")
  void connectDecidedAfterDeadline(Vertx vertx) {
    server = TestServer.start(vertx, options().connectTimeoutMs(200).pingIntervalMs(10_000), io -> io.of("/").use(socket -> {
      boolean ok = "yes".equals(socket.handshake().auth().getString("ok"));
      return vertx.timer(400).compose(t -> ok ? Future.succeededFuture()
          : Future.failedFuture(new ConnectRefusedException("no", null)));
    }));
    raw = new RawClient(vertx, server.port());
    Frames accepted = raw.websocket("EIO=4&transport=websocket");
    accepted.nextText();
    accepted.send("40{\"ok\":\"yes\"}");
    Frames refused = raw.websocket("EIO=4&transport=websocket");
    refused.nextText();
    refused.send("40{\"ok\":\"no\"}");

    assertTrue(accepted.nextText().startsWith("40{\"sid\":"));
    assertEquals("44{\"message\":\"no\"}", refused.nextText());
    Await.result(refused.closed());
    assertEquals(1, server.io().clientCount());
    assertEquals(1, server.io().of("/").size());
  }

  @Test
  @DisplayName("A binary packet for a namespace not connected closes the session at its header, before any attachment is read")
  void binaryBeforeConnect(Vertx vertx) {
    start(vertx, options());
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    ws.nextText();
    ws.send("451-[\"echo\",{\"_placeholder\":true,\"num\":0}]");
    Await.result(ws.closed());

    Frames other = raw.websocket("EIO=4&transport=websocket");
    other.nextText();
    other.send("40");
    assertTrue(other.nextText().startsWith("40{"));
    other.send("452-/admin,[\"echo\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    Await.result(other.closed());

    String sid = raw.openPolling();
    assertEquals(200, raw.post(polling(sid), "451-[\"echo\",{\"_placeholder\":true,\"num\":0}]").status());
    assertEquals(400, raw.get(polling(sid)).status(), "the polling session is gone at once");
    assertEquals(0, server.io().clientCount());
  }

  @Test
  @DisplayName("CONNECT retried on one session: each refusal is answered, the attempt past the limit closes the session")
  void connectAttemptsPerSession(Vertx vertx) {
    AtomicInteger checks = new AtomicInteger();
    server = TestServer.start(vertx, options().connectAttemptsPerSession(3), io -> io.of("/").use(socket -> {
      checks.incrementAndGet();
      return Future.failedFuture(new ConnectRefusedException("bad token", null));
    }));
    raw = new RawClient(vertx, server.port());
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    ws.nextText();
    for (int i = 0; i < 3; i++) {
      ws.send("40{\"token\":\"guess " + i + "\"}");
      assertEquals("44{\"message\":\"bad token\"}", ws.nextText());
    }
    ws.send("40{\"token\":\"guess 3\"}");
    Await.result(ws.closed());
    assertEquals(3, checks.get(), "the attempt past the limit runs no middleware");
  }

  @Test
  @DisplayName("A second POST while the first one's body is still being read gets 400 and closes the session")
  void overlappingPosts(Vertx vertx) throws IOException {
    start(vertx, options());
    String sid = raw.openPolling();
    try (Socket slow = new Socket("127.0.0.1", server.port())) {
      OutputStream out = slow.getOutputStream();
      out.write(("POST " + polling(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
          + "Content-Length: 100\r\n\r\n42[\"echo\"").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // The server has the first POST once it reads the second's request: nothing else tells.
      Await.result(vertx.timer(200));
      Response second = raw.post(polling(sid), "3");
      assertEquals(400, second.status());
      assertEquals(3, second.json().getInteger("code"));
      assertEquals(400, raw.get(polling(sid)).status(), "the session is closed");
    }
  }
}
