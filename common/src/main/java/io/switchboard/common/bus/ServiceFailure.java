package io.switchboard.common.bus;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A service's refusal as an event-bus reply, with the fields the client's error object carries
 * besides code and message ({@link ServiceException#extra()}: {@code retryAfterMs},
 * {@code mutedUntil}, ...). {@code Message.fail} carries only a code and a message; a reply whose body
 * is a {@link ReplyException} fails the requester's future with it, so a service replies with this
 * instead when there is more to say ({@link #of}). To the requester it is a recipient failure with the
 * code's bus code, like any other ({@link ServiceException#codeOf}), whose extra fields
 * {@link ServiceException#extraOf} finds. Its codec ({@link ServiceFailureCodec}) passes it by
 * reference inside one JVM and as JSON between cluster members.
 */
public final class ServiceFailure extends ReplyException {
  private final JsonObject extra;

  public ServiceFailure(int failureCode, String message, JsonObject extra) {
    super(ReplyFailure.RECIPIENT_FAILURE, failureCode, message, true);
    this.extra = extra;
  }

  /** The extra fields for the client's error object; null when none. */
  public JsonObject extra() {
    return extra;
  }

  /** The reply for a refusal with extra fields, with the code's bus code. */
  public static ServiceFailure of(ServiceException refusal) {
    ErrorCode code = refusal.code();
    return new ServiceFailure(code.busCode(), refusal.getMessage(), refusal.extra());
  }
}
