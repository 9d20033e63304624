package io.switchboard.loadtest.protocol;

/** A frame that is not valid Engine.IO v4 / Socket.IO v5. */
public final class PacketFormatException extends RuntimeException {
  public PacketFormatException(String message) {
    super(message);
  }
}
