package io.switchboard.common.runtime;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Meter conventions shared by the services: every name starts with {@code switchboard.}, latencies
 * are timers exported as Prometheus histograms (buckets from 1 ms to 10 s) with client-side
 * p50/p95/p99 kept for the JSON endpoints.
 */
public final class Metrics {
  private Metrics() {}

  public static Timer latency(MeterRegistry registry, String name, String description, String... tags) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .publishPercentiles(0.5, 0.95, 0.99)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  public static DistributionSummary sizes(MeterRegistry registry, String name, String description, String unit) {
    return DistributionSummary.builder(name)
        .description(description)
        .baseUnit(unit)
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(10_000.0)
        .register(registry);
  }
}
