package io.switchboard.message.webhooks;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;

/**
 * The dispatcher's limits (README, configuration: {@code WEBHOOKS_*}), and {@code NOTIFY_AWAY_AFTER_SECONDS}:
 * a member away longer is told as if offline (0: an away member never is).
 */
public record WebhookSettings(long pollMs, long timeoutMs, int maxAttempts, long backoffMs, int concurrency,
    int ratePerSecond, boolean allowPrivate, long secretGraceSeconds, long notifyAwayAfterSeconds) {
  /** Longest wait between two attempts, whatever the attempt. */
  static final long MAX_BACKOFF_MS = 3_600_000;

  public WebhookSettings {
    if (pollMs < 10 || timeoutMs < 1 || maxAttempts < 1 || backoffMs < 1 || concurrency < 1 || ratePerSecond < 1
        || secretGraceSeconds < 0 || notifyAwayAfterSeconds < 0) {
      throw new IllegalArgumentException("WEBHOOKS_*: poll at least 10 ms, other values positive");
    }
  }

  /** With the default {@code NOTIFY_AWAY_AFTER_SECONDS}. */
  public WebhookSettings(long pollMs, long timeoutMs, int maxAttempts, long backoffMs, int concurrency,
      int ratePerSecond, boolean allowPrivate, long secretGraceSeconds) {
    this(pollMs, timeoutMs, maxAttempts, backoffMs, concurrency, ratePerSecond, allowPrivate, secretGraceSeconds,
        Long.parseLong(ConfigKey.NOTIFY_AWAY_AFTER_SECONDS.defaultValue()));
  }

  public static WebhookSettings from(Config config) {
    return new WebhookSettings(config.longValue(ConfigKey.WEBHOOKS_POLL_MS), config.longValue(ConfigKey.WEBHOOKS_TIMEOUT_MS),
        config.integer(ConfigKey.WEBHOOKS_MAX_ATTEMPTS), config.longValue(ConfigKey.WEBHOOKS_BACKOFF_MS),
        config.integer(ConfigKey.WEBHOOKS_CONCURRENCY), config.integer(ConfigKey.WEBHOOKS_RATE_PER_SECOND),
        config.bool(ConfigKey.WEBHOOKS_ALLOW_PRIVATE), config.longValue(ConfigKey.WEBHOOKS_SECRET_GRACE_SECONDS),
        config.longValue(ConfigKey.NOTIFY_AWAY_AFTER_SECONDS));
  }

  /** The wait after failed attempt number {@code attempt} (1 for the first): backoff, doubled each time, capped. */
  long backoffAfter(int attempt) {
    long wait = Math.min(backoffMs, MAX_BACKOFF_MS);
    for (int i = 1; i < attempt && wait < MAX_BACKOFF_MS; i++) {
      wait = Math.min(MAX_BACKOFF_MS, wait * 2);
    }
    return wait;
  }

  /**
   * How long a claimed delivery stays with its dispatcher: past the request's timeout (the timer
   * ends it then) with room to record the outcome. A dispatcher that dies holds it this long.
   */
  long leaseMs() {
    return 2 * timeoutMs + 5_000;
  }
}
