package io.switchboard.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reports")
class ReportTest {

  private static JsonObject latency(double p50, double p99) {
    return new JsonObject().put("count", 10).put("mean", p50).put("p50", p50).put("p90", p99).put("p99", p99)
        .put("p999", p99).put("max", p99).put("distribution", new JsonArray()
            .add(new JsonObject().put("percentile", 50.0).put("ms", p50))
            .add(new JsonObject().put("percentile", 99.0).put("ms", p99)));
  }

  private static JsonObject fanout(String target, double rate, double p99) {
    JsonObject step = new JsonObject().put("name", "step 1").put("offeredRate", rate).put("sentPerSecond", rate)
        .put("ackedPerSecond", rate).put("offeredDeliveriesPerSecond", rate * 9).put("deliveriesPerSecond", rate * 9)
        .put("deliveryRatio", 1.0).put("ackErrors", 0).put("ackLost", 0).put("skipped", 0).put("withinSlo", true)
        .put("latency", new JsonObject().put("delivery", latency(2, p99)).put("ack", latency(3, p99 + 1)));
    return new JsonObject().put("scenario", "fanout").put("target", target).put("label", "fanout")
        .put("result", new JsonObject().put("steps", new JsonArray().add(step))
            .put("verdict", new JsonObject().put("sloMs", 100.0).put("maxRateWithinSlo", rate)
                .put("deliveriesPerSecondAtMax", (long) (rate * 9))))
        .put("latency", new JsonObject().put("delivery", latency(2, p99)).put("connect", latency(5, 20)))
        .put("counters", new JsonObject().put("sent", 10).put("connectFailed.refused", 2))
        .put("timeline", new JsonArray().add(new JsonObject().put("t", 1.0).put("connections", 100)
            .put("serverCpu", 50).put("rates", new JsonObject().put("sent", 10))
            .put("latency", new JsonObject().put("delivery", new JsonObject().put("p50", 1.0).put("p99", 2.0)))));
  }

  @Test
  @DisplayName("the HTML page is self-contained, with tables and inline SVG charts")
  void html() {
    String html = HtmlReport.render(fanout("switchboard", 1000, 12));
    assertTrue(html.contains("<svg"), "inline charts");
    assertTrue(html.contains("Steps"), "steps table");
    assertTrue(!html.contains("<script src") && !html.contains("http://cdn") && !html.contains("https://"),
        "nothing fetched from elsewhere");
  }

  @Test
  @DisplayName("the HTML page shows churn phases with the latency of each step")
  void htmlOfChurn() {
    JsonObject phase = new JsonObject().put("name", "measured").put("offeredCyclesPerSecond", 200.0)
        .put("cyclesPerSecond", 199.5).put("completed", 3990).put("failed", 0).put("skipped", 0)
        .put("latency", new JsonObject().put("connect", latency(2, 9)).put("cycle", latency(8, 30)));
    JsonObject result = new JsonObject().put("scenario", "churn").put("target", "reference")
        .put("result", new JsonObject().put("measured", phase).put("warmup", phase.copy().put("name", "warm-up"))
            .put("verdict", new JsonObject().put("cyclesPerSecond", 199.5)))
        .put("latency", new JsonObject().put("cycle", latency(8, 30)));
    String html = HtmlReport.render(result);
    assertTrue(html.contains("cycle p99") && html.contains("199.5"), html);
  }

  @Test
  @DisplayName("the comparison puts both targets side by side with their ratio")
  void comparison() {
    String table = new Comparison(1000).table(List.of(fanout("switchboard", 1000, 12), fanout("reference", 500, 6)));
    assertTrue(table.contains("| fanout | max msg/s with delivery and ack p99 <= 100 ms | higher | 1,000 | 500 | 2.00 |"),
        table);
    assertTrue(table.contains("| fanout | connect failures | lower | 2 | 2 | 1.00 |"), table);
  }

  @Test
  @DisplayName("the comparison shows the CPU per message of each watched process, and of the warm-up")
  void comparisonOfCost() {
    JsonObject sb = fanout("switchboard", 500, 12);
    JsonObject result = sb.getJsonObject("result");
    result.getJsonArray("steps").getJsonObject(0)
        .put("cpuMsPerMessage", new JsonObject().put("switchboard", 0.4).put("postgres", 0.2).put("total", 0.6));
    result.put("warmup", result.getJsonArray("steps").getJsonObject(0).copy().put("name", "warm-up").put("seconds", 30.0)
        .put("cpuMsPerMessage", new JsonObject().put("switchboard", 1.0).put("postgres", 0.2).put("total", 1.2)));
    JsonObject ref = fanout("reference", 500, 6);
    ref.getJsonObject("result").getJsonArray("steps").getJsonObject(0)
        .put("cpuMsPerMessage", new JsonObject().put("node", 1.2).put("postgres", 0.6).put("total", 1.8));
    String table = new Comparison(1000).table(List.of(sb, ref));
    assertTrue(table.contains("| fanout | CPU ms per message at 500 msg/s: total | lower | 0.60 | 1.80 | 0.33 |"), table);
    assertTrue(table.contains("| fanout | CPU ms per message at 500 msg/s: postgres | lower | 0.20 | 0.60 | 0.33 |"), table);
    assertTrue(table.contains("| fanout | CPU ms per message at 500 msg/s: node | lower | - | 1.20 | - |"), table);
    assertTrue(table.contains("| fanout | CPU ms per message in the warm-up (first 30 s): total | lower | 1.20 | - | - |"),
        table);
    assertTrue(HtmlReport.render(sb).contains("<td>0.60</td>"), "the steps table shows the CPU per message");
  }

  @Test
  @DisplayName("the comparison says none when no step met the SLO")
  void comparisonWithoutAnyStepWithinSlo() {
    JsonObject saturated = fanout("reference", 500, 6);
    saturated.getJsonObject("result").getJsonObject("verdict").putNull("maxRateWithinSlo");
    String table = new Comparison(1000).table(List.of(fanout("switchboard", 1000, 12), saturated));
    assertTrue(table.contains("| fanout | max msg/s with delivery and ack p99 <= 100 ms | higher | 1,000 | none | - |"),
        table);
  }

  @Test
  @DisplayName("the progress line names the phase, the rates and the p99s")
  void progress() {
    String line = Progress.line(fanout("switchboard", 1, 1).getJsonArray("timeline").getJsonObject(0)
        .put("phase", "step 1/3"));
    assertTrue(line.contains("step 1/3") && line.contains("sent 10/s") && line.contains("delivery p50 1.0 p99 2.0 ms")
        && line.contains("server 50%"), line);
  }
  @Test
  @DisplayName("the comparison of failover runs shows rejoins, missed, duplicate and unacked messages")
  void comparisonOfFailover() {
    List<JsonObject> runs = List.of(failover("switchboard", 0, 120), failover("reference", 3, 80));
    String table = new Comparison(1000).table(runs);
    assertTrue(table.contains("| failover | missed deliveries | lower | 0 | 3 | 0.00 |"), table);
    assertTrue(table.contains("| failover | duplicate deliveries | lower | 120 | 80 | 1.50 |"), table);
    assertTrue(table.contains("| failover | not rejoined | lower | 0 | 0 | - |"), table);
  }

  private static JsonObject failover(String target, long missed, long duplicates) {
    JsonObject verdict = new JsonObject().put("sockets", 3000).put("dropped", 3000).put("rejoined", 3000)
        .put("notRejoined", 0).put("failedReconnectAttempts", 0).put("dropToRejoinedP50Ms", 900.0)
        .put("dropToRejoinedP99Ms", 1400.0).put("acked", 15000).put("missed", missed).put("duplicates", duplicates)
        .put("unacked", 0).put("seqConflicts", 0);
    return new JsonObject().put("scenario", "failover").put("target", target).put("label", "failover")
        .put("result", new JsonObject().put("verdict", verdict)).put("counters", new JsonObject());
  }
}
