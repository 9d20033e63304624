package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** No client can hurt another: floods are limited and cut off while the others chat on. */
class AbuseIT {
  private static SwitchboardProcess app;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    // Short deadlines, so that the attacks of unauthenticated peers play out in seconds; a
    // per-address limit, which the chatters (127.0.0.1) never meet.
    app = SwitchboardProcess.startSystem("abuse", Map.of(
        "MAX_CONNECTIONS_PER_IP", "100",
        "CONNECT_TIMEOUT_MS", "2000",
        "HTTP_HEADER_TIMEOUT_MS", "2000",
        "HTTP_BODY_TIMEOUT_MS", "2000"));
    url = app.url();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) {
      app.terminate(60_000);
    }
  }

  @Test
  @DisplayName("a socket flooding a room is rate limited, then disconnected; the others' messages all arrive in normal time")
  void floodIsContained() throws Exception {
    JsonObject run = NodeScript.run("flood-scenario.mjs", 120_000, url);
    JsonObject answers = run.getJsonObject("answers");
    assertTrue(answers.getInteger("limited") > 0, "the flooder was told RATE_LIMITED: " + answers);
    assertTrue(answers.getInteger("ok") <= 40, "at most its burst got through: " + answers);
    assertTrue(run.getLong("retryAfterMs") > 0);
    assertEquals("io server disconnect", run.getString("flooderReason"), "the flooder was cut off");
    assertEquals(50, run.getInteger("delivered"), "every message of the others arrived");
    assertNormalLatency(run);
    assertTrue(app.output().contains("disconnect.abuse"), "the abuse is in the audit log");
  }

  @Test
  @DisplayName("peers that never authenticate (idle sessions, binary before CONNECT, slow headers, slow bodies, CONNECT loops) are bounded and cut off; the others chat on and the heap stays bounded")
  void unauthenticatedPeersAreBounded() throws Exception {
    long heapBefore = heapUsed();
    JsonObject run = NodeScript.run("preauth-scenario.mjs", 120_000, url, app.opsUrl());
    JsonObject attack = run.getJsonObject("attack");

    JsonObject idle = attack.getJsonObject("idle");
    // All 300 ask at once, while the first 100 are still open (they live 2 s): the address's limit
    // counts sessions before any CONNECT.
    assertEquals(300, idle.getInteger("opened") + idle.getInteger("refused"), idle.encode());
    assertTrue(idle.getInteger("opened") >= 100 && idle.getInteger("refused") >= 150, idle.encode());
    assertEquals(List.of(429), idle.getJsonArray("refusedStatus").getList());
    assertEquals("IP_CONNECTION_LIMIT", new JsonObject(idle.getString("refusedBody")).getJsonObject("data").getString("code"));
    assertEquals(0, idle.getInteger("gaveUp"), "every idle session was closed by the server: " + idle);
    assertTrue(idle.getInteger("maxLifetimeMs") < 2_000 + 1_500, "closed at the connect deadline, pongs or not: " + idle);

    JsonObject binary = attack.getJsonObject("binary");
    assertEquals(50, binary.getInteger("opened"));
    assertEquals(0, binary.getInteger("gaveUp"));
    assertEquals(0, binary.getInteger("attachmentBytesSent"), "closed at the header, before any attachment: " + binary);

    JsonObject headers = attack.getJsonObject("slowHeaders");
    assertEquals(100, headers.getInteger("closed"), headers.encode());
    assertTrue(headers.getInteger("maxClosedAfterMs") < 2_000 + 1_500, headers.encode());
    JsonObject body = attack.getJsonObject("slowBody");
    assertEquals(50, body.getInteger("closed"), body.encode());
    assertTrue(body.getInteger("maxClosedAfterMs") < 2_000 + 1_500, body.encode());

    JsonObject loop = attack.getJsonObject("connectLoop");
    assertEquals(5, loop.getInteger("closed"), loop.encode());
    assertTrue(loop.getInteger("maxAttempts") <= 11, "ten CONNECTs a session, the next closes it: " + loop);
    JsonObject codes = loop.getJsonObject("codes");
    assertTrue(codes.getInteger("AUTH_FAILED", 0) <= 30 + 5, "tokens checked at most 30 times (plus those in flight): " + codes);
    assertTrue(codes.getInteger("CONNECT_THROTTLED", 0) > 0, "then refused unchecked: " + codes);
    long auditLines = app.output().lines()
        .filter(l -> l.contains("connect.refused") && l.contains("127.0.0.6")).count();
    assertTrue(auditLines <= 4, "one audit line per address and 10 s window, and one count: " + auditLines + " lines for "
        + loop.getInteger("totalAttempts") + " refusals");

    assertEquals(2, run.getInteger("sessionsAfter"), "every attacking session released its place");
    assertEquals(45, run.getInteger("delivered"), "every message of the chatters arrived");
    assertNormalLatency(run);
    assertTrue(heapUsed() < heapBefore + 128L * 1024 * 1024, "heap stayed bounded");
  }

  /** The median, not the tail: on a small shared machine the attacking process itself takes a core. */
  private static void assertNormalLatency(JsonObject run) {
    double baseline = run.getDouble("baselineMedian");
    double during = run.getDouble("duringMedian");
    assertTrue(during <= Math.max(3 * baseline, 50), "median latency during the attack " + during + " ms vs "
        + baseline + " ms before; all: " + run.getJsonArray("during"));
  }

  private static long heapUsed() throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.opsUrl() + "/socket-metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new JsonObject(body).getJsonObject("memory").getLong("used");
  }
}
