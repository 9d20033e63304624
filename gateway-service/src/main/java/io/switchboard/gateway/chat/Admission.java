package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.Sender;
import io.switchboard.socketio.Handshake;
import java.util.function.BooleanSupplier;

/**
 * Decides whether this node takes one more connection. Before the token is checked: not while it
 * drains ({@code SERVER_DRAINING}), not beyond its capacity ({@code SERVER_AT_CAPACITY}), not beyond
 * the per-address limit ({@code IP_CONNECTION_LIMIT}). Once the tenant is known: not beyond the
 * per-tenant limit ({@code TENANT_CONNECTION_LIMIT}). Limits of 0 are off. Counts are this node's;
 * under a burst of simultaneous connects they may overshoot by the number of connects in flight.
 */
public final class Admission {
  private final ConnectionRegistry connections;
  private final Limits limits;
  private final BooleanSupplier draining;

  /** The connection limits of one gateway node. */
  public record Limits(int total, int perAddress, int perTenant) {}

  public Admission(ConnectionRegistry connections, Limits limits, BooleanSupplier draining) {
    this.connections = connections;
    this.limits = limits;
    this.draining = draining;
  }

  /** The refusal for this handshake, or null when it may proceed to authentication. */
  ErrorCode beforeAuth(Handshake handshake) {
    if (draining.getAsBoolean()) {
      return ErrorCode.SERVER_DRAINING;
    }
    if (connections.size() >= limits.total()) {
      return ErrorCode.SERVER_AT_CAPACITY;
    }
    if (limits.perAddress() > 0 && connections.countFrom(handshake.address()) >= limits.perAddress()) {
      return ErrorCode.IP_CONNECTION_LIMIT;
    }
    return null;
  }

  /** The refusal for this user, or null. */
  ErrorCode afterAuth(Sender user) {
    if (limits.perTenant() > 0 && connections.countOf(user.tenant()) >= limits.perTenant()) {
      return ErrorCode.TENANT_CONNECTION_LIMIT;
    }
    return null;
  }

  public int capacity() {
    return limits.total();
  }
}
