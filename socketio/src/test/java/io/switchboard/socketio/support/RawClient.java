package io.switchboard.socketio.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Raw HTTP and WebSocket access to the Engine.IO endpoint, for protocol-level tests. */
public final class RawClient implements AutoCloseable {
  public static final String PATH = "/socket.io/?EIO=4&transport=";

  private final Vertx vertx;
  private final int port;
  private final java.net.http.HttpClient http;
  private final WebSocketClient ws;

  public RawClient(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    // The JDK client: Vert.x 5.0.7's HttpClient, pooled or not, now and then never completed a request
    // in long runs against this server (the server had answered every request it received; Node's and
    // the JDK's clients never miss one).
    this.http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    this.ws = vertx.createWebSocketClient();
  }

  public record Response(int status, MultiMap headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public Future<Response> send(HttpMethod method, String uri, String body, MultiMap headers) {
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + uri))
        .timeout(Await.TIMEOUT)
        .method(method.name(), body == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (headers != null) {
      headers.forEach(request::header);
    }
    return Future.fromCompletionStage(http.sendAsync(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> {
          MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
          r.headers().map().forEach(responseHeaders::add);
          return new Response(r.statusCode(), responseHeaders, r.body());
        }));
  }

  public Response request(HttpMethod method, String uri, String body) {
    return Await.result(send(method, uri, body, null));
  }

  public Response get(String uri) {
    return request(HttpMethod.GET, uri, null);
  }

  public Response post(String uri, String body) {
    return request(HttpMethod.POST, uri, body);
  }

  /** Opens a polling session and returns its sid. */
  public String openPolling() {
    Response r = get(PATH + "polling");
    if (r.status() != 200) {
      throw new AssertionError("handshake failed: " + r);
    }
    return new JsonObject(r.body().substring(1)).getString("sid");
  }

  public Frames websocket(String query) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI("/socket.io/?" + query);
    // Handlers set before it connects: the server writes the open packet right after the upgrade,
    // and a frame that comes before its handler is dropped (bound once connect() completed, from this
    // thread, the open packet was now and then lost).
    ClientWebSocket socket = ws.webSocket();
    Frames frames = new Frames();
    frames.bind(socket);
    Await.result(socket.connect(options));
    return frames;
  }

  /** The frames a raw WebSocket receives, in order: String for text, Buffer for binary. */
  public static final class Frames {
    /** Queued after the last frame when the WebSocket closes. */
    public static final Object CLOSED = new Object();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Promise<Short> closed = Promise.promise();
    private WebSocket socket;

    void bind(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(queue::add);
      socket.binaryMessageHandler(queue::add);
      socket.closeHandler(v -> {
        queue.add(CLOSED);
        closed.tryComplete(socket.closeStatusCode());
      });
    }

    public Object next() {
      try {
        Object frame = queue.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
          throw new AssertionError("no frame received");
        }
        return frame;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }

    /** The next text frame that is not a ping. */
    public String nextText() {
      while (true) {
        Object frame = next();
        if (frame == CLOSED) {
          throw new AssertionError("the WebSocket closed");
        }
        if (frame instanceof String s && !s.equals("2")) {
          return s;
        }
      }
    }

    public Frames send(String text) {
      socket.writeTextMessage(text);
      return this;
    }

    /** One text message in WebSocket fragments: a first frame, then continuation frames. */
    public Frames sendFragments(String... parts) {
      for (int i = 0; i < parts.length; i++) {
        boolean fin = i == parts.length - 1;
        socket.writeFrame(i == 0 ? WebSocketFrame.textFrame(parts[i], fin) : WebSocketFrame.continuationFrame(Buffer.buffer(parts[i]), fin));
      }
      return this;
    }

    /** Sends a WebSocket ping; completes with the payload of the next pong. */
    public Future<Buffer> ping(String payload) {
      Promise<Buffer> pong = Promise.promise();
      socket.pongHandler(pong::tryComplete);
      socket.writePing(Buffer.buffer(payload));
      return pong.future();
    }

    public Frames send(Buffer binary) {
      socket.writeBinaryMessage(binary);
      return this;
    }

    /** Stops reading from the connection (a client that no longer keeps up). */
    public void pause() {
      socket.pause();
    }

    public Future<Short> closed() {
      return closed.future();
    }

    public boolean isClosed() {
      return socket.isClosed();
    }

    public void close() {
      socket.close();
    }
  }

  @Override
  public void close() {
    ws.close();
  }
}
