package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.embedded.TempDirs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system started as the README's run command starts it (the packaged jar, no database
 * configured, so embedded Postgres and Redis), driven by the official socket.io-client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchboardEndToEndIT {
  private static final long START_TIMEOUT_MS = 180_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String SERVICE_TOKEN = "e2e-service-token";

  private static Path workDir;
  private static Map<String, String> env;
  private static SwitchboardProcess app;
  private static String url;
  private static int pgPort;
  private static int redisPort;
  private static JsonObject scenario;

  @BeforeAll
  static void start() throws Exception {
    // World-traversable like a user's working directory: as root, the embedded Postgres runs as nobody.
    workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-e2e",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
    int port = SwitchboardProcess.freePort();
    env = Map.of("PORT", String.valueOf(port), "SERVICE_TOKEN", SERVICE_TOKEN,
        "MESSAGE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()),
        "PRESENCE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
    url = "http://127.0.0.1:" + port;
    app = SwitchboardProcess.start(workDir, env);
    pgPort = Integer.parseInt(app.awaitLog("embedded Postgres on 127\\.0\\.0\\.1:(\\d+)", START_TIMEOUT_MS).group(1));
    redisPort = Integer.parseInt(app.awaitLog("embedded Redis on 127\\.0\\.0\\.1:(\\d+)", START_TIMEOUT_MS).group(1));
    app.awaitLog("dev mode: get a token with: curl", START_TIMEOUT_MS);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("two users chat: the other receives created then confirmed, the sender's ack has id and seq 1, the row is in Postgres")
  void twoUsersChat() throws Exception {
    scenario = NodeScript.run("chat-scenario.mjs", 90_000, url, SERVICE_TOKEN);

    JsonObject ack = scenario.getJsonObject("sendAck");
    assertEquals(true, ack.getBoolean("ok"), ack.encode());
    assertEquals(1L, ack.getLong("seq"));
    assertNotNull(ack.getString("id"));
    assertNotNull(ack.getString("createdAt"));

    JsonArray events = scenario.getJsonArray("bobEvents");
    assertEquals(2, events.size(), events.encode());
    JsonObject created = events.getJsonObject(0);
    assertEquals("room-message-created", created.getString("name"));
    JsonObject envelope = created.getJsonObject("payload");
    assertEquals("INSERT", envelope.getString("eventType"));
    assertEquals("room_messages", envelope.getString("table"));
    assertEquals("gateway", envelope.getString("source"));
    JsonObject optimistic = envelope.getJsonObject("new");
    assertEquals(scenario.getString("clientMsgId"), optimistic.getString("tempId"));
    assertEquals("hello bob", optimistic.getString("body"));
    assertEquals(true, optimistic.getBoolean("optimistic"));
    assertFalse(optimistic.containsKey("seq"));
    JsonObject confirmed = events.getJsonObject(1);
    assertEquals("room-message-confirmed", confirmed.getString("name"));
    assertEquals(ack.getString("id"), confirmed.getJsonObject("payload").getString("id"));
    assertEquals(1L, confirmed.getJsonObject("payload").getLong("seq"));
    assertEquals(0, scenario.getInteger("aliceEchoes"), "the sending socket gets no echo");

    try (Connection db = io.switchboard.embedded.Jdbc.connect("jdbc:postgresql://127.0.0.1:" + pgPort + "/switchboard?user=postgres");
         ResultSet rs = db.createStatement().executeQuery(
             "SELECT seq, body, sender_id FROM messages WHERE id = '" + UUID.fromString(ack.getString("id")) + "'")) {
      assertTrue(rs.next(), "the message is in Postgres");
      assertEquals(1L, rs.getLong("seq"));
      assertEquals("hello bob", rs.getString("body"));
      assertEquals("alice", rs.getString("sender_id"));
    }
  }

  @Test
  @Order(2)
  @DisplayName("a retried clientMsgId is acked as a duplicate with the first id and seq")
  void retryIsDuplicate() {
    JsonObject retry = scenario.getJsonObject("retryAck");
    assertEquals(true, retry.getBoolean("duplicate"), retry.encode());
    assertEquals(scenario.getJsonObject("sendAck").getString("id"), retry.getString("id"));
    assertEquals(1L, retry.getLong("seq"));
  }

  @Test
  @Order(3)
  @DisplayName("an invalid send-message (empty body, meta over its limit) gets VALIDATION_ERROR with details and is not stored, an unknown event UNKNOWN_EVENT, and the connection stays usable")
  void badRequestsAreAnswered() {
    JsonObject invalid = scenario.getJsonObject("invalidAck");
    assertEquals(false, invalid.getBoolean("ok"));
    assertEquals("VALIDATION_ERROR", invalid.getJsonObject("error").getString("code"));
    assertFalse(invalid.getJsonObject("error").getJsonArray("details").isEmpty());
    JsonObject largeMeta = scenario.getJsonObject("largeMetaAck").getJsonObject("error");
    assertEquals("VALIDATION_ERROR", largeMeta.getString("code"), largeMeta.encode());
    assertEquals("meta", largeMeta.getJsonArray("details").getJsonObject(0).getString("field"));
    assertEquals("UNKNOWN_EVENT", scenario.getJsonObject("unknownAck").getJsonObject("error").getString("code"));
    JsonObject after = scenario.getJsonObject("afterInvalidAck");
    assertEquals(true, after.getBoolean("ok"), after.encode());
    assertEquals(2L, after.getLong("seq"));
  }

  @Test
  @Order(4)
  @DisplayName("a bad token gets CONNECT_ERROR with data.code AUTH_FAILED")
  void badTokenRefused() {
    JsonObject bad = scenario.getJsonObject("badToken");
    assertNotNull(bad.getJsonObject("data"), bad.encode());
    assertEquals("AUTH_FAILED", bad.getJsonObject("data").getString("code"));
  }

  @Test
  @Order(5)
  @DisplayName("a reconnect with join-room sinceSeq 0 returns the messages in missed, in seq order")
  void reconnectCatchesUp() {
    JsonObject rejoin = scenario.getJsonObject("rejoin");
    assertEquals(true, rejoin.getBoolean("ok"), rejoin.encode());
    JsonArray missed = rejoin.getJsonArray("missed");
    assertEquals(2, missed.size());
    assertEquals(1L, missed.getJsonObject(0).getLong("seq"));
    assertEquals("hello bob", missed.getJsonObject(0).getString("body"));
    assertEquals(scenario.getJsonObject("sendAck").getString("id"), missed.getJsonObject(0).getString("id"));
    assertEquals(2L, missed.getJsonObject(1).getLong("seq"));
    assertEquals(false, rejoin.getBoolean("truncated"));
    assertEquals(2L, rejoin.getLong("lastSeq"));
  }

  @Test
  @Order(6)
  @DisplayName("POST /api/publish: 401 without a token, 403 with a wrong one, 400 for a bad body, 202 and delivered to the user's sockets")
  void publishApi() {
    assertEquals(401, scenario.getInteger("publishNoToken"));
    assertEquals(403, scenario.getInteger("publishWrongToken"));
    assertEquals(400, scenario.getInteger("publishBadBody"));
    assertEquals(202, scenario.getInteger("publishAccepted"));
    assertEquals("e2e", scenario.getJsonObject("sidebar").getString("reason"));
  }

  @Test
  @Order(7)
  @DisplayName("presence-service records in Redis who is online in the room, then the disconnects with last seen")
  void presenceInRedis() throws Exception {
    JsonObject online = scenario.getJsonObject("presence");
    assertEquals(true, online.getBoolean("ok"), online.encode());
    assertEquals(2, online.getInteger("count"));
    assertTrue(online.getJsonArray("online").contains("alice") && online.getJsonArray("online").contains("bob"));
    // Presence updates are asynchronous: wait (bounded) for the disconnects to be applied.
    long deadline = System.currentTimeMillis() + 10_000;
    while (!redis("SCARD {sb}:user:default:alice").equals(":0") && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(":0", redis("SCARD {sb}:user:default:alice"), "alice has no connection left");
    assertEquals(":1", redis("HEXISTS {sb}:lastseen:default alice"), "alice's last seen is recorded");
    assertEquals(":1", redis("HEXISTS {sb}:lastseen:default bob"), "bob's last seen is recorded");
  }

  @Test
  @Order(8)
  @DisplayName("every service answers /health, /ready and /metrics")
  void opsEndpoints() throws Exception {
    for (String base : new String[] {app.opsUrl(), "http://127.0.0.1:" + env.get("MESSAGE_OPS_PORT"),
        "http://127.0.0.1:" + env.get("PRESENCE_OPS_PORT")}) {
      assertEquals(200, get(base + "/health").statusCode(), base);
      assertEquals(200, get(base + "/ready").statusCode(), base);
      HttpResponse<String> metrics = get(base + "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("jvm_memory_used_bytes"), base + " exports Prometheus metrics");
    }
  }

  @Test
  @Order(9)
  @DisplayName("SIGTERM stops everything, embedded databases included; a restart on the same data keeps the messages")
  void cleanShutdownAndRestart() throws Exception {
    int code = app.terminate(60_000);
    assertTrue(code == 0 || code == 143, "exit code " + code);
    assertTrue(app.output().contains("switchboard: stopped"), "the shutdown ran to its end");
    assertFalse(listening(pgPort), "embedded Postgres stopped");
    assertFalse(listening(redisPort), "embedded Redis stopped");

    app = SwitchboardProcess.start(workDir, env);
    int newPgPort = Integer.parseInt(app.awaitLog("embedded Postgres on 127\\.0\\.0\\.1:(\\d+)", START_TIMEOUT_MS).group(1));
    app.awaitLog("switchboard: open", START_TIMEOUT_MS);
    try (Connection db = io.switchboard.embedded.Jdbc.connect("jdbc:postgresql://127.0.0.1:" + newPgPort + "/switchboard?user=postgres");
         ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM messages")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  @Order(10)
  @DisplayName("--exit-when-ready (an AOT cache's training run) starts, warms up, stops everything and exits 0")
  void exitWhenReady() throws Exception {
    app.terminate(60_000);
    Map<String, String> training = new java.util.HashMap<>(env);
    training.put("WARMUP_CONNECTIONS", "50");
    app = SwitchboardProcess.start(workDir, training, "--exit-when-ready");
    assertEquals(0, app.awaitExit(START_TIMEOUT_MS), app::output);
    assertTrue(app.output().contains("gateway.chat_warmup joins=50 of 50"), "the warm-ups ran");
    assertTrue(app.output().contains("switchboard: stopped"), "the shutdown ran to its end");
    assertFalse(listening(Integer.parseInt(app.awaitLog("embedded Postgres on 127\\.0\\.0\\.1:(\\d+)", 0).group(1))),
        "embedded Postgres stopped");
    assertFalse(listening(Integer.parseInt(app.awaitLog("embedded Redis on 127\\.0\\.0\\.1:(\\d+)", 0).group(1))),
        "embedded Redis stopped");
  }

  private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One inline Redis command on a raw socket; returns the first reply line. */
  private static String redis(String command) throws IOException {
    try (Socket s = new Socket("127.0.0.1", redisPort)) {
      s.getOutputStream().write((command + "\r\n").getBytes());
      return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine();
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
