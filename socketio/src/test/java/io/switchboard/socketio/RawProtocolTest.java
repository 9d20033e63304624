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
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Engine.IO / Socket.IO error paths, driven with raw Vert.x HTTP and WebSocket clients. */
@ExtendWith(VertxExtension.class)
class RawProtocolTest {
  private TestServer server;
  private RawClient raw;
  private final Promise<Socket> firstSocket = Promise.promise();

  private void start(Vertx vertx, SocketIoOptions options) {
    server = TestServer.start(vertx, options, io -> io.of("/").onConnection(socket -> {
      firstSocket.tryComplete(socket);
      socket.on("echo", (args, ack) -> socket.emit("echo-back", args.toArray()));
    }));
    raw = new RawClient(vertx, server.port());
  }

  /** Recovery off: these tests assert on exact frames, which would otherwise carry offsets. */
  private static SocketIoOptions options() {
    return new SocketIoOptions().recoveryWindowMs(0);
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

  private static void assertError(Response response, int status, int code, String message) {
    assertEquals(status, response.status(), response.body());
    assertEquals(new JsonObject().put("code", code).put("message", message), response.json());
  }

  /** Opens a WebSocket session connected to "/" and returns it after the CONNECT reply. */
  private Frames connectedWebSocket() {
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    assertTrue(ws.nextText().startsWith("0{"));
    ws.send("40");
    assertTrue(ws.nextText().startsWith("40{\"sid\":"));
    return ws;
  }

  @ParameterizedTest(name = "query: {0}")
  @ValueSource(strings = {"transport=polling", "EIO=abc&transport=polling", "EIO=3&transport=polling", "EIO=5&transport=polling"})
  @DisplayName("A handshake without EIO=4 is refused with 400 code 5, including Engine.IO v3 clients")
  void badProtocolVersion(String query, Vertx vertx) {
    start(vertx, options());
    assertError(raw.get("/socket.io/?" + query), 400, 5, "Unsupported protocol version");
  }

  @ParameterizedTest(name = "query: {0}")
  @ValueSource(strings = {"EIO=4", "EIO=4&transport=abc", "EIO=4&transport=flashsocket"})
  @DisplayName("A missing or unknown transport is refused with 400 code 0")
  void badTransport(String query, Vertx vertx) {
    start(vertx, options());
    assertError(raw.get("/socket.io/?" + query), 400, 0, "Transport unknown");
  }

  @Test
  @DisplayName("A disabled transport is refused like an unknown one")
  void disabledTransport(Vertx vertx) {
    start(vertx, options().pollingEnabled(false));
    assertError(raw.get(RawClient.PATH + "polling"), 400, 0, "Transport unknown");
  }

  @Test
  @DisplayName("A handshake with another method than GET is refused with 400 code 2")
  void badHandshakeMethod(Vertx vertx) {
    start(vertx, options());
    assertError(raw.post(RawClient.PATH + "polling", "40"), 400, 2, "Bad handshake method");
    assertError(raw.request(HttpMethod.PUT, RawClient.PATH + "polling", ""), 400, 2, "Bad handshake method");
  }

  @Test
  @DisplayName("Requests for a session id unknown on this node get 400 code 1 (polling needs sticky sessions)")
  void unknownSid(Vertx vertx) {
    start(vertx, options());
    assertError(raw.get(RawClient.PATH + "polling&sid=nope"), 400, 1, "Session ID unknown");
    assertError(raw.post(RawClient.PATH + "polling&sid=nope", "40"), 400, 1, "Session ID unknown");
  }

  @Test
  @DisplayName("A polling POST larger than maxPayload gets 413 and closes the session")
  void oversizedPost(Vertx vertx) {
    start(vertx, options().maxPayload(100));
    String sid = raw.openPolling();
    assertEquals(413, raw.post(RawClient.PATH + "polling&sid=" + sid, "4" + "x".repeat(200)).status());
    assertError(raw.get(RawClient.PATH + "polling&sid=" + sid), 400, 1, "Session ID unknown");
  }

  @Test
  @DisplayName("A WebSocket message larger than maxPayload closes the session with 1009 (message too big)")
  void oversizedWebSocketMessage(Vertx vertx) {
    start(vertx, options().maxPayload(100));
    Frames ws = connectedWebSocket();
    ws.send("42[\"echo\",\"" + "x".repeat(200) + "\"]");
    assertEquals((short) 1009, Await.result(ws.closed()));
    assertEquals(0, server.io().clientCount());
  }

  @Test
  @DisplayName("A message sent in WebSocket fragments is read whole, also past maxPayload's frame size, which closes it")
  void fragmentedMessage(Vertx vertx) {
    start(vertx, options().maxPayload(100));
    Frames ws = connectedWebSocket();
    ws.sendFragments("42[\"echo\",", "\"in three", " parts\"]");
    assertEquals("42[\"echo-back\",\"in three parts\"]", ws.nextText());
    // Each fragment is within the limit, the message is not.
    ws.sendFragments("42[\"echo\",\"", "y".repeat(60), "y".repeat(60) + "\"]");
    assertEquals((short) 1009, Await.result(ws.closed()));
    assertEquals(0, server.io().clientCount());
  }

  @Test
  @DisplayName("Shutting the HTTP server down closes each WebSocket with 1001 (going away)")
  void httpShutdown(Vertx vertx) {
    start(vertx, options());
    Frames ws = connectedWebSocket();
    Await.result(server.http().shutdown());
    assertEquals((short) 1001, Await.result(ws.closed()));
  }

  @Test
  @DisplayName("A WebSocket ping is answered with a pong carrying its payload")
  void websocketPing(Vertx vertx) {
    start(vertx, options());
    Frames ws = connectedWebSocket();
    assertEquals("are you there", Await.result(ws.ping("are you there")).toString());
    ws.send("42[\"echo\",\"after the ping\"]");
    assertEquals("42[\"echo-back\",\"after the ping\"]", ws.nextText());
  }

  @Test
  @DisplayName("An event before CONNECT closes that session only; other sessions keep working")
  void eventBeforeConnect(Vertx vertx) {
    start(vertx, options());
    Frames good = connectedWebSocket();
    Frames bad = raw.websocket("EIO=4&transport=websocket");
    bad.nextText();
    bad.send("42[\"echo\",1]");
    Await.result(bad.closed());
    good.send("42[\"echo\",\"still here\"]");
    assertEquals("42[\"echo-back\",\"still here\"]", good.nextText());
  }

  @ParameterizedTest(name = "frame: {0}")
  @ValueSource(strings = {"zzz", "4abc", "42{}", "42[]", "42[1]", "42abc[\"echo\"]", "42[\"echo\"", "40", "44{\"message\":\"x\"}", "451-[\"echo\",\"x\"]then-text"})
  @DisplayName("Garbage frames close the session with a clean error")
  void garbageFrames(String frame, Vertx vertx) {
    start(vertx, options());
    Frames ws = connectedWebSocket();
    ws.send(frame);
    if (frame.startsWith("451-")) {
      ws.send("4oops"); // a text frame where a binary attachment was expected
    }
    Await.result(ws.closed());
    assertEquals(0, server.io().clientCount());
  }

  @Test
  @DisplayName("A binary frame that no packet announced closes the session")
  void unexpectedBinary(Vertx vertx) {
    start(vertx, options());
    Frames ws = connectedWebSocket();
    ws.send(Buffer.buffer(new byte[] {1, 2}));
    Await.result(ws.closed());
  }

  @Test
  @DisplayName("A second pending GET is refused with 400; the first receives the close packet and the session ends")
  void duplicatePoll(Vertx vertx) {
    start(vertx, options());
    String sid = raw.openPolling();
    String uri = RawClient.PATH + "polling&sid=" + sid;
    Future<Response> first = raw.send(HttpMethod.GET, uri, null, null);
    // Nothing observable tells that the server holds the first GET; give it a moment (as the official suite does).
    Await.result(vertx.timer(500));
    assertTrue(!first.isComplete(), "the first GET is held until there is data");
    Response second = raw.get(uri + "&t=2");
    assertError(second, 400, 3, "Bad request");
    Response firstResponse = Await.result(first);
    assertEquals(200, firstResponse.status());
    assertEquals("1", firstResponse.body());
    assertError(raw.get(uri), 400, 1, "Session ID unknown");
  }

  @Test
  @DisplayName("A client that never answers pings is closed after pingInterval + pingTimeout with reason \"ping timeout\"")
  void pingTimeout(Vertx vertx) {
    Promise<String> reason = Promise.promise();
    server = TestServer.start(vertx, options().pingIntervalMs(100).pingTimeoutMs(100),
        io -> io.of("/").onConnection(socket -> socket.onDisconnect(reason::tryComplete)));
    raw = new RawClient(vertx, server.port());
    Frames ws = connectedWebSocket();
    assertEquals("2", ws.next());
    Await.result(ws.closed());
    assertEquals("ping timeout", Await.result(reason.future()));
  }

  @Test
  @DisplayName("A client that answers pings stays connected across several heartbeats")
  void heartbeat(Vertx vertx) {
    // A long timeout: the test thread answers each ping, and a loaded machine may keep it off the CPU for seconds.
    start(vertx, options().pingIntervalMs(50).pingTimeoutMs(10_000));
    Frames ws = connectedWebSocket();
    for (int i = 0; i < 4; i++) {
      assertEquals("2", ws.next());
      ws.send("3");
    }
    ws.send("42[\"echo\",\"alive\"]");
    assertEquals("42[\"echo-back\",\"alive\"]", ws.nextText());
  }

  @Test
  @DisplayName("Of two clients on one event loop, the one that stops answering pings times out while the other stays connected")
  void heartbeatsOfSessionsSharingALoop(Vertx vertx) {
    Promise<String> reason = Promise.promise();
    server = TestServer.start(vertx, options().pingIntervalMs(50).pingTimeoutMs(300), io -> io.of("/").onConnection(socket -> {
      socket.on("echo", (args, ack) -> socket.emit("echo-back", args.toArray()));
      socket.onDisconnect(reason::tryComplete);
    }));
    raw = new RawClient(vertx, server.port());
    Frames answering = connectedWebSocket();
    Frames silent = connectedWebSocket();
    assertEquals("2", answering.next());
    answering.send("3");
    assertEquals("2", silent.next());
    // Answer until the silent one has been closed: its deadline passed, the other's kept moving.
    while (!silent.closed().isComplete()) {
      assertEquals("2", answering.next());
      answering.send("3");
    }
    assertEquals("ping timeout", Await.result(reason.future()));
    answering.send("42[\"echo\",\"alive\"]");
    assertEquals("42[\"echo-back\",\"alive\"]", answering.nextText());
  }

  @Test
  @DisplayName("CORS: preflight is answered, an allowed origin is echoed, another origin is refused with 403 code 4")
  void cors(Vertx vertx) {
    start(vertx, options().corsOrigins(List.of("https://app.example")));
    MultiMap preflight = MultiMap.caseInsensitiveMultiMap()
        .add("Origin", "https://app.example").add("Access-Control-Request-Headers", "content-type");
    Response options = Await.result(raw.send(HttpMethod.OPTIONS, RawClient.PATH + "polling", null, preflight));
    assertEquals(204, options.status());
    assertEquals("https://app.example", options.headers().get("Access-Control-Allow-Origin"));
    assertEquals("content-type", options.headers().get("Access-Control-Allow-Headers"));
    assertTrue(options.headers().get("Access-Control-Allow-Methods").contains("POST"));

    MultiMap allowed = MultiMap.caseInsensitiveMultiMap().add("Origin", "https://app.example");
    Response ok = Await.result(raw.send(HttpMethod.GET, RawClient.PATH + "polling", null, allowed));
    assertEquals(200, ok.status());
    assertEquals("https://app.example", ok.headers().get("Access-Control-Allow-Origin"));
    assertEquals("true", ok.headers().get("Access-Control-Allow-Credentials"));

    MultiMap other = MultiMap.caseInsensitiveMultiMap().add("Origin", "https://evil.example");
    assertError(Await.result(raw.send(HttpMethod.GET, RawClient.PATH + "polling", null, other)), 403, 4, "Forbidden");
  }

  @Test
  @DisplayName("After stopAccepting new handshakes get 503 while open sessions keep working")
  void stopAccepting(Vertx vertx) {
    start(vertx, options());
    Frames ws = connectedWebSocket();
    server.io().stopAccepting();
    assertEquals(503, raw.get(RawClient.PATH + "polling").status());
    ws.send("42[\"echo\",1]");
    assertEquals("42[\"echo-back\",1]", ws.nextText());
  }

  @Test
  @DisplayName("Packets queued for polling during an upgrade arrive on the WebSocket, in order, none lost")
  void upgradeKeepsOrder(Vertx vertx) {
    start(vertx, options());
    String sid = raw.openPolling();
    String uri = RawClient.PATH + "polling&sid=" + sid;
    assertEquals(200, raw.post(uri, "40").status());
    assertTrue(raw.get(uri).body().startsWith("40{\"sid\":"));
    Socket socket = Await.result(firstSocket.future());

    Frames ws = raw.websocket("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertEquals("3probe", ws.next());
    socket.emit("n", 1);
    socket.emit("n", 2);
    ws.send("5");
    socket.emit("n", 3);
    assertEquals("42[\"n\",1]", ws.nextText());
    assertEquals("42[\"n\",2]", ws.nextText());
    assertEquals("42[\"n\",3]", ws.nextText());
    assertError(raw.get(uri), 400, 3, "Bad request");
    assertEquals("websocket", socket.transport());
  }

  @Test
  @DisplayName("A polling client that falls more than pollingQueueLimit packets behind is dropped with \"transport error\"")
  void pollingQueueOverflow(Vertx vertx) {
    Promise<String> reason = Promise.promise();
    server = TestServer.start(vertx, options().pollingQueueLimit(5),
        io -> io.of("/").onConnection(socket -> socket.onDisconnect(reason::tryComplete)));
    raw = new RawClient(vertx, server.port());
    String sid = raw.openPolling();
    String uri = RawClient.PATH + "polling&sid=" + sid;
    assertEquals(200, raw.post(uri, "40").status());
    assertTrue(raw.get(uri).body().startsWith("40{\"sid\":"));
    // No GET pending from now on: everything queues.
    for (int i = 0; i < 6; i++) {
      server.io().of("/").broadcast().emit("n", i);
    }
    assertEquals("transport error", Await.result(reason.future()));
    assertError(raw.get(uri), 400, 1, "Session ID unknown");
  }

  @Test
  @DisplayName("A session that never connects to a namespace is closed after connectTimeout, even while it answers pings")
  void connectTimeout(Vertx vertx) {
    start(vertx, options().connectTimeoutMs(150).pingIntervalMs(50).pingTimeoutMs(1_000));
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    assertTrue(ws.nextText().startsWith("0{"));
    for (Object frame = ws.next(); frame != Frames.CLOSED; frame = ws.next()) {
      if ("2".equals(frame)) {
        ws.send("3");
      }
    }
    assertEquals(0, server.io().clientCount());
  }

  @Test
  @DisplayName("A probe WebSocket that never completes the upgrade is closed after upgradeTimeout; polling goes on")
  void upgradeTimeout(Vertx vertx) {
    start(vertx, options().upgradeTimeoutMs(500));
    String sid = raw.openPolling();
    String uri = RawClient.PATH + "polling&sid=" + sid;
    Frames ws = raw.websocket("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertEquals("3probe", ws.next());
    Await.result(ws.closed());
    assertEquals(200, raw.post(uri, "40").status());
    assertTrue(raw.get(uri).body().startsWith("40{\"sid\":"));
  }

  @Test
  @DisplayName("A client namespace disconnect is reported as such, keeps the connection and is not held for recovery")
  void clientNamespaceDisconnect(Vertx vertx) {
    Promise<String> reason = Promise.promise();
    server = TestServer.start(vertx, new SocketIoOptions(), io -> io.of("/").onConnection(socket -> {
      socket.onDisconnect(reason::tryComplete);
      socket.on("echo", (args, ack) -> ack.send(args.toArray()));
    }));
    raw = new RawClient(vertx, server.port());
    Frames ws = connectedWebSocket();
    ws.send("41");
    assertEquals("client namespace disconnect", Await.result(reason.future()));
    assertEquals(1, server.io().clientCount());
    ws.send("40");
    assertTrue(ws.nextText().startsWith("40{\"sid\":"));
  }

  @Test
  @DisplayName("A broadcast reaches every WebSocket member intact: multi-byte characters, and a text longer than one frame")
  void broadcastTexts(Vertx vertx) {
    start(vertx, options());
    Frames first = connectedWebSocket();
    Frames second = connectedWebSocket();
    Namespace main = server.io().of("/");
    String note = "café ☕ 😀";
    String longText = "ü".repeat(40_000); // 80 KB of UTF-8: more than one frame
    main.broadcast().emit("note", note);
    main.broadcast().emit("long", longText);
    main.broadcast().emit("note", "again");
    for (Frames ws : List.of(first, second)) {
      assertEquals("42[\"note\",\"" + note + "\"]", ws.nextText());
      assertEquals("42[\"long\",\"" + longText + "\"]", ws.nextText());
      assertEquals("42[\"note\",\"again\"]", ws.nextText());
    }
  }

  @Test
  @DisplayName("A WebSocket client that stops reading is dropped with \"transport error\" once the backlog passes its limit")
  void websocketBacklog(Vertx vertx) {
    Promise<String> reason = Promise.promise();
    server = TestServer.start(vertx, options().websocketBacklogLimit(256 * 1024),
        io -> io.of("/").onConnection(socket -> socket.onDisconnect(reason::tryComplete)));
    raw = new RawClient(vertx, server.port());
    Frames ws = connectedWebSocket();
    ws.pause();
    String chunk = "x".repeat(16 * 1024);
    Namespace main = server.io().of("/");
    // Far beyond the kernel's socket buffers plus the limit; stops as soon as the session is gone.
    for (int i = 0; i < 4_000 && main.size() > 0; i++) {
      main.broadcast().emit("big", chunk);
    }
    assertEquals("transport error", Await.result(reason.future()));
  }

  @Test
  @DisplayName("emitWithAck fails with a TimeoutException when the client never acknowledges")
  void ackTimeout(Vertx vertx) {
    Promise<Throwable> failure = Promise.promise();
    server = TestServer.start(vertx, options(), io -> io.of("/").onConnection(socket ->
        socket.emitWithAck("question", 100, "?").onFailure(failure::tryComplete)));
    raw = new RawClient(vertx, server.port());
    Frames ws = connectedWebSocket();
    assertEquals("420[\"question\",\"?\"]", ws.nextText());
    assertTrue(Await.result(failure.future()) instanceof java.util.concurrent.TimeoutException);
  }

  @Test
  @DisplayName("A middleware that fails unexpectedly answers CONNECT_ERROR \"Internal error\" and keeps the session")
  void middlewareFailure(Vertx vertx) {
    server = TestServer.start(vertx, options(), io -> {
      io.of("/broken").use(socket -> {
        throw new IllegalStateException("bug");
      });
      io.of("/").onConnection(socket -> socket.on("echo", (args, ack) -> socket.emit("echo-back", args.toArray())));
    });
    raw = new RawClient(vertx, server.port());
    Frames ws = connectedWebSocket();
    ws.send("40/broken,");
    assertEquals("44/broken,{\"message\":\"Internal error\"}", ws.nextText());
    ws.send("42[\"echo\",2]");
    assertEquals("42[\"echo-back\",2]", ws.nextText());
  }

  @Test
  @DisplayName("Rooms joined in a middleware are kept when the socket is accepted and dropped when it is refused")
  void middlewareRooms(Vertx vertx) {
    server = TestServer.start(vertx, options(), io -> {
      io.of("/").use(socket -> {
        socket.join("vip");
        return "yes".equals(socket.handshake().auth().getString("ok"))
            ? Future.succeededFuture()
            : Future.failedFuture(new ConnectRefusedException("no", null));
      });
    });
    raw = new RawClient(vertx, server.port());
    Frames refused = raw.websocket("EIO=4&transport=websocket");
    refused.nextText();
    refused.send("40{\"ok\":\"no\"}");
    assertEquals("44{\"message\":\"no\"}", refused.nextText());
    Namespace main = server.io().of("/");
    assertEquals(0, main.roomSize("vip"));

    Frames accepted = raw.websocket("EIO=4&transport=websocket");
    accepted.nextText();
    accepted.send("40{\"ok\":\"yes\"}");
    assertTrue(accepted.nextText().startsWith("40{\"sid\":"));
    assertEquals(1, main.roomSize("vip"));
    assertEquals(1, main.to("vip").emit("hello"));
    assertEquals("42[\"hello\"]", accepted.nextText());
  }

  @Test
  @DisplayName("Closing the server sends DISCONNECT to every socket and closes the connections")
  void serverClose(Vertx vertx) {
    start(vertx, options());
    Frames ws = connectedWebSocket();
    Await.result(server.io().close());
    assertEquals("41", ws.nextText());
    Await.result(ws.closed());
  }

  @Test
  @DisplayName("A polling client without a pending GET still receives DISCONNECT then the close packet on its next GET")
  void serverCloseWhilePolling(Vertx vertx) {
    start(vertx, options());
    String sid = raw.openPolling();
    String uri = RawClient.PATH + "polling&sid=" + sid;
    assertEquals(200, raw.post(uri, "40").status());
    assertTrue(raw.get(uri).body().startsWith("40{\"sid\":"));
    Await.result(server.io().close());
    assertEquals("41\u001e1", raw.get(uri).body());
    assertError(raw.get(uri), 400, 1, "Session ID unknown");
  }
}
