package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.gateway.GatewayConfig.HttpTimeouts;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway's HTTP server against slow clients, on raw TCP sockets: the read deadlines and the idle
 * timeout close them, while long-polls and WebSockets that last longer are left alone.
 */
@DisplayName("HTTP read deadlines and idle timeout")
class RequestDeadlinesTest {
  private static final long HEADER_MS = 250;
  private static final long BODY_MS = 250;
  private static final long PING_INTERVAL_MS = 1_000;
  private static final long PING_TIMEOUT_MS = 200;
  /** More than a ping interval and timeout, as the gateway's configuration requires. */
  private static final long IDLE_MS = 1_500;

  private final Vertx vertx = Vertx.vertx();
  /** Held here: a client nobody references is closed by Vert.x when collected, its connections with it. */
  private final WebSocketClient wsClient = vertx.createWebSocketClient();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private final ConcurrentLinkedQueue<String> timeouts = new ConcurrentLinkedQueue<>();
  private int port;

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    SocketIoOptions socketIo = new SocketIoOptions().pingIntervalMs(PING_INTERVAL_MS).pingTimeoutMs(PING_TIMEOUT_MS).recoveryWindowMs(0);
    SocketIoServer io = SocketIoServer.create(vertx, socketIo);
    io.of("/").onConnection(socket -> socket.on("echo", (args, ack) -> socket.emit("echo-back", args.toArray())));
    RequestDeadlines deadlines = new RequestDeadlines(new HttpTimeouts(IDLE_MS, HEADER_MS, BODY_MS), timeouts::add);
    HttpServerOptions options = socketIo.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
        .setStrictThreadMode(true));
    await(vertx.deployVerticle(() -> new HttpServerVerticle(options, deadlines, v -> {
      Router router = Router.router(v);
      router.get("/fast").handler(ctx -> ctx.response().end("ok"));
      router.post("/echo").handler(BodyHandler.create()).handler(ctx -> ctx.response().end("got " + ctx.body().length()));
      io.mount(router);
      return router;
    }, () -> Future.succeededFuture()), new DeploymentOptions().setInstances(2)));
  }

  @AfterEach
  void stop() {
    trickle.shutdownNow();
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Sends one byte of {@code text} every 50 ms from another thread, until the server closes. */
  private void trickle(Socket socket, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    int[] next = {0};
    trickle.scheduleAtFixedRate(() -> {
      try {
        if (next[0] < bytes.length) {
          socket.getOutputStream().write(bytes[next[0]++]);
          socket.getOutputStream().flush();
        }
      } catch (IOException closed) {
        throw new IllegalStateException("closed"); // cancels this task
      }
    }, 0, 50, TimeUnit.MILLISECONDS);
  }

  /** Milliseconds until the server closes the connection; whatever it sends first is read and dropped. */
  private static long msUntilClosed(Socket socket, long since) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // an answer before the close (a 408, say) is not what is measured
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within 10 s");
    } catch (IOException reset) {
      // closed with a reset: closed all the same
    }
    return (System.nanoTime() - since) / 1_000_000;
  }

  /** Reads one HTTP response with a Content-Length; returns its status line and body. */
  private static List<String> response(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed before a response: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return List.of(text.substring(0, text.indexOf("\r\n")), new String(body, StandardCharsets.UTF_8));
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private static String post(String path, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body;
  }

  @Test
  @DisplayName("a connection that sends nothing, and one that sends its request head byte by byte, are closed at the header deadline")
  void slowHeaders() throws IOException {
    try (Socket silent = connect(); Socket slow = connect()) {
      long opened = System.nanoTime();
      trickle(slow, get("/fast").replace("\r\n\r\n", "\r\nX-Padding: " + "x".repeat(200) + "\r\n\r\n"));
      long silentMs = msUntilClosed(silent, opened);
      long slowMs = msUntilClosed(slow, opened);
      assertTrue(silentMs >= HEADER_MS - 50 && silentMs < 3_000, "silent connection closed after " + silentMs + " ms");
      assertTrue(slowMs >= HEADER_MS - 50 && slowMs < 3_000, "slow head closed after " + slowMs + " ms, never idle");
    }
    assertTrue(timeouts.stream().allMatch("header"::equals) && timeouts.size() == 2, timeouts.toString());
  }

  @Test
  @DisplayName("on a kept-alive connection, the next request's slow head is closed at the deadline from its first byte")
  void slowHeadAfterARequest() throws IOException {
    try (Socket socket = connect()) {
      write(socket, get("/fast"));
      assertEquals(List.of("HTTP/1.1 200 OK", "ok"), response(socket));
      write(socket, "GET /fast HTT");
      long started = System.nanoTime();
      trickle(socket, "P/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "x".repeat(200) + "\r\n\r\n");
      long ms = msUntilClosed(socket, started);
      assertTrue(ms >= HEADER_MS - 50 && ms < 3_000, "closed after " + ms + " ms");
    }
  }

  @Test
  @DisplayName("a request body sent byte by byte is closed at the body deadline, whatever the route")
  void slowBody() throws IOException {
    for (String path : List.of("/echo", "/socket.io/?EIO=4&transport=polling&sid=unknown")) {
      try (Socket socket = connect()) {
        String request = post(path, "x".repeat(100));
        write(socket, request.substring(0, request.length() - 90));
        long started = System.nanoTime();
        trickle(socket, "x".repeat(90));
        long ms = msUntilClosed(socket, started);
        assertTrue(ms >= BODY_MS - 50 && ms < 3_000, path + ": closed after " + ms + " ms");
      }
    }
    assertEquals(List.of("body", "body"), List.copyOf(timeouts));
  }

  @Test
  @DisplayName("a long-poll held past the deadlines and a WebSocket kept past the idle timeout are not cut; an idle connection is closed at the idle timeout")
  void longPollsAndWebSocketsOutliveTheDeadlines() throws IOException {
    Promise<WebSocket> opened = Promise.promise();
    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    // The handler set before it connects: a frame that comes before its handler is dropped.
    ClientWebSocket client = wsClient.webSocket();
    client.textMessageHandler(text -> {
      received.add(text);
      if (text.equals("2")) {
        client.writeTextMessage("3");
      }
    });
    client.connect(port, "127.0.0.1", "/socket.io/?EIO=4&transport=websocket").onSuccess(ws -> {
      ws.writeTextMessage("40");
      opened.complete(ws);
    }).onFailure(opened::fail);
    WebSocket ws = await(opened.future());

    try (Socket socket = connect()) {
      write(socket, get("/socket.io/?EIO=4&transport=polling"));
      List<String> open = response(socket);
      String sid = open.get(1).replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
      write(socket, post("/socket.io/?EIO=4&transport=polling&sid=" + sid, "40"));
      assertEquals("ok", response(socket).get(1));
      write(socket, get("/socket.io/?EIO=4&transport=polling&sid=" + sid));
      assertTrue(response(socket).get(1).startsWith("40{"));
      long polled = System.nanoTime();
      write(socket, get("/socket.io/?EIO=4&transport=polling&sid=" + sid));
      assertEquals("2", response(socket).get(1), "the held poll is answered with the ping, not cut");
      long heldMs = (System.nanoTime() - polled) / 1_000_000;
      assertTrue(heldMs > Math.max(HEADER_MS, BODY_MS) + 100, "held " + heldMs + " ms, longer than either deadline");
      long idleSince = System.nanoTime();
      long ms = msUntilClosed(socket, idleSince);
      assertTrue(ms >= IDLE_MS - 100 && ms < IDLE_MS + 3_000, "idle connection closed after " + ms + " ms");
    }

    assertTrue(!ws.isClosed(), "the WebSocket outlived the idle timeout and the deadlines");
    ws.writeTextMessage("42[\"echo\",\"still here\"]");
    long deadline = System.currentTimeMillis() + 10_000;
    while (!received.contains("42[\"echo-back\",\"still here\"]")) {
      assertTrue(System.currentTimeMillis() < deadline, "no echo: " + received);
      await(vertx.timer(10));
    }
    assertTrue(timeouts.isEmpty(), timeouts.toString());
  }
}
