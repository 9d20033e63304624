package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The refusals of moderation, in one shape wherever they are decided (the batched write, edits): a
 * muted member gets {@code FORBIDDEN} with {@code mutedUntil} (ISO-8601) and {@code retryAfterMs}, a
 * message too early in slow mode {@code SLOW_MODE} with {@code retryAfterMs} and {@code slowMode}: the
 * fields the client's error object carries (docs/protocol.md, "Membership and roles"). Also the
 * refusal of a reply to no message of its room ({@link #badReply}): like moderation's, it is decided
 * here after the gateways relayed the message, so the room may have seen its optimistic copy.
 */
public final class Moderation {
  private Moderation() {}

  /** The refusal of a member muted until {@code until}. */
  public static ServiceException muted(Instant until) {
    return new ServiceException(ErrorCode.FORBIDDEN, "muted in this room until " + until,
        new JsonObject().put("mutedUntil", until.toString()).put("retryAfterMs", millisUntil(until)));
  }

  /** The refusal of a message too early in slow mode: the member may post again in {@code waitMs}. */
  public static ServiceException slowMode(long waitMs, int slowModeSeconds) {
    return new ServiceException(ErrorCode.SLOW_MODE, "slow mode: one message per " + slowModeSeconds + " s",
        new JsonObject().put("retryAfterMs", Math.max(1, waitMs)).put("slowMode", slowModeSeconds));
  }

  /**
   * The refusal of a reply to no message of its room, or to a deleted one (docs/protocol.md,
   * "Threads"): {@code VALIDATION_ERROR} on the field {@code replyTo}, decided by message-service.
   */
  public static ServiceException badReply(String problem) {
    return new ServiceException(ErrorCode.VALIDATION_ERROR, "invalid request", new JsonObject().put("details",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("field", "replyTo").put("message", problem))));
  }

  /**
   * Whether a refusal is one decided only here, after the gateways relayed the message: moderation's (a
   * mute, slow mode) or a bad reply. A member's message, whose optimistic copy the room may have been
   * shown, unlike the other refusals.
   */
  public static boolean decidedAfterCopies(Throwable failure) {
    JsonObject extra = ServiceException.extraOf(failure);
    ErrorCode code = ServiceException.codeOf(failure);
    return code == ErrorCode.SLOW_MODE || code == ErrorCode.FORBIDDEN && extra != null && extra.containsKey("mutedUntil")
        || code == ErrorCode.VALIDATION_ERROR && extra != null && extra.getJsonArray("details", new io.vertx.core.json.JsonArray())
            .stream().anyMatch(d -> d instanceof JsonObject detail && "replyTo".equals(detail.getString("field")));
  }

  /** Milliseconds from now to {@code until}, rounded up, at least 1. */
  static long millisUntil(Instant until) {
    Duration left = Duration.between(Instant.now(), until);
    return Math.max(1, left.toMillis() + (left.toNanosPart() % 1_000_000 == 0 ? 0 : 1));
  }
}
