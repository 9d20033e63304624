package io.switchboard.loadtest.protocol;

/**
 * Why a connection did not reach the connected state. {@code kind} is one of {@link #REFUSED} (TCP
 * refused or reset), {@link #TIMEOUT}, {@link #HTTP} (the WebSocket upgrade was answered with an
 * HTTP error), {@link #AUTH} (CONNECT_ERROR; {@code code} is its {@code data.code}), {@link #CLOSED}
 * (closed during the handshake) or {@link #ERROR} (anything else, e.g. no more local ports).
 */
public final class ConnectFailure extends RuntimeException {
  public static final String REFUSED = "refused";
  public static final String TIMEOUT = "timeout";
  public static final String HTTP = "http";
  public static final String AUTH = "auth";
  public static final String CLOSED = "closed";
  public static final String ERROR = "error";

  private final String kind;
  private final String code;

  public ConnectFailure(String kind, String code, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  public String kind() {
    return kind;
  }

  /** The server's error code for {@link #AUTH}, the HTTP status for {@link #HTTP}, else null. */
  public String code() {
    return code;
  }

  /** Classifies a failure of the WebSocket connect itself. */
  public static ConnectFailure of(Throwable failure) {
    if (failure instanceof ConnectFailure cf) {
      return cf;
    }
    String message = String.valueOf(failure.getMessage());
    String lower = message.toLowerCase();
    if (failure instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
      return new ConnectFailure(HTTP, String.valueOf(rejected.getStatus()), message);
    }
    if (failure instanceof java.net.ConnectException || lower.contains("connection refused")
        || lower.contains("connection reset")) {
      return new ConnectFailure(REFUSED, null, message);
    }
    if (failure instanceof java.util.concurrent.TimeoutException || lower.contains("timed out") || lower.contains("timeout")) {
      return new ConnectFailure(TIMEOUT, null, message);
    }
    if (lower.contains("closed")) {
      return new ConnectFailure(CLOSED, null, message);
    }
    return new ConnectFailure(ERROR, null, failure.getClass().getSimpleName() + ": " + message);
  }
}
