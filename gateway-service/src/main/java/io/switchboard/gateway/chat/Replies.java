package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.socketio.Socket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The answer shapes of PROTOCOL.md section 3, in one place: {@code {ok: true, ...}} or
 * {@code {ok: false, error: {code, message, ...}}} through the ack; without an ack, errors become
 * {@code validation-error}, {@code rate-limited} or {@code error} events.
 */
final class Replies {
  private Replies() {}

  static JsonObject ok() {
    return new JsonObject().put("ok", true);
  }

  static void fail(Socket socket, String event, Socket.Ack ack, Throwable failure) {
    ErrorCode code = ServiceException.codeOf(failure);
    String message = code == ErrorCode.INTERNAL || failure.getMessage() == null ? "internal error" : failure.getMessage();
    JsonObject extra = ServiceException.extraOf(failure) == null ? new JsonObject() : ServiceException.extraOf(failure);
    if (ack != null) {
      ack.send(new JsonObject().put("ok", false)
          .put("error", new JsonObject().put("code", code.name()).put("message", message).mergeIn(extra)));
      return;
    }
    switch (code) {
      case VALIDATION_ERROR -> socket.emit(ClientEvents.VALIDATION_ERROR, new JsonObject().put("event", event)
          .put("errors", extra.getJsonArray("details", new JsonArray())));
      case RATE_LIMITED -> socket.emit(ClientEvents.RATE_LIMITED, new JsonObject().put("event", event)
          .put("retryAfterMs", extra.getLong("retryAfterMs", 1000L)));
      default -> socket.emit(ClientEvents.ERROR, new JsonObject().put("event", event).put("code", code.name()).put("message", message)
          .mergeIn(extra));
    }
  }

  /** {@code VALIDATION_ERROR} with one {@code {field, message}} detail. */
  static ServiceException invalid(String field, String message) {
    return invalid(new JsonArray().add(new JsonObject().put("field", field).put("message", message)));
  }

  static ServiceException invalid(JsonArray details) {
    return new ServiceException(ErrorCode.VALIDATION_ERROR, "invalid request", new JsonObject().put("details", details));
  }
}
