package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** What an operator sees of a scripted chat session: metrics that move exactly, the admin API, the drain. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {
  private static final String ADMIN_TOKEN = "ops-admin-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static SwitchboardProcess app;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    app = SwitchboardProcess.startSystem("ops", Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "LOG_FORMAT", "json"));
    url = app.url();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) {
      app.terminate(60_000);
    }
  }

  @Test
  @Order(1)
  @DisplayName("a scripted session moves each metric by exactly what happened, and the admin API sees and acts on it")
  void metricsAndAdmin() throws Exception {
    PrometheusScrape before = PrometheusScrape.of(app.opsUrl() + "/metrics");
    JsonObject run = NodeScript.run("ops-scenario.mjs", 90_000, url, ADMIN_TOKEN, app.opsUrl());
    PrometheusScrape after = PrometheusScrape.of(app.opsUrl() + "/metrics");

    assertEquals("AUTH_FAILED", run.getJsonObject("refused").getString("code"));
    assertDelta(1, before, after, "switchboard_gateway_refusals_total", "code=\"AUTH_FAILED\"");
    assertDelta(2, before, after, "switchboard_gateway_connects_total");
    assertDelta(2, before, after, "switchboard_gateway_joins_total");
    // Three messages, and one more traced with DEBUG logs on.
    assertDelta(4, before, after, "switchboard_messages_received_total");
    assertDelta(4, before, after, "switchboard_messages_persisted_total");
    assertDelta(4, before, after, "switchboard_gateway_requests_total", "event=\"send-message\"", "outcome=\"ok\"");
    // Bob's socket got each message twice (created, then confirmed); Alice's socket got neither.
    assertDelta(8, before, after, "switchboard_messages_delivered_total");
    assertDelta(4, before, after, "switchboard_ack_latency_seconds_count");
    assertDelta(8, before, after, "switchboard_delivery_latency_seconds_count");
    assertTrue(after.value("switchboard_persist_batch_size_messages_count") - before.value("switchboard_persist_batch_size_messages_count") >= 1);
    assertDelta(2, before, after, "switchboard_gateway_disconnects_total");
    assertTrue(after.value("switchboard_ack_latency_seconds_bucket", "le=\"+Inf\"") >= 3, "the histogram has buckets");

    assertEquals(401, run.getJsonObject("noToken").getInteger("status"));
    assertEquals(401, run.getJsonObject("wrongToken").getInteger("status"));
    assertEquals(2L, run.getJsonObject("connections").getJsonObject("body").getLong("total"));
    assertEquals(1L, run.getJsonObject("bobConnections").getJsonObject("body").getLong("total"));
    assertEquals(2L, run.getJsonObject("room").getJsonObject("body").getLong("total"));
    assertEquals(1, run.getJsonObject("nodes").getJsonObject("body").getJsonArray("nodes").size());
    assertEquals(1L, run.getJsonObject("disconnect").getJsonObject("body").getLong("total"));
    assertEquals("io server disconnect", run.getString("bobReason"));
    assertEquals("DEBUG", run.getJsonObject("logLevel").getJsonObject("body").getString("level"));
    assertEquals(401, run.getInteger("logLevelWithoutToken"));
    assertTrue(app.output().contains("io.switchboard=DEBUG"), "the log-level change is audited");
    assertEquals(404, run.getInteger("publicMetrics"), "Prometheus metrics are on the ops port only");
    assertEquals(401, run.getInteger("publicSocketMetricsWithoutToken"), "tenant names and counts need the operator's token");
    assertEquals(200, run.getInteger("publicSocketMetricsWithToken"));
    assertCorrelated(run.getString("correlationId"));

    JsonObject socketMetrics = run.getJsonObject("socketMetrics");
    assertEquals(2, socketMetrics.getJsonObject("connections").getInteger("total"));
    assertEquals(2, socketMetrics.getJsonObject("connections").getJsonObject("byTenant").getInteger("default"));
    assertTrue(socketMetrics.getJsonObject("performance").getJsonObject("ackLatency").getLong("count") >= 3);
    assertEquals("healthy", run.getJsonObject("socketHealth").getString("status"));
  }

  @Test
  @Order(2)
  @DisplayName("the Grafana dashboard and the alert rules parse and use only metrics the system exports")
  void dashboardAndAlertsMatchTheLiveScrape() throws Exception {
    Set<String> exported = PrometheusScrape.of(app.opsUrl() + "/metrics").families();
    Path monitoring = Path.of("..", "k8s", "monitoring");
    List<String> expressions = new ArrayList<>();
    Map<String, Object> rules = new Yaml().load(Files.readString(monitoring.resolve("alerts.yaml")));
    for (Object group : (List<?>) rules.get("groups")) {
      for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
        expressions.add((String) ((Map<?, ?>) rule).get("expr"));
      }
    }
    JsonObject dashboard = new JsonObject(Files.readString(monitoring.resolve("dashboard.json")));
    dashboard.getJsonArray("panels").forEach(panel -> ((JsonObject) panel).getJsonArray("targets")
        .forEach(target -> expressions.add(((JsonObject) target).getString("expr"))));
    assertTrue(expressions.size() >= 9, "alerts and panels have expressions");
    Matcher names = Pattern.compile("\\b((?:switchboard|jvm)_[a-z_]+)").matcher(String.join("\n", expressions));
    int checked = 0;
    while (names.find()) {
      assertTrue(exported.contains(names.group(1)), names.group(1) + " is used in k8s/monitoring but not exported");
      checked++;
    }
    assertTrue(checked >= 20, "every expression names real metrics");
  }

  @Test
  @Order(3)
  @DisplayName("a drain turns /ready false and refuses new clients; the admin API requires the token for it")
  void drain() throws Exception {
    assertEquals(200, get("/ready", null).statusCode());
    assertEquals(401, post("/admin/drain", null).statusCode());
    assertEquals(202, post("/admin/drain", ADMIN_TOKEN).statusCode());
    assertEquals(503, get("/ready", null).statusCode());
    assertTrue(get("/socket-health", ADMIN_TOKEN).body().contains("\"draining\""));
    assertEquals(503, get("/socket.io/?EIO=4&transport=polling", null).statusCode(), "no new session while draining");
  }

  /** The same correlation id in a JSON log line of the gateway and of message-service. */
  private static void assertCorrelated(String correlationId) throws InterruptedException {
    // JSON escapes the slash of the id.
    String id = java.util.regex.Pattern.quote(correlationId.replace("/", "\\/"));
    app.awaitLog("\"loggerName\":\"io.switchboard.message.store.MessageWriter\".*\"correlationId\":\"" + id, 10_000);
    app.awaitLog("\"loggerName\":\"io.switchboard.gateway.chat.ChatHandlers\".*\"correlationId\":\"" + id, 10_000);
  }

  private static void assertDelta(double expected, PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
    assertEquals(expected, after.value(name, labels) - before.value(name, labels), name + " moved by");
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
