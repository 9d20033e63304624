package io.switchboard.socketio;

import io.vertx.core.json.JsonObject;

/** Refuses a CONNECT: the client receives CONNECT_ERROR with this message and data. */
public class ConnectRefusedException extends RuntimeException {
  private final JsonObject data;

  public ConnectRefusedException(String message, JsonObject data) {
    super(message, null, false, false);
    this.data = data;
  }

  /** Sent as {@code data}; null sends none. */
  public JsonObject data() {
    return data;
  }
}
