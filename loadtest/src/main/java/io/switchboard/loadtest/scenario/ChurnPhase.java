package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.metrics.LatencySummary;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The churn cycles started in one phase (warm-up or measured): how many completed, failed or were
 * skipped, and the latency of each step of exactly those cycles. Thread-safe.
 */
final class ChurnPhase {
  static final String[] STEPS = {"connect", "join", "leave", "cycle"};

  final String name;
  final double rate;
  final LongAdder started = new LongAdder();
  final LongAdder completed = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder skipped = new LongAdder();
  private final Map<String, Recorder> recorders = new LinkedHashMap<>();
  private final Map<String, Histogram> totals = new LinkedHashMap<>();
  volatile double seconds;

  ChurnPhase(String name, double rate) {
    this.name = name;
    this.rate = rate;
    for (String step : STEPS) {
      recorders.put(step, new Recorder(Latency.HIGHEST_MICROS, 3));
      totals.put(step, new Histogram(Latency.HIGHEST_MICROS, 3));
    }
  }

  void record(String step, long micros) {
    recorders.get(step).recordValue(Math.max(0, Math.min(micros, Latency.HIGHEST_MICROS)));
  }

  synchronized JsonObject toJson() {
    JsonObject latency = new JsonObject();
    for (String step : STEPS) {
      Histogram total = totals.get(step);
      total.add(recorders.get(step).getIntervalHistogram());
      latency.put(step, LatencySummary.of(total).toJson());
    }
    double s = Math.max(seconds, 1e-9);
    return new JsonObject().put("name", name).put("offeredCyclesPerSecond", rate)
        .put("seconds", Math.round(seconds * 10) / 10.0).put("started", started.sum())
        .put("completed", completed.sum()).put("failed", failed.sum()).put("skipped", skipped.sum())
        .put("cyclesPerSecond", Math.round(completed.sum() / s * 10) / 10.0).put("latency", latency);
  }
}
