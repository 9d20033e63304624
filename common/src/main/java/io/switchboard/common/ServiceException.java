package io.switchboard.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with a code from the catalogue. Services fail futures with it; the gateway maps it once
 * to the client's error shape. Stack traces are not filled: these are expected outcomes, not bugs.
 */
public final class ServiceException extends RuntimeException {
  private final ErrorCode code;

  public ServiceException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
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

  public static ServiceException of(ErrorCode code, String message) {
    return new ServiceException(code, message);
  }
}
