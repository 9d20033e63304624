package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The refusals of moderation, in one shape wherever they are decided (the batched write, edits): a
 * muted member gets {@code FORBIDDEN} with {@code mutedUntil} (ISO-8601) and {@code retryAfterMs},
 * the fields the client's error object carries (docs/protocol.md, "Membership and roles").
 */
public final class Moderation {
  private Moderation() {}

  /** The refusal of a member muted until {@code until}. */
  public static ServiceException muted(Instant until) {
    return new ServiceException(ErrorCode.FORBIDDEN, "muted in this room until " + until,
        new JsonObject().put("mutedUntil", until.toString()).put("retryAfterMs", millisUntil(until)));
  }

  /** Whether a refusal is a mute's: told to the room (its optimistic copy may have been shown), unlike other refusals. */
  public static boolean isMute(Throwable failure) {
    JsonObject extra = ServiceException.extraOf(failure);
    return ServiceException.codeOf(failure) == ErrorCode.FORBIDDEN && extra != null && extra.containsKey("mutedUntil");
  }

  /** Milliseconds from now to {@code until}, rounded up, at least 1. */
  static long millisUntil(Instant until) {
    Duration left = Duration.between(Instant.now(), until);
    return Math.max(1, left.toMillis() + (left.toNanosPart() % 1_000_000 == 0 ? 0 : 1));
  }
}
