package io.switchboard.examples;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.json.JSONObject;

/**
 * docs/client.md's Java (Android) example: Switchboard with the official Java client
 * (io.socket:socket.io-client 2.x, the Android one). Connects with a JWT, makes requests with acks,
 * and handles events with their one documented argument. OtherLanguageClientsIT runs it.
 *
 * <p>Handlers run on the client's event thread: on Android, hand results to the UI thread, and call
 * {@link #request} (it blocks until the ack) from a background thread, never from a handler.
 */
public final class JavaChatClient implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 15;
  private final Socket socket;

  private JavaChatClient(Socket socket) {
    this.socket = socket;
  }

  /** Connects with {@code token} over {@code transport} ("websocket" or "polling"); waits for the CONNECT. */
  public static JavaChatClient connect(String url, String token, String transport) throws Exception {
    IO.Options options = IO.Options.builder()
        .setTransports(new String[] {transport})
        // The token, and nothing else: no `recover`, so events carry their documented argument only.
        .setAuth(Map.of("token", token))
        .build();
    Socket socket = IO.socket(URI.create(url), options);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
        new IllegalStateException("connect_error: " + args[0])));
    socket.connect();
    try {
      connected.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      socket.close();
      throw e;
    }
    return new JavaChatClient(socket);
  }

  /** A request with an ack: the answer's {@code {ok: true, ...}}, or an exception with its error code. */
  public JSONObject request(String event, JSONObject payload) throws Exception {
    CompletableFuture<JSONObject> answer = new CompletableFuture<>();
    socket.emit(event, new Object[] {payload}, (Ack) args -> answer.complete((JSONObject) args[0]));
    JSONObject result = answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!result.optBoolean("ok")) {
      JSONObject error = result.optJSONObject("error");
      throw new IllegalStateException(event + ": " + (error == null ? result : error.optString("code") + " " + error.optString("message")));
    }
    return result;
  }

  /** Calls {@code handler} with the payload of each {@code event} (its first and only argument). */
  public void on(String event, Consumer<JSONObject> handler) {
    socket.on(event, args -> handler.accept((JSONObject) args[0]));
  }

  public JSONObject sendMessage(String roomId, String body) throws Exception {
    return request("send-message", new JSONObject().put("roomId", roomId)
        .put("clientMsgId", UUID.randomUUID().toString()).put("body", body));
  }

  /** Joins a room; {@code sinceSeq} (or -1 for none) catches up: the answer's {@code missed}. */
  public JSONObject joinRoom(String roomId, long sinceSeq) throws Exception {
    JSONObject payload = new JSONObject().put("roomId", roomId);
    if (sinceSeq >= 0) {
      payload.put("sinceSeq", sinceSeq);
    }
    return request("join-room", payload);
  }

  @Override
  public void close() {
    socket.close();
  }

  /** {@code java JavaChatClient <url> <token> <roomId>}: joins the room, prints what arrives, sends a line. */
  public static void main(String[] args) throws Exception {
    try (JavaChatClient client = connect(args[0], args[1], "websocket")) {
      // opt* reads: org.json's get* throw a checked exception, which a handler cannot.
      client.on("room-message-created", e -> System.out.println("created " + e.optJSONObject("new").optString("body")));
      client.on("room-message-confirmed", e -> System.out.println("confirmed seq " + e.optLong("seq")));
      System.out.println("joined, last seq " + client.joinRoom(args[2], -1).getLong("lastSeq"));
      System.out.println("sent, seq " + client.sendMessage(args[2], "hello from Java").getLong("seq"));
      System.out.println("history " + client.request("fetch-history", new JSONObject().put("roomId", args[2])).getJSONArray("messages"));
    }
  }
}
