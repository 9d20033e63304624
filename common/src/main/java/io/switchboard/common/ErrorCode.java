package io.switchboard.common;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The error catalogue: the codes of the client contract (PROTOCOL.md sections 2 and 3), each with
 * the numeric code used as the event-bus failure code between services, and whether a client may
 * retry the same request later. {@code SERVER_AT_CAPACITY} and {@code IP_CONNECTION_LIMIT} also
 * name the refusals of an Engine.IO handshake (HTTP 503 and 429, the code in the body's
 * {@code data.code}).
 */
public enum ErrorCode {
  // Request errors (acks and error events).
  VALIDATION_ERROR(400, false),
  RATE_LIMITED(429, true),
  FORBIDDEN(403, false),
  NOT_FOUND(404, false),
  UNKNOWN_EVENT(405, false),
  LAST_OWNER(409, false),
  MEMBER_LIMIT(413, false),
  SLOW_MODE(425, true),
  BLOCKED(412, false),
  REACTION_LIMIT(414, false),
  ROOM_ARCHIVED(423, false),
  UPLOAD_TOO_LARGE(416, false),
  UNSUPPORTED_TYPE(415, false),
  /** The user is in a call already, or every callee is. */
  BUSY(486, false),
  PERSIST_FAILED(507, true),
  UNAVAILABLE(503, true),
  INTERNAL(500, true),
  // Connection refusals (CONNECT_ERROR data.code).
  AUTH_FAILED(401, false),
  TOKEN_EXPIRED(419, false),
  USER_CONNECTION_LIMIT(1001, true),
  IP_CONNECTION_LIMIT(1002, true),
  TENANT_CONNECTION_LIMIT(1003, true),
  SERVER_AT_CAPACITY(1004, true),
  SERVER_DRAINING(1005, true),
  CONNECT_THROTTLED(1006, true);

  private static final Map<Integer, ErrorCode> BY_BUS_CODE =
      Arrays.stream(values()).collect(Collectors.toMap(ErrorCode::busCode, Function.identity()));

  private final int busCode;
  private final boolean retryable;

  ErrorCode(int busCode, boolean retryable) {
    this.busCode = busCode;
    this.retryable = retryable;
  }

  /** The failure code carried by {@code Message.fail} on the event bus. */
  public int busCode() {
    return busCode;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The code for an event-bus failure code; unknown codes (timeouts, no handlers) are {@link #UNAVAILABLE}. */
  public static ErrorCode fromBusCode(int code) {
    return BY_BUS_CODE.getOrDefault(code, UNAVAILABLE);
  }
}
