package io.switchboard.loadtest.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * The measurements of one run: named latencies and counters (recorded from any thread), the number of
 * connected sockets, and a timeline with one point per {@link #sample} (once per second), in the
 * order the names were first used.
 */
public final class Metrics {
  private final Map<String, Latency> latencies = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final List<String> latencyOrder = new ArrayList<>();
  private final List<String> counterOrder = new ArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<JsonObject> timeline = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private long lastSampleNanos = startNanos;

  public Latency latency(String name) {
    return latencies.computeIfAbsent(name, n -> {
      synchronized (latencyOrder) {
        latencyOrder.add(n);
      }
      return new Latency(n);
    });
  }

  public Counter counter(String name) {
    return counters.computeIfAbsent(name, n -> {
      synchronized (counterOrder) {
        counterOrder.add(n);
      }
      return new Counter(n);
    });
  }

  /** Sockets currently connected (the scenario keeps it up to date). */
  public AtomicInteger connections() {
    return connections;
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * Closes the current interval: per-second rates of every counter, percentiles of every latency
   * recorded in it, plus {@code extra} (phase, server probe). Returns the timeline point.
   */
  public synchronized JsonObject sample(JsonObject extra) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastSampleNanos) / 1e9);
    lastSampleNanos = now;
    JsonObject rates = new JsonObject();
    for (String name : snapshot(counterOrder)) {
      rates.put(name, Math.round(counters.get(name).delta() / seconds));
    }
    JsonObject lat = new JsonObject();
    for (String name : snapshot(latencyOrder)) {
      Histogram h = latencies.get(name).sample();
      if (h.getTotalCount() > 0) {
        lat.put(name, new JsonObject().put("count", h.getTotalCount())
            .put("p50", h.getValueAtPercentile(50) / 1000.0).put("p99", h.getValueAtPercentile(99) / 1000.0)
            .put("max", h.getMaxValue() / 1000.0));
      }
    }
    JsonObject point = new JsonObject().put("t", Math.round((now - startNanos) / 1e8) / 10.0)
        .put("connections", connections.get()).put("rates", rates).put("latency", lat);
    if (extra != null) {
      point.mergeIn(extra);
    }
    timeline.add(point);
    return point;
  }

  /** Summaries of every latency over the whole run (up to the last sample). */
  public synchronized JsonObject latencySummaries() {
    JsonObject out = new JsonObject();
    for (String name : snapshot(latencyOrder)) {
      out.put(name, LatencySummary.of(latencies.get(name).total()).toJson());
    }
    return out;
  }

  /** Final values of every counter. */
  public JsonObject counterTotals() {
    JsonObject out = new JsonObject();
    for (String name : snapshot(counterOrder)) {
      out.put(name, counters.get(name).value());
    }
    return out;
  }

  public synchronized JsonArray timeline() {
    return new JsonArray(new ArrayList<>(timeline));
  }

  private static List<String> snapshot(List<String> names) {
    synchronized (names) {
      return List.copyOf(names);
    }
  }
}
