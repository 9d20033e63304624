package io.switchboard.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with a code from the catalogue. Services fail futures with it; the gateway maps it once
 * to the client's error shape. Stack traces are not filled: these are expected outcomes, not bugs.
 */
public final class ServiceException extends RuntimeException {
  private final ErrorCode code;
  private final JsonObject extra;

  public ServiceException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** {@code extra} fields go into the client's error object, e.g. {@code details} or {@code retryAfterMs}. */
  public ServiceException(ErrorCode code, String message, JsonObject extra) {
    super(message, null, false, false);
    this.code = code;
    this.extra = extra;
  }

  public ErrorCode code() {
    return code;
  }

  /** Extra fields for the client's error object; null when none. */
  public JsonObject extra() {
    return extra;
  }

  /**
   * The code of any failure: ours as is; an event-bus reply failure by its failure code (a timeout
   * or a missing handler is {@link ErrorCode#UNAVAILABLE}); anything else is {@link ErrorCode#INTERNAL}.
   */
  public static ErrorCode codeOf(Throwable failure) {
    if (failure instanceof ServiceException se) {
      return se.code();
    }
    if (failure instanceof ReplyException re) {
      return re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          ? ErrorCode.fromBusCode(re.failureCode())
          : ErrorCode.UNAVAILABLE;
    }
    return ErrorCode.INTERNAL;
  }

  /**
   * The extra fields of any failure for the client's error object: ours, or those a service sent
   * with its refusal ({@link io.switchboard.common.bus.ServiceFailure}); null when none.
   */
  public static JsonObject extraOf(Throwable failure) {
    if (failure instanceof ServiceException se) {
      return se.extra();
    }
    return failure instanceof io.switchboard.common.bus.ServiceFailure sf ? sf.extra() : null;
  }

  public static ServiceException of(ErrorCode code, String message) {
    return new ServiceException(code, message);
  }
}
