package io.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/**
 * A user of the chat on the official Java Socket.IO client, with a dev-mode token: requests with
 * acks and the events the server sends, as Jackson trees, awaited from the test's thread.
 */
final class SocketUser implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Socket socket;
  private final Map<String, BlockingQueue<JsonNode>> events = new ConcurrentHashMap<>();

  private SocketUser(Socket socket) {
    this.socket = socket;
    socket.onAnyIncoming(args -> queue((String) args[0]).add(tree(args.length > 1 ? args[1] : null)));
  }

  static SocketUser connect(String url, String userId) throws Exception {
    HttpResponse<String> minted = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url + "/dev/token?user=" + userId)).build(), HttpResponse.BodyHandlers.ofString());
    String token = JSON.readTree(minted.body()).get("token").asText();
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setTransports(new String[] {WebSocket.NAME}).setAuth(Map.of("token", token)).build();
    SocketUser user = new SocketUser(IO.socket(URI.create(url), options));
    CompletableFuture<Void> connected = new CompletableFuture<>();
    user.socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    user.socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new AssertionError("refused: " + args[0])));
    user.socket.connect();
    connected.get(10, TimeUnit.SECONDS);
    return user;
  }

  /** Sends a request and returns its ack. */
  JsonNode request(String event, Map<String, Object> payload) throws Exception {
    CompletableFuture<JsonNode> ack = new CompletableFuture<>();
    socket.emit(event, new Object[] {new JSONObject(payload)}, (Ack) args -> ack.complete(tree(args.length > 0 ? args[0] : null)));
    return ack.get(10, TimeUnit.SECONDS);
  }

  /** The next event of that name, waiting up to 10 s. */
  JsonNode next(String event) throws InterruptedException {
    JsonNode data = queue(event).poll(10, TimeUnit.SECONDS);
    assertNotNull(data, "no " + event + " event");
    return data;
  }

  /** The next event of that name if one comes within {@code ms}; null otherwise. */
  JsonNode within(String event, long ms) throws InterruptedException {
    return queue(event).poll(ms, TimeUnit.MILLISECONDS);
  }

  private BlockingQueue<JsonNode> queue(String event) {
    return events.computeIfAbsent(event, e -> new LinkedBlockingQueue<>());
  }

  private static JsonNode tree(Object data) {
    try {
      return data == null ? JSON.nullNode() : JSON.readTree(data.toString());
    } catch (Exception e) {
      return JSON.getNodeFactory().textNode(String.valueOf(data));
    }
  }

  @Override
  public void close() {
    socket.disconnect();
    socket.close();
  }
}
