package io.switchboard.socketio.parser;

import io.vertx.core.buffer.Buffer;

/**
 * One Engine.IO v4 packet. {@code data} is a String for text packets (possibly empty), a Buffer for
 * binary messages (type {@link Type#MESSAGE} only).
 */
public record EnginePacket(Type type, Object data) {

  public enum Type {
    OPEN('0'), CLOSE('1'), PING('2'), PONG('3'), MESSAGE('4'), UPGRADE('5'), NOOP('6');

    final char code;

    Type(char code) {
      this.code = code;
    }

    public char code() {
      return code;
    }

    static Type of(char c) {
      int i = c - '0';
      Type[] all = values();
      return i >= 0 && i < all.length ? all[i] : null;
    }
  }

  public static EnginePacket text(Type type, String data) {
    return new EnginePacket(type, data == null ? "" : data);
  }

  public boolean binary() {
    return data instanceof Buffer;
  }

  public String text() {
    return data instanceof String s ? s : "";
  }
}
