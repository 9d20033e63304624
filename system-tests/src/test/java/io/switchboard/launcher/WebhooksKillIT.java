package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.embedded.TestServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Webhooks survive a SIGKILL of message-service mid-dispatch (docs/architecture.md, "Webhooks"): the
 * packaged jar runs as a process, its requests to the test's receiver are held unanswered, and it is
 * killed; a second process on the same Postgres delivers every message, the ones in flight again with
 * their event id. None lost; deduplicated by event id, none twice.
 */
@DisplayName("Webhooks when message-service is killed mid-dispatch")
class WebhooksKillIT {
  private static final String SERVICE_TOKEN = "webhooks-kill-service-token";
  private static final int MESSAGES = 20;
  private static final int CONCURRENCY = 4;

  /** Message id -> the event ids it arrived with; and those answered 200. */
  private final Map<String, Set<String>> eventsOfMessage = new ConcurrentHashMap<>();
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Object arrivals = new Object();
  private volatile boolean holding = true;
  private int held;

  private void receive(HttpExchange exchange) throws IOException {
    JsonObject body = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String eventId = exchange.getRequestHeaders().getFirst("Switchboard-Event-Id");
    String messageId = body.getJsonObject("data").getJsonObject("message").getString("id");
    eventsOfMessage.computeIfAbsent(messageId, m -> ConcurrentHashMap.newKeySet()).add(eventId);
    if (holding) {
      synchronized (arrivals) {
        held++;
        arrivals.notifyAll();
      }
      try {
        release.await(120, TimeUnit.SECONDS);  // the sender is killed meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
    synchronized (arrivals) {
      answered.add(messageId);
      arrivals.notifyAll();
    }
  }

  private static JsonObject post(HttpClient http, SwitchboardProcess app, String path, JsonObject body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.url() + path))
        .header("Authorization", "Bearer " + SERVICE_TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return new JsonObject(response.body());
  }

  private void awaitArrivals(java.util.function.BooleanSupplier done, long timeoutMs, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (arrivals) {
      while (!done.getAsBoolean()) {
        long left = deadline - System.currentTimeMillis();
        assertTrue(left > 0, what);
        arrivals.wait(left);
      }
    }
  }

  @Test
  @DisplayName("killed with requests in flight: another process delivers every message, each with one event id")
  void noneLostNoneTwice() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", this::receive);
    receiver.setExecutor(threads);
    receiver.start();
    Map<String, String> env = new HashMap<>(Map.of(
        "PG_URL", TestServers.freshDatabase(),
        "REDIS_URL", TestServers.redisUri(),
        "JWT_SECRET", "webhooks-kill-secret-0123456789abcdef",
        "SERVICE_TOKEN", SERVICE_TOKEN,
        "WEBHOOKS_ALLOW_PRIVATE", "true",
        "WEBHOOKS_POLL_MS", "50",
        "WEBHOOKS_TIMEOUT_MS", "2000",
        "WEBHOOKS_BACKOFF_MS", "100",
        "WEBHOOKS_CONCURRENCY", String.valueOf(CONCURRENCY)));
    HttpClient http = HttpClient.newHttpClient();
    SwitchboardProcess first = SwitchboardProcess.startSystem("webhooks-a", env);
    SwitchboardProcess second = null;
    try {
      post(http, first, "/api/webhooks", new JsonObject().put("action", "create-endpoint").put("tenant", "acme")
          .put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
          .put("events", new JsonArray().add("message.created")));
      String roomId = post(http, first, "/api/rooms", new JsonObject().put("action", "create-room").put("tenant", "acme")
          .put("actor", "alice").put("name", "team").put("kind", "group").put("members", new JsonArray().add("bob")))
          .getJsonObject("room").getString("id");
      Set<String> stored = new HashSet<>();
      for (int i = 0; i < MESSAGES; i++) {
        stored.add(post(http, first, "/api/messages", new JsonObject().put("tenant", "acme").put("roomId", roomId)
            .put("body", "m" + i).put("clientMsgId", UUID.randomUUID().toString())
            .put("sender", new JsonObject().put("userId", "alice"))).getString("id"));
      }
      awaitArrivals(() -> held >= CONCURRENCY, 30_000, "the first process has requests in flight");
      first.kill(30_000);
      holding = false;
      release.countDown();

      second = SwitchboardProcess.startSystem("webhooks-b", env);
      awaitArrivals(() -> answered.size() == MESSAGES, 90_000, "every message delivered: " + answered.size());
      assertEquals(stored, answered, "the stored messages, each delivered");
      for (Map.Entry<String, Set<String>> message : eventsOfMessage.entrySet()) {
        assertEquals(1, message.getValue().size(), "one event id per message, however often sent: " + message);
      }
      System.out.println("webhooks after SIGKILL: " + held + " requests held unanswered by the killed process, all sent again");
    } finally {
      release.countDown();
      first.close();
      if (second != null) {
        second.close();
      }
      receiver.stop(0);
      threads.shutdownNow();
    }
  }
}
