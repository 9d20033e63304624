package io.switchboard.loadtest.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram, in milliseconds.
 *
 * @param count how many values were recorded
 */
public record LatencySummary(long count, double mean, double p50, double p90, double p99, double p999, double max,
    JsonArray distribution) {
  private static final double[] PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100};

  public static LatencySummary of(Histogram h) {
    JsonArray distribution = new JsonArray();
    if (h.getTotalCount() > 0) {
      for (double p : PERCENTILES) {
        distribution.add(new JsonObject().put("percentile", p).put("ms", ms(h.getValueAtPercentile(p))));
      }
    }
    return new LatencySummary(h.getTotalCount(), h.getTotalCount() == 0 ? 0 : round(h.getMean() / 1000.0),
        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), distribution);
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("count", count).put("mean", mean).put("p50", p50).put("p90", p90).put("p99", p99)
        .put("p999", p999).put("max", max).put("distribution", distribution);
  }
}
