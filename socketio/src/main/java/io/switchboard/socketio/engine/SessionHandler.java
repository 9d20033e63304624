package io.switchboard.socketio.engine;

/**
 * What sits on top of an Engine.IO session (the Socket.IO client layer, or an echo handler for the
 * Engine.IO conformance suite). Every method runs on the session's context, one at a time.
 */
public interface SessionHandler {

  /** A MESSAGE packet: a String for text, a {@code Buffer} for binary. */
  void onMessage(Object data);

  /** The session moved from polling to a WebSocket. */
  default void onUpgrade() {}

  /** Called once when the session closes, with the Engine.IO reason ("transport close", "ping timeout", ...). */
  void onClose(String reason);
}
