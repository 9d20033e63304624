package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.socketio.Handshake;
import java.util.function.BooleanSupplier;

/**
 * Decides, before the token is even checked, whether this node takes one more connection: not while
 * it drains ({@code SERVER_DRAINING}), not beyond its capacity ({@code SERVER_AT_CAPACITY}).
 */
public final class Admission {
  private final ConnectionRegistry connections;
  private final int maxConnections;
  private final BooleanSupplier draining;

  public Admission(ConnectionRegistry connections, int maxConnections, BooleanSupplier draining) {
    this.connections = connections;
    this.maxConnections = maxConnections;
    this.draining = draining;
  }

  /** The refusal for this handshake, or null when it may proceed. */
  ErrorCode refusal(Handshake handshake) {
    if (draining.getAsBoolean()) {
      return ErrorCode.SERVER_DRAINING;
    }
    if (connections.size() >= maxConnections) {
      return ErrorCode.SERVER_AT_CAPACITY;
    }
    return null;
  }

  public int capacity() {
    return maxConnections;
  }
}
