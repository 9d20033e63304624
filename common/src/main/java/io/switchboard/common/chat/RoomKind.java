package io.switchboard.common.chat;

import java.util.Arrays;
import java.util.Optional;

/** Who may join: members only ({@code group}, {@code direct}) or any user of the tenant ({@code public}). */
public enum RoomKind {
  GROUP("group"),
  DIRECT("direct"),
  PUBLIC("public");

  private final String wire;

  RoomKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<RoomKind> fromWire(String value) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(value)).findFirst();
  }
}
