package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
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
    app = SwitchboardProcess.startSystem("abuse", Map.of());
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
    // The median, not the tail: on a small shared machine the flooding process itself takes a core.
    double baseline = run.getDouble("baselineMedian");
    double during = run.getDouble("duringMedian");
    assertTrue(during <= Math.max(3 * baseline, 50), "median latency during the flood " + during + " ms vs "
        + baseline + " ms before; all: " + run.getJsonArray("during"));
    assertTrue(app.output().contains("disconnect.abuse"), "the abuse is in the audit log");
  }
}
