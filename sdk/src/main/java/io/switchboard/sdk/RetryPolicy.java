package io.switchboard.sdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently the client tries again after a transient failure
 * ({@link SwitchboardException#transientFailure()}): at most {@code maxAttempts} in all, waiting
 * {@code firstBackoff}, then twice as long each time up to {@code maxBackoff}, each wait with up to
 * half of it taken off at random so that many clients do not come back at once.
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(2));
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** The wait before attempt {@code attempt} (2 for the first retry). */
  Duration backoff(int attempt) {
    long base = firstBackoff.toMillis() << Math.min(attempt - 2, 20);
    long capped = Math.min(Math.max(base, 0), maxBackoff.toMillis());
    return Duration.ofMillis(capped - ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
