package io.switchboard.loadtest.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency in microseconds, recorded from any thread, read from one: the sampler takes an
 * interval histogram once per second (the timeline) and adds it to the run's total.
 */
public final class Latency {
  /** One hour: longer values are clamped. */
  public static final long HIGHEST_MICROS = 3_600_000_000L;

  private final String name;
  private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
  private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
  private Histogram interval;

  Latency(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Records one value; thread-safe and wait-free. */
  public void record(long micros) {
    recorder.recordValue(Math.max(0, Math.min(micros, HIGHEST_MICROS)));
  }

  /** The values since the previous call, which are also added to the total. Reader thread only. */
  Histogram sample() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    return interval;
  }

  /** Everything recorded up to the last {@link #sample}. Reader thread only. */
  public Histogram total() {
    return total;
  }
}
