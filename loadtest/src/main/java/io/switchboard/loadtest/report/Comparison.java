package io.switchboard.loadtest.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A side-by-side Markdown table of result documents of the same scenarios against Switchboard and
 * the reference server: the headline figures of each scenario and their ratio (Switchboard divided by
 * the reference; for latencies and memory lower is better, for rates higher is better).
 */
public final class Comparison {
  private final double atRate;

  /** {@code atRate}: the fan-out step whose latencies are also compared (e.g. 1000 msg/s). */
  public Comparison(double atRate) {
    this.atRate = atRate;
  }

  record Row(String scenario, String metric, String better, Double switchboard, Double reference) {}

  public String table(List<JsonObject> results) {
    Map<String, Map<String, Double>> sb = new LinkedHashMap<>();
    Map<String, Map<String, Double>> ref = new LinkedHashMap<>();
    Map<String, String> better = new LinkedHashMap<>();
    for (JsonObject r : results) {
      String key = r.getString("label", r.getString("scenario"));
      Map<String, Double> figures = headline(r, better);
      ("reference".equals(r.getString("target")) ? ref : sb).computeIfAbsent(key, k -> new LinkedHashMap<>())
          .putAll(figures);
    }
    List<Row> rows = new ArrayList<>();
    List<String> keys = new ArrayList<>(sb.keySet());
    ref.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
    for (String key : keys) {
      Map<String, Double> a = sb.getOrDefault(key, Map.of());
      Map<String, Double> b = ref.getOrDefault(key, Map.of());
      List<String> metrics = new ArrayList<>(a.keySet());
      b.keySet().stream().filter(m -> !metrics.contains(m)).forEach(metrics::add);
      for (String m : metrics) {
        rows.add(new Row(key, m, better.get(m), a.get(m), b.get(m)));
      }
    }
    StringBuilder out = new StringBuilder(
        "| scenario | metric | better | Switchboard | Node reference | ratio SB/ref |\n|---|---|---|---:|---:|---:|\n");
    for (Row r : rows) {
      out.append("| ").append(r.scenario).append(" | ").append(r.metric).append(" | ").append(r.better).append(" | ")
          .append(num(r.switchboard)).append(" | ").append(num(r.reference)).append(" | ")
          .append(r.switchboard != null && r.reference != null && r.reference != 0 && !r.switchboard.isNaN()
              && !r.reference.isNaN()
              ? String.format(Locale.ROOT, "%.2f", r.switchboard / r.reference) : "-")
          .append(" |\n");
    }
    return out.toString();
  }

  private Map<String, Double> headline(JsonObject r, Map<String, String> better) {
    Map<String, Double> f = new LinkedHashMap<>();
    JsonObject result = r.getJsonObject("result", new JsonObject());
    JsonObject verdict = result.getJsonObject("verdict", new JsonObject());
    switch (r.getString("scenario", "")) {
      case "fanout", "broadcast", "reactions" -> {
        // No step within the SLO at all: NaN, shown as "none".
        Double max = verdict.getDouble("maxRateWithinSlo");
        put(f, better, "max msg/s with delivery and ack p99 <= " + SvgChart.fmt(verdict.getDouble("sloMs", 100.0)) + " ms",
            "higher", max != null ? max : Double.NaN);
        put(f, better, "deliveries/s at that rate", "higher", dbl(verdict.getValue("deliveriesPerSecondAtMax")));
        JsonArray steps = result.getJsonArray("steps", new JsonArray());
        for (int i = 0; i < steps.size(); i++) {
          JsonObject s = steps.getJsonObject(i);
          if (Math.abs(s.getDouble("offeredRate") - atRate) < 1e-9) {
            String at = " at " + SvgChart.fmt(atRate) + " msg/s";
            put(f, better, "delivery p99 ms" + at, "lower", s.getJsonObject("latency").getJsonObject("delivery").getDouble("p99"));
            put(f, better, "ack p99 ms" + at, "lower", s.getJsonObject("latency").getJsonObject("ack").getDouble("p99"));
            put(f, better, "delivery p50 ms" + at, "lower", s.getJsonObject("latency").getJsonObject("delivery").getDouble("p50"));
            put(f, better, "ack p50 ms" + at, "lower", s.getJsonObject("latency").getJsonObject("ack").getDouble("p50"));
          }
        }
        JsonObject last = steps.isEmpty() ? null : steps.getJsonObject(steps.size() - 1);
        long maxDeliveries = 0;
        for (int i = 0; i < steps.size(); i++) {
          maxDeliveries = Math.max(maxDeliveries, steps.getJsonObject(i).getLong("deliveriesPerSecond"));
        }
        put(f, better, "peak deliveries/s achieved (any step)", "higher", (double) maxDeliveries);
        cost(f, better, steps, result.getJsonObject("warmup"));
        if (last != null) {
          put(f, better, "last step offered msg/s", "-", last.getDouble("offeredRate"));
        }
      }
      case "durable" -> {
        put(f, better, "durable msg/s", "higher", dbl(verdict.getValue("durableMessagesPerSecond")));
        put(f, better, "ack p50 ms", "lower", verdict.getDouble("ackP50"));
        put(f, better, "ack p99 ms", "lower", verdict.getDouble("ackP99"));
      }
      case "idle" -> {
        put(f, better, "connections held", "higher", dbl(verdict.getValue("connections")));
        put(f, better, "RSS bytes per connection", "lower", dbl(verdict.getValue("rssBytesPerConnection")));
        put(f, better, "heap bytes per connection", "lower", dbl(verdict.getValue("heapBytesPerConnection")));
        put(f, better, "RSS MB after", "lower", verdict.getValue("rssBytesAfter") == null ? null
            : verdict.getLong("rssBytesAfter") / 1048576.0);
      }
      case "storm" -> {
        put(f, better, "joined", "higher", dbl(verdict.getValue("joined")));
        put(f, better, "connect-to-joined p50 ms", "lower", verdict.getDouble("connectToJoinedP50Ms"));
        put(f, better, "connect-to-joined p99 ms", "lower", verdict.getDouble("connectToJoinedP99Ms"));
      }
      case "failover" -> {
        put(f, better, "sockets dropped by the kill", "-", dbl(verdict.getValue("dropped")));
        put(f, better, "not rejoined", "lower", dbl(verdict.getValue("notRejoined")));
        put(f, better, "failed reconnect attempts", "lower", dbl(verdict.getValue("failedReconnectAttempts")));
        put(f, better, "drop-to-rejoined p50 ms", "lower", verdict.getDouble("dropToRejoinedP50Ms"));
        put(f, better, "drop-to-rejoined p99 ms", "lower", verdict.getDouble("dropToRejoinedP99Ms"));
        put(f, better, "messages acked", "-", dbl(verdict.getValue("acked")));
        put(f, better, "missed deliveries", "lower", dbl(verdict.getValue("missed")));
        put(f, better, "duplicate deliveries", "lower", dbl(verdict.getValue("duplicates")));
        put(f, better, "unacked messages", "lower", dbl(verdict.getValue("unacked")));
      }
      case "churn" -> {
        put(f, better, "cycles/s (offered " + SvgChart.fmt(verdict.getDouble("offeredCyclesPerSecond", 0.0)) + ")",
            "higher", verdict.getDouble("cyclesPerSecond"));
        put(f, better, "failed cycles", "lower", dbl(verdict.getValue("failed")));
        put(f, better, "cycle p50 ms", "lower", verdict.getDouble("cycleP50"));
        put(f, better, "cycle p99 ms", "lower", verdict.getDouble("cycleP99"));
        put(f, better, "join p99 ms", "lower", verdict.getDouble("joinP99"));
      }
      default -> { }
    }
    JsonObject connect = r.getJsonObject("latency", new JsonObject()).getJsonObject("connect");
    if (connect != null) {
      put(f, better, "connect p50 ms", "lower", connect.getDouble("p50"));
      put(f, better, "connect p99 ms", "lower", connect.getDouble("p99"));
    }
    long failures = 0;
    for (Map.Entry<String, Object> e : r.getJsonObject("counters", new JsonObject())) {
      if (e.getKey().startsWith("connectFailed")) {
        failures += ((Number) e.getValue()).longValue();
      }
    }
    put(f, better, "connect failures", "lower", (double) failures);
    return f;
  }

  /**
   * CPU per message of the watched processes: in the step at the compared rate (else the last step)
   * and in the warm-up, the first minutes of a fresh process; and the step's bytes on the wire per
   * message, when counted (--wire-bytes).
   */
  private void cost(Map<String, Double> f, Map<String, String> better, JsonArray steps, JsonObject warmup) {
    JsonObject step = steps.isEmpty() ? null : steps.getJsonObject(steps.size() - 1);
    for (int i = 0; i < steps.size(); i++) {
      if (Math.abs(steps.getJsonObject(i).getDouble("offeredRate") - atRate) < 1e-9) {
        step = steps.getJsonObject(i);
      }
    }
    if (step != null && step.containsKey("cpuMsPerMessage")) {
      String at = " at " + SvgChart.fmt(step.getDouble("offeredRate")) + " msg/s";
      for (Map.Entry<String, Object> e : step.getJsonObject("cpuMsPerMessage")) {
        put(f, better, "CPU ms per message" + at + ": " + e.getKey(), "lower", dbl(e.getValue()));
      }
    }
    if (step != null && step.containsKey("wire")) {
      String at = " at " + SvgChart.fmt(step.getDouble("offeredRate")) + " msg/s";
      JsonObject wire = step.getJsonObject("wire");
      put(f, better, "bytes on the wire per message" + at + ": received", "lower", dbl(wire.getValue("receivedBytesPerMessage")));
      put(f, better, "bytes on the wire per message" + at + ": sent", "lower", dbl(wire.getValue("sentBytesPerMessage")));
    }
    if (warmup != null && warmup.containsKey("cpuMsPerMessage")) {
      put(f, better, "CPU ms per message in the warm-up (first " + SvgChart.fmt(warmup.getDouble("seconds")) + " s): total",
          "lower", dbl(warmup.getJsonObject("cpuMsPerMessage").getValue("total")));
    }
  }

  private static void put(Map<String, Double> f, Map<String, String> better, String metric, String direction, Double v) {
    better.put(metric, direction);
    if (v != null) {
      f.put(metric, v);
    }
  }

  private static Double dbl(Object v) {
    return v instanceof Number n ? n.doubleValue() : null;
  }

  private static String num(Double v) {
    if (v == null) {
      return "-";
    }
    if (v.isNaN()) {
      return "none";
    }
    return SvgChart.fmt(v);
  }
}
