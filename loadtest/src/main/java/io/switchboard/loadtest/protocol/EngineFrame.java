package io.switchboard.loadtest.protocol;

/**
 * One decoded Engine.IO v4 text frame. {@code data} is the raw text after the type character; for a
 * MESSAGE it is decoded further into {@code packet}.
 *
 * @param type one of the {@code EngineFrame} type constants
 * @param data the text after the type character
 * @param packet the Socket.IO packet of a MESSAGE, else null
 */
public record EngineFrame(int type, String data, SioPacket packet) {
  public static final int OPEN = 0;
  public static final int CLOSE = 1;
  public static final int PING = 2;
  public static final int PONG = 3;
  public static final int MESSAGE = 4;
  public static final int UPGRADE = 5;
  public static final int NOOP = 6;
}
