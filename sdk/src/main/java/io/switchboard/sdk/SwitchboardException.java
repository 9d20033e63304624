package io.switchboard.sdk;

import io.switchboard.common.ErrorCode;
import java.time.Duration;
import java.util.Optional;

/**
 * A refusal or a failure, with the contract's error code (docs/protocol.md section 3):
 * {@code VALIDATION_ERROR}, {@code FORBIDDEN}, {@code NOT_FOUND}, ... as Switchboard answered it;
 * {@code AUTH_FAILED} for a missing service token and {@code FORBIDDEN} for a wrong one;
 * {@code UNAVAILABLE} when Switchboard did not answer in time or could not be reached. The HTTP
 * status is 0 on the event bus and when no answer came.
 */
public final class SwitchboardException extends RuntimeException {
  private final ErrorCode code;
  private final int status;
  private final Long retryAfterMs;

  public SwitchboardException(ErrorCode code, int status, String message, Long retryAfterMs, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** When to try again, for {@code SLOW_MODE}, {@code RATE_LIMITED} and a mute's {@code FORBIDDEN}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfterMs).map(Duration::ofMillis);
  }

  /**
   * Whether the same request may succeed later without a change: Switchboard or a service behind it
   * did not answer, or failed inside. What the client retries by itself, where that is safe.
   */
  public boolean transientFailure() {
    return code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL || code == ErrorCode.PERSIST_FAILED;
  }
}
