package io.switchboard.common.chat;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a room's members receive a message. {@code optimistic}: at once, before it is durable, then its
 * confirmation (the behaviour of the system Switchboard replaces). {@code persist_first}: once, when
 * it is durable, with its seq.
 */
public enum Delivery {
  OPTIMISTIC("optimistic"),
  PERSIST_FIRST("persist_first");

  private final String wire;

  Delivery(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<Delivery> fromWire(String value) {
    return Arrays.stream(values()).filter(d -> d.wire.equals(value)).findFirst();
  }
}
