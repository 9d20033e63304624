package io.switchboard.loadtest.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page of one result document: verdict, steps, latency percentiles, and
 * charts (latency by percentile, latency over time, throughput over time, connections and CPU) as
 * inline SVG. No scripts and nothing fetched from elsewhere.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(JsonObject result) {
    StringBuilder sb = new StringBuilder(64 * 1024);
    String title = "loadtest " + result.getString("scenario") + " vs " + result.getString("target");
    sb.append("<!doctype html><html><head><meta charset='utf-8'><title>").append(SvgChart.esc(title))
        .append("</title><style>body{font-family:sans-serif;margin:24px;max-width:1100px}"
            + "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "text-align:right;font-size:13px}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
            + "pre{background:#f7f7f7;padding:8px;font-size:12px;overflow:auto}.bad{color:#b00}.good{color:#070}"
            + "</style></head><body>");
    sb.append("<h1>").append(SvgChart.esc(title)).append("</h1>");
    sb.append("<p>").append(SvgChart.esc(result.getString("startedAt", ""))).append(" &middot; ")
        .append(result.getDouble("durationSeconds", 0.0)).append(" s &middot; ")
        .append(SvgChart.esc(String.valueOf(result.getJsonObject("machine", new JsonObject()).encode())))
        .append("</p>");
    JsonObject scenario = result.getJsonObject("result", new JsonObject());
    if (scenario.getJsonObject("verdict") != null) {
      sb.append("<h2>Verdict</h2>").append(keyValues(scenario.getJsonObject("verdict")));
    }
    if (result.getString("error") != null) {
      sb.append("<p class='bad'>Error: ").append(SvgChart.esc(result.getString("error"))).append("</p>");
    }
    JsonArray steps = scenario.getJsonArray("steps");
    if (steps != null && !steps.isEmpty()) {
      // A fan-out warm-up is a phase like the steps, only not judged.
      JsonArray phases = new JsonArray();
      if (scenario.getJsonObject("warmup") != null) {
        phases.add(scenario.getJsonObject("warmup"));
      }
      sb.append("<h2>Steps</h2>").append(stepsTable(phases.addAll(steps)));
      sb.append(stepChart(steps));
    }
    JsonObject measured = scenario.getJsonObject("measured");
    if (measured != null && measured.getValue("deliveryRatio") != null) {
      sb.append("<h2>Measured window</h2>").append(stepsTable(new JsonArray().add(measured)));
    } else if (measured != null) {
      JsonArray phases = new JsonArray();
      if (scenario.getJsonObject("warmup") != null) {
        phases.add(scenario.getJsonObject("warmup"));
      }
      sb.append("<h2>Phases</h2>").append(cycleTable(phases.add(measured)));
    }
    JsonObject latency = result.getJsonObject("latency", new JsonObject());
    sb.append("<h2>Latency over the whole run (ms)</h2>").append(latencyTable(latency));
    sb.append(percentileChart(latency));
    JsonArray timeline = result.getJsonArray("timeline", new JsonArray());
    sb.append(timelineCharts(timeline));
    sb.append("<h2>Counters</h2>").append(keyValues(result.getJsonObject("counters", new JsonObject())));
    JsonObject rest = scenario.copy();
    rest.remove("steps");
    rest.remove("verdict");
    sb.append("<h2>Scenario details</h2><pre>").append(SvgChart.esc(rest.encodePrettily())).append("</pre>");
    sb.append("<h2>Options</h2><pre>").append(SvgChart.esc(result.getJsonObject("options", new JsonObject())
        .encodePrettily())).append("</pre>");
    return sb.append("</body></html>").toString();
  }

  private static String keyValues(JsonObject o) {
    StringBuilder sb = new StringBuilder("<table>");
    for (Map.Entry<String, Object> e : o) {
      sb.append("<tr><td>").append(SvgChart.esc(e.getKey())).append("</td><td>")
          .append(SvgChart.esc(String.valueOf(e.getValue()))).append("</td></tr>");
    }
    return sb.append("</table>").toString();
  }

  private static String stepsTable(JsonArray steps) {
    StringBuilder sb = new StringBuilder("<table><tr><th>phase</th><th>offered msg/s</th><th>sent/s</th><th>acked/s</th>"
        + "<th>deliveries/s offered</th><th>deliveries/s</th><th>delivered</th><th>delivery p50</th><th>delivery p99</th>"
        + "<th>delivery max</th><th>ack p50</th><th>ack p99</th><th>ack max</th><th>ack errors</th><th>skipped</th>"
        + "<th>CPU ms/msg</th><th>within SLO</th></tr>");
    for (int i = 0; i < steps.size(); i++) {
      JsonObject s = steps.getJsonObject(i);
      JsonObject d = s.getJsonObject("latency").getJsonObject("delivery");
      JsonObject a = s.getJsonObject("latency").getJsonObject("ack");
      Boolean ok = s.getBoolean("withinSlo");
      sb.append("<tr><td>").append(SvgChart.esc(s.getString("name"))).append("</td>")
          .append(td(s.getValue("offeredRate"))).append(td(s.getValue("sentPerSecond")))
          .append(td(s.getValue("ackedPerSecond"))).append(td(s.getValue("offeredDeliveriesPerSecond")))
          .append(td(s.getValue("deliveriesPerSecond")))
          .append(td(String.format(java.util.Locale.ROOT, "%.3f%%", 100 * s.getDouble("deliveryRatio"))))
          .append(td(d.getValue("p50"))).append(td(d.getValue("p99"))).append(td(d.getValue("max")))
          .append(td(a.getValue("p50"))).append(td(a.getValue("p99"))).append(td(a.getValue("max")))
          .append(td(s.getLong("ackErrors") + s.getLong("ackLost"))).append(td(s.getValue("skipped")))
          .append(td(s.getJsonObject("cpuMsPerMessage", new JsonObject()).getValue("total", "")))
          .append(ok == null ? "<td></td>" : "<td class='" + (ok ? "good'>yes" : "bad'>no") + "</td>")
          .append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  /** Churn phases: cycles per second and the p50/p99 of each step of a cycle. */
  private static String cycleTable(JsonArray phases) {
    StringBuilder sb = new StringBuilder("<table><tr><th>phase</th><th>offered cycles/s</th><th>cycles/s</th>"
        + "<th>completed</th><th>failed</th><th>skipped</th>");
    JsonObject first = phases.getJsonObject(0).getJsonObject("latency", new JsonObject());
    for (String step : first.fieldNames()) {
      sb.append("<th>").append(SvgChart.esc(step)).append(" p50</th><th>").append(SvgChart.esc(step)).append(" p99</th>");
    }
    sb.append("</tr>");
    for (int i = 0; i < phases.size(); i++) {
      JsonObject p = phases.getJsonObject(i);
      sb.append("<tr><td>").append(SvgChart.esc(p.getString("name", ""))).append("</td>")
          .append(td(p.getValue("offeredCyclesPerSecond"))).append(td(p.getValue("cyclesPerSecond")))
          .append(td(p.getValue("completed"))).append(td(p.getValue("failed"))).append(td(p.getValue("skipped")));
      JsonObject latency = p.getJsonObject("latency", new JsonObject());
      for (String step : first.fieldNames()) {
        JsonObject l = latency.getJsonObject(step, new JsonObject());
        sb.append(td(l.getValue("p50"))).append(td(l.getValue("p99")));
      }
      sb.append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  private static String td(Object v) {
    return "<td>" + SvgChart.esc(v instanceof Number n ? SvgChart.fmt(n.doubleValue()) : String.valueOf(v)) + "</td>";
  }

  private static String latencyTable(JsonObject latency) {
    StringBuilder sb = new StringBuilder("<table><tr><th>latency</th><th>count</th><th>mean</th><th>p50</th><th>p90</th>"
        + "<th>p99</th><th>p99.9</th><th>max</th></tr>");
    for (Map.Entry<String, Object> e : latency) {
      JsonObject s = (JsonObject) e.getValue();
      sb.append("<tr><td>").append(SvgChart.esc(e.getKey())).append("</td>").append(td(s.getValue("count")))
          .append(td(s.getValue("mean"))).append(td(s.getValue("p50"))).append(td(s.getValue("p90")))
          .append(td(s.getValue("p99"))).append(td(s.getValue("p999"))).append(td(s.getValue("max"))).append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  private static String percentileChart(JsonObject latency) {
    SvgChart chart = new SvgChart("Latency by percentile (whole run)", "percentile", "ms (log)", true);
    List<String> labels = null;
    for (Map.Entry<String, Object> e : latency) {
      JsonArray dist = ((JsonObject) e.getValue()).getJsonArray("distribution", new JsonArray());
      List<double[]> points = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < dist.size(); i++) {
        JsonObject p = dist.getJsonObject(i);
        points.add(new double[] {i, p.getDouble("ms")});
        names.add(SvgChart.fmt(p.getDouble("percentile")));
      }
      if (!points.isEmpty()) {
        labels = names;
      }
      chart.add(e.getKey(), points);
    }
    if (labels != null) {
      chart.categories(labels);
    }
    return chart.isEmpty() ? "" : "<div>" + chart.render() + "</div>";
  }

  private static String stepChart(JsonArray steps) {
    SvgChart lat = new SvgChart("p99 latency by offered rate", "offered msg/s", "ms (log)", true);
    List<double[]> d = new ArrayList<>();
    List<double[]> a = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      JsonObject s = steps.getJsonObject(i);
      double rate = s.getDouble("offeredRate");
      d.add(new double[] {rate, s.getJsonObject("latency").getJsonObject("delivery").getDouble("p99")});
      a.add(new double[] {rate, s.getJsonObject("latency").getJsonObject("ack").getDouble("p99")});
    }
    lat.add("delivery p99", d).add("ack p99", a);
    return "<div>" + lat.render() + "</div>";
  }

  private static String timelineCharts(JsonArray timeline) {
    SvgChart latency = new SvgChart("Latency over time (per second)", "seconds", "ms (log)", true);
    SvgChart rates = new SvgChart("Throughput over time", "seconds", "per second", false);
    SvgChart load = new SvgChart("Connections and CPU", "seconds", "count / %", false);
    Map<String, List<double[]>> lat = new java.util.LinkedHashMap<>();
    Map<String, List<double[]>> rate = new java.util.LinkedHashMap<>();
    Map<String, List<double[]>> res = new java.util.LinkedHashMap<>();
    for (int i = 0; i < timeline.size(); i++) {
      JsonObject p = timeline.getJsonObject(i);
      double t = p.getDouble("t");
      for (Map.Entry<String, Object> e : p.getJsonObject("latency", new JsonObject())) {
        JsonObject l = (JsonObject) e.getValue();
        if (List.of("delivery", "ack", "connect", "join", "cycle").contains(e.getKey())) {
          lat.computeIfAbsent(e.getKey() + " p50", k -> new ArrayList<>()).add(new double[] {t, l.getDouble("p50")});
          lat.computeIfAbsent(e.getKey() + " p99", k -> new ArrayList<>()).add(new double[] {t, l.getDouble("p99")});
        }
      }
      for (Map.Entry<String, Object> e : p.getJsonObject("rates", new JsonObject())) {
        if (List.of("sent", "delivered", "acked", "connects", "cycles", "confirmed").contains(e.getKey())) {
          rate.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {t, ((Number) e.getValue()).doubleValue()});
        }
      }
      res.computeIfAbsent("connections / 100", k -> new ArrayList<>()).add(new double[] {t, p.getInteger("connections") / 100.0});
      for (String k : List.of("serverCpu", "generatorCpu", "machineCpu")) {
        if (p.getValue(k) != null) {
          res.computeIfAbsent(k + " %", x -> new ArrayList<>()).add(new double[] {t, ((Number) p.getValue(k)).doubleValue()});
        }
      }
    }
    lat.forEach(latency::add);
    rate.forEach(rates::add);
    res.forEach(load::add);
    StringBuilder sb = new StringBuilder("<h2>Over time</h2>");
    for (SvgChart c : List.of(latency, rates, load)) {
      if (!c.isEmpty()) {
        sb.append("<div>").append(c.render()).append("</div>");
      }
    }
    return sb.toString();
  }
}
