package io.switchboard.loadtest.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A count incremented from any thread; the sampler reads per-second deltas. */
public final class Counter {
  private final String name;
  private final LongAdder adder = new LongAdder();
  private long sampled;

  Counter(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void increment() {
    adder.increment();
  }

  public void add(long n) {
    adder.add(n);
  }

  public long value() {
    return adder.sum();
  }

  /** The increase since the previous call. Reader thread only. */
  long delta() {
    long now = adder.sum();
    long d = now - sampled;
    sampled = now;
    return d;
  }
}
