package io.switchboard.gateway.support;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * A chat client on the official Java Socket.IO client (WebSocket, no reconnection), with blocking
 * helpers for the test thread: connect or be refused, request with an ack, emit without one, await
 * the server's events and the disconnect. Payloads are Vert.x JSON both ways.
 */
public final class ChatClient implements AutoCloseable {
  private final Socket socket;
  private final Map<String, BlockingQueue<JsonObject>> events = new ConcurrentHashMap<>();
  private final CompletableFuture<String> disconnected = new CompletableFuture<>();

  private ChatClient(Socket socket) {
    this.socket = socket;
    socket.onAnyIncoming(args -> received((String) args[0], args.length > 1 ? args[1] : null));
    socket.on(Socket.EVENT_DISCONNECT, args -> disconnected.complete(String.valueOf(args.length > 0 ? args[0] : "")));
  }

  /**
   * Connects with {@code token} in the auth payload (none when null); completes with the client once
   * connected, or with the CONNECT_ERROR's {@code {message, data}} when refused.
   */
  static Outcome open(String url, String token) {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setTransports(new String[] {WebSocket.NAME})
        .setAuth(token == null ? Map.of() : Map.of("token", token)).build();
    ChatClient client = new ChatClient(IO.socket(URI.create(url), options));
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    client.socket.once(Socket.EVENT_CONNECT, args -> outcome.complete(new Outcome(client, null)));
    client.socket.once(Socket.EVENT_CONNECT_ERROR, args -> outcome.complete(new Outcome(null,
        args.length > 0 && args[0] instanceof JSONObject error ? json(error) : new JsonObject().put("error", Arrays.toString(args)))));
    client.socket.connect();
    Outcome result = get(outcome, "no answer to CONNECT");
    if (result.client() == null) {
      client.close();
    }
    return result;
  }

  /** A connection's outcome: the client, or the refusal. */
  record Outcome(ChatClient client, JsonObject refusal) {}

  /** Sends {@code event} with {@code payload} (none when null) and returns the ack. */
  public JsonObject request(String event, Object payload) {
    CompletableFuture<JsonObject> ack = new CompletableFuture<>();
    socket.emit(event, payload == null ? new Object[0] : new Object[] {wire(payload)},
        (Ack) args -> ack.complete(args.length > 0 && args[0] instanceof JSONObject reply ? json(reply)
            : new JsonObject().put("unexpected", Arrays.toString(args))));
    return get(ack, "no ack to " + event);
  }

  /** The error code of an ack that must be a failure. */
  public static String errorCode(JsonObject ack) {
    if (!Boolean.FALSE.equals(ack.getValue("ok"))) {
      throw new AssertionError("a failure was expected: " + ack.encode());
    }
    return ack.getJsonObject("error").getString("code");
  }

  /** The field a VALIDATION_ERROR ack names first. */
  public static String invalidField(JsonObject ack) {
    if (!"VALIDATION_ERROR".equals(errorCode(ack))) {
      throw new AssertionError("VALIDATION_ERROR was expected: " + ack.encode());
    }
    return ack.getJsonObject("error").getJsonArray("details").getJsonObject(0).getString("field");
  }

  /** Sends {@code event} without asking for an ack. */
  public void emit(String event, Object payload) {
    socket.emit(event, payload == null ? new Object[0] : new Object[] {wire(payload)});
  }

  /** The next {@code event} the server sent (its first argument), waiting for it if need be. */
  public JsonObject next(String event) {
    try {
      JsonObject payload = queue(event).poll(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (payload == null) {
        throw new AssertionError("no " + event + " arrived; others: " + events.keySet());
      }
      return payload;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** How many {@code event}s arrived that {@link #next} has not taken. */
  public int pending(String event) {
    return queue(event).size();
  }

  /** The reason the server gave when it disconnected this client, once it has. */
  public String awaitDisconnect() {
    return get(disconnected, "still connected");
  }

  public boolean connected() {
    return socket.connected();
  }

  @Override
  public void close() {
    socket.close();
  }

  private void received(String event, Object payload) {
    queue(event).add(payload instanceof JSONObject object ? json(object) : new JsonObject().put("value", String.valueOf(payload)));
  }

  private BlockingQueue<JsonObject> queue(String event) {
    return events.computeIfAbsent(event, e -> new LinkedBlockingQueue<>());
  }

  private static Object wire(Object payload) {
    try {
      if (payload instanceof JsonObject object) {
        return new JSONObject(object.encode());
      }
      if (payload instanceof JsonArray array) {
        return new JSONArray(array.encode());
      }
      return payload;
    } catch (JSONException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject json(JSONObject object) {
    return new JsonObject(object.toString());
  }

  private static <T> T get(CompletableFuture<T> future, String what) {
    try {
      return future.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(what + " within " + Await.TIMEOUT_MS + " ms");
    } catch (Exception e) {
      throw new AssertionError(what + ": " + e, e);
    }
  }
}
