package io.switchboard.common.chat;

import java.util.Optional;

/**
 * How a room's members receive a message. {@code optimistic}: at once, before it is durable, then its
 * confirmation (the behaviour of the system Switchboard replaces). {@code persist_first}: once, when
 * it is durable, with its seq.
 */
public enum Delivery {
  OPTIMISTIC("optimistic"),
  PERSIST_FIRST("persist_first");

  private static final Delivery[] VALUES = values();

  private final String wire;

  Delivery(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<Delivery> fromWire(String value) {
    for (Delivery delivery : VALUES) {
      if (delivery.wire.equals(value)) {
        return Optional.of(delivery);
      }
    }
    return Optional.empty();
  }
}
