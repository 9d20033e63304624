package io.switchboard.gateway.admission;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code perSecond}. Not thread-safe;
 * callers confine a bucket to one event loop or synchronize on it.
 */
final class TokenBucket {
  /** Shared by the buckets of one class, not copied into each: a socket may keep a bucket for its life. */
  private final Rate rate;
  private double tokens;
  private long last;

  TokenBucket(Rate rate, long now) {
    this.rate = rate;
    this.tokens = rate.burst();
    this.last = now;
  }

  private double perNano() {
    return rate.perSecond() / 1e9;
  }

  /** Takes a token if there is one. */
  boolean tryTake(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until the next token. */
  long retryAfterMs(long now) {
    refill(now);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano() / 1e6);
  }

  private void refill(long now) {
    tokens = Math.min(rate.burst(), tokens + (now - last) * perNano());
    last = now;
  }

  /** A sustained rate and the burst allowed above it. */
  public record Rate(double perSecond, int burst) {
    public Rate {
      if (perSecond <= 0 || burst < 1) {
        throw new IllegalArgumentException("a rate must be positive with a burst of at least 1");
      }
    }

    /** {@code "10:20"}: 10 per second, bursts of 20. */
    public static Rate parse(String key, String value) {
      String[] parts = value.trim().split(":");
      try {
        double rate = Double.parseDouble(parts[0]);
        int burst = parts.length > 1 ? Integer.parseInt(parts[1]) : (int) Math.max(1, Math.ceil(rate));
        return new Rate(rate, burst);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("config: " + key + " must look like 10:20 (per second : burst), got '" + value + "'");
      }
    }
  }
}
