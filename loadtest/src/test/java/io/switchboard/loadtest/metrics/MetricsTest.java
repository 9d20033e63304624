package io.switchboard.loadtest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Run metrics")
class MetricsTest {

  @Test
  @DisplayName("sample per-interval latencies into the timeline and keep run totals")
  void sampling() {
    Metrics m = new Metrics();
    m.latency("delivery").record(2_000);
    m.latency("delivery").record(4_000);
    m.counter("sent").add(10);
    JsonObject first = m.sample(new JsonObject().put("phase", "a"));
    assertEquals(2, first.getJsonObject("latency").getJsonObject("delivery").getInteger("count"));
    assertEquals("a", first.getString("phase"));
    m.latency("delivery").record(100_000);
    JsonObject second = m.sample(null);
    assertEquals(1, second.getJsonObject("latency").getJsonObject("delivery").getInteger("count"));
    assertEquals(100.0, second.getJsonObject("latency").getJsonObject("delivery").getDouble("p99"), 0.1);
    JsonObject total = m.latencySummaries().getJsonObject("delivery");
    assertEquals(3, total.getInteger("count"));
    assertEquals(10, m.counterTotals().getInteger("sent"));
    assertEquals(2, m.timeline().size());
  }
}
