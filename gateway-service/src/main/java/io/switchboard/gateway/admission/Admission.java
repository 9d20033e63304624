package io.switchboard.gateway.admission;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.Sender;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.socketio.Handshake;
import io.switchboard.socketio.SessionAdmission;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * Decides whether this node takes one more client, at three moments:
 *
 * <ul>
 *   <li>The Engine.IO handshake (as the Socket.IO server's {@link SessionAdmission}): not beyond its
 *       capacity (HTTP 503, {@code SERVER_AT_CAPACITY}), not beyond the per-address limit (HTTP 429,
 *       {@code IP_CONNECTION_LIMIT}). Every open session counts, from its handshake to its close,
 *       whether it ever authenticated or not: sessions that never CONNECT are bounded like the others.
 *   <li>CONNECT, before the token is checked: not while the node drains ({@code SERVER_DRAINING}),
 *       not from an address whose tokens keep failing ({@code CONNECT_THROTTLED}).
 *   <li>Once the tenant is known: not beyond the per-tenant limit ({@code TENANT_CONNECTION_LIMIT}).
 * </ul>
 *
 * The CONNECT checks are run, with the token's and the device limit's, by {@link ConnectAdmission}.
 *
 * <p>Limits of 0 are off (but for the capacity). Counts are this node's. Thread-safe: a handshake
 * costs one atomic increment, and one map update per address when that limit is on.
 */
public final class Admission implements SessionAdmission {
  private static final Refusal AT_CAPACITY =
      new Refusal(503, "server at capacity", ErrorCode.SERVER_AT_CAPACITY.name());
  private static final Refusal ADDRESS_LIMIT =
      new Refusal(429, "too many connections from this address", ErrorCode.IP_CONNECTION_LIMIT.name());

  private final ToIntFunction<String> connectionsOfTenant;
  private final Limits limits;
  private final BooleanSupplier draining;
  private final RefusedConnects refusals;
  private final GatewayMetrics metrics;
  private final AtomicInteger sessions = new AtomicInteger();
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

  /** The connection limits of one gateway node. */
  public record Limits(int total, int perAddress, int perTenant) {}

  /** {@code connectionsOfTenant}: the tenant's connected sockets on this node. */
  public Admission(ToIntFunction<String> connectionsOfTenant, Limits limits, BooleanSupplier draining,
      RefusedConnects refusals, GatewayMetrics metrics) {
    this.connectionsOfTenant = connectionsOfTenant;
    this.limits = limits;
    this.draining = draining;
    this.refusals = refusals;
    this.metrics = metrics;
  }

  @Override
  public Refusal admit(String address) {
    if (sessions.incrementAndGet() > limits.total()) {
      sessions.decrementAndGet();
      return refuse(address, ErrorCode.SERVER_AT_CAPACITY, AT_CAPACITY);
    }
    if (limits.perAddress() > 0 && address != null && !claim(address)) {
      sessions.decrementAndGet();
      return refuse(address, ErrorCode.IP_CONNECTION_LIMIT, ADDRESS_LIMIT);
    }
    return null;
  }

  @Override
  public void release(String address) {
    sessions.decrementAndGet();
    if (limits.perAddress() > 0 && address != null) {
      byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** One more session from {@code address}, unless it has its limit already. */
  private boolean claim(String address) {
    boolean[] claimed = {false};
    byAddress.compute(address, (a, n) -> {
      int held = n == null ? 0 : n;
      if (held >= limits.perAddress()) {
        return n;
      }
      claimed[0] = true;
      return held + 1;
    });
    return claimed[0];
  }

  private Refusal refuse(String address, ErrorCode code, Refusal refusal) {
    metrics.refused(code);
    refusals.refused(address, null, code);
    return refusal;
  }

  /** The refusal for this CONNECT before its token is checked, or null when it may proceed. */
  ErrorCode beforeAuth(Handshake handshake) {
    if (draining.getAsBoolean()) {
      return ErrorCode.SERVER_DRAINING;
    }
    if (refusals.throttled(handshake.address())) {
      return ErrorCode.CONNECT_THROTTLED;
    }
    return null;
  }

  /** The refusal for this user, or null. */
  ErrorCode afterAuth(Sender user) {
    if (limits.perTenant() > 0 && connectionsOfTenant.applyAsInt(user.tenant()) >= limits.perTenant()) {
      return ErrorCode.TENANT_CONNECTION_LIMIT;
    }
    return null;
  }

  /** A CONNECT was refused: counted for throttling, and audited once per address and window. */
  void refused(Handshake handshake, String connectionId, ErrorCode code) {
    refusals.refused(handshake.address(), connectionId, code);
  }

  /** Open Engine.IO sessions, connected or not. */
  public int sessions() {
    return sessions.get();
  }

  public int capacity() {
    return limits.total();
  }
}
