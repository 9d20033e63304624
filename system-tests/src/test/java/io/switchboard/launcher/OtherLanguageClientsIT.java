package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.examples.JavaChatClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients in other languages, as docs/client.md tells their users to write them, against the
 * packaged system with its default settings: python-socketio 5 (Debian's python3-socketio, run by
 * /usr/bin/python3, src/test/python) and the Java (Android) client of docs/client.md's example.
 * Their event handlers take the one documented argument.
 */
class OtherLanguageClientsIT {
  private static SwitchboardProcess app;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    app = SwitchboardProcess.startSystem("other-clients", Map.of());
    url = app.url();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) {
      app.terminate(60_000);
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"websocket", "polling"})
  @DisplayName("python-socketio: connect with a JWT, create and join a room, send with an ack, the other member's events with one-argument handlers, history, catch-up with sinceSeq")
  void python(String transport) throws Exception {
    Path dir = Path.of(System.getProperty("switchboard.python.dir"));
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", dir.resolve("chat_client.py").toString(), url, transport)
        .redirectErrorStream(true);
    builder.environment().put("PYTHONPATH", System.getProperty("switchboard.python.path"));
    Path log = Files.createTempFile("python-client", ".out");
    Process python = builder.redirectOutput(log.toFile()).start();
    boolean finished = python.waitFor(60, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8).trim();
    Files.deleteIfExists(log);
    if (!finished) {
      python.destroyForcibly();
    }
    assertTrue(finished && python.exitValue() == 0, "chat_client.py failed:\n" + output);
    JsonObject run = new JsonObject(output.substring(output.lastIndexOf('\n') + 1));

    assertEquals(transport, run.getString("transport"));
    long seq = run.getJsonObject("ack").getLong("seq");
    String id = run.getJsonObject("ack").getString("id");
    String clientMsgId = run.getString("clientMsgId");
    assertEquals(new JsonArray().add(new JsonObject().put("body", "hello from python").put("tempId", clientMsgId).put("optimistic", true)),
        run.getJsonArray("created"), "Bob's one-argument handler got Alice's optimistic copy");
    assertEquals(new JsonArray().add(new JsonObject().put("seq", seq).put("id", id).put("tempId", clientMsgId)),
        run.getJsonArray("confirmed"));
    assertEquals(new JsonArray().add(new JsonObject().put("seq", seq).put("body", "hello from python").put("clientMsgId", clientMsgId)),
        run.getJsonArray("history"));
    assertEquals(new JsonArray().add(new JsonObject().put("seq", seq).put("body", "hello from python")),
        run.getJsonArray("missed"), "join-room sinceSeq 0 after the reconnect");
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"websocket", "polling"})
  @DisplayName("docs/client.md's Java (Android) example: requests with acks, the other member's events with their one argument, history, catch-up with sinceSeq")
  void java(String transport) throws Exception {
    String tenant = "java-" + UUID.randomUUID().toString().substring(0, 8);
    try (JavaChatClient alice = JavaChatClient.connect(url, devToken("alice", tenant), transport);
         JavaChatClient bob = JavaChatClient.connect(url, devToken("bob", tenant), transport)) {
      CompletableFuture<JSONObject> confirmed = new CompletableFuture<>();
      CompletableFuture<JSONObject> created = new CompletableFuture<>();
      bob.on("room-message-created", created::complete);
      bob.on("room-message-confirmed", confirmed::complete);
      String roomId = alice.request("create-room", new JSONObject().put("name", "java").put("kind", "public"))
          .getJSONObject("room").getString("id");
      alice.joinRoom(roomId, -1);
      bob.joinRoom(roomId, -1);
      JSONObject ack = alice.sendMessage(roomId, "hello from java");
      assertEquals("hello from java", created.get(15, TimeUnit.SECONDS).getJSONObject("new").getString("body"));
      assertEquals(ack.getLong("seq"), confirmed.get(15, TimeUnit.SECONDS).getLong("seq"));
      var history = bob.request("fetch-history", new JSONObject().put("roomId", roomId)).getJSONArray("messages");
      assertEquals(List.of("hello from java"), List.of(history.getJSONObject(0).getString("body")));
      assertEquals(1, history.length());
      var missed = bob.joinRoom(roomId, 0).getJSONArray("missed");
      assertEquals(1, missed.length());
      assertEquals(ack.getLong("seq"), missed.getJSONObject(0).getLong("seq"));
    }
  }

  private static String devToken(String user, String tenant) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(url + "/dev/token?user=" + user + "&tenant=" + tenant)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return new JsonObject(answer.body()).getString("token");
  }
}
