package io.switchboard.socketio.parser;

/** A client sent bytes that are not a valid Engine.IO or Socket.IO packet. Carries no stack trace. */
public final class PacketFormatException extends Exception {
  public PacketFormatException(String message) {
    super(message, null, false, false);
  }
}
