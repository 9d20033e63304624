package io.switchboard.socketio.parser;

import java.util.List;

/**
 * A Socket.IO packet encoded once into its Engine.IO frames: the text frame ({@code "4..."}) then one
 * Buffer per binary attachment. Immutable, so one instance is written to every target of a broadcast.
 */
public record EncodedPacket(List<Object> frames) {

  public String text() {
    return (String) frames.get(0);
  }
}
