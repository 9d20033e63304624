package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hostile frames on raw WebSockets against the packaged system: nothing escapes, nobody else suffers. */
class ProtocolFuzzIT {
  private static SwitchboardProcess app;

  @BeforeAll
  static void start() throws Exception {
    app = SwitchboardProcess.startSystem("fuzz", Map.of());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) {
      app.terminate(60_000);
    }
  }

  @Test
  @DisplayName("20 fuzzing clients sending thousands of random and almost-valid frames: the chat goes on, no error escapes, memory stays bounded")
  void fuzzedGatewayKeepsServing() throws Exception {
    long heapBefore = heapUsed();
    JsonObject run = NodeScript.run("protocol-fuzz.mjs", 120_000, app.url(), "20", "400");
    assertEquals(20, run.getInteger("delivered"), "every message of the real users arrived");
    assertEquals(200, run.getInteger("health"));
    assertTrue(run.getInteger("framesSent") > 1000, "the fuzzers did send: " + run.encode());
    assertFalse(app.output().contains(" ERROR "), "no unexpected error was logged");
    assertTrue(heapUsed() < heapBefore + 256L * 1024 * 1024, "heap stayed bounded");
  }

  private static long heapUsed() throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.opsUrl() + "/socket-metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new JsonObject(body).getJsonObject("memory").getLong("used");
  }
}
