package io.switchboard.gateway.admission;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ops.Audit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The refused connections of each client address, in fixed windows of {@link #WINDOW_MS}, for two
 * things:
 *
 * <ul>
 *   <li>Throttling: an address whose tokens failed verification ({@code AUTH_FAILED},
 *       {@code TOKEN_EXPIRED}) {@code failureLimit} times in a window has its CONNECTs refused
 *       unchecked ({@code CONNECT_THROTTLED}) until the window ends, so guessing tokens costs a
 *       signature check a few times a second per address, not once per packet. Only failures count:
 *       the many users behind one NAT address connect with valid tokens.
 *   <li>The audit log: the first refusal of each address in a window is written at once; the others
 *       are counted and written as one line when the window ends.
 * </ul>
 *
 * <p>Thread-safe. It holds the addresses refused within one window, at most {@link #MAX_ADDRESSES};
 * beyond that, refusals are tallied together under one key and never throttled, so a flood from many
 * addresses neither grows the heap nor locks out an address that did nothing.
 */
public final class RefusedConnects {
  public static final long WINDOW_MS = 10_000;
  static final int MAX_ADDRESSES = 65_536;
  static final String OTHER_ADDRESSES = "(other addresses)";

  private static final class Tally {
    final AtomicInteger refusals = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
  }

  private final int failureLimit;
  private volatile Map<String, Tally> window = new ConcurrentHashMap<>();

  /** {@code failureLimit}: failed token checks per address and window before throttling; 0 never throttles. */
  public RefusedConnects(int failureLimit) {
    this.failureLimit = failureLimit;
  }

  /** Whether a CONNECT from {@code address} is refused before its token is checked. */
  boolean throttled(String address) {
    if (failureLimit <= 0 || address == null) {
      return false;
    }
    Tally tally = window.get(address);
    return tally != null && tally.failures.get() >= failureLimit;
  }

  /** A connection from {@code address} was refused with {@code code}: counted, and audited once per window. */
  void refused(String address, String connectionId, ErrorCode code) {
    Map<String, Tally> current = window;
    String key = address == null ? OTHER_ADDRESSES : address;
    if (!current.containsKey(key) && current.size() >= MAX_ADDRESSES) {
      key = OTHER_ADDRESSES;
    }
    Tally tally = current.computeIfAbsent(key, k -> new Tally());
    if (code == ErrorCode.AUTH_FAILED || code == ErrorCode.TOKEN_EXPIRED) {
      tally.failures.incrementAndGet();
    }
    if (tally.refusals.incrementAndGet() == 1) {
      Audit.event("connect.refused", null, null, address, connectionId, code.name());
    }
  }

  /** Ends the window: one audit line per address with refusals beyond its first, then a new window. */
  public void roll() {
    Map<String, Tally> ended = window;
    window = new ConcurrentHashMap<>();
    ended.forEach((address, tally) -> {
      int suppressed = tally.refusals.get() - 1;
      if (suppressed > 0) {
        Audit.suppressed("connect.refused", address, suppressed, WINDOW_MS);
      }
    });
  }
}
