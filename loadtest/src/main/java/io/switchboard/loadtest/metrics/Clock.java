package io.switchboard.loadtest.metrics;

/**
 * Wall-clock microseconds with the resolution of {@link System#nanoTime()}: the send time that
 * travels in a message's {@code meta} and is compared with the receive time. Monotonic within one
 * process; across processes on the same machine it agrees with the wall clock to about a millisecond.
 */
public final class Clock {
  private static final long BASE_MICROS = System.currentTimeMillis() * 1000;
  private static final long BASE_NANOS = System.nanoTime();

  private Clock() {}

  public static long micros() {
    return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1000;
  }
}
