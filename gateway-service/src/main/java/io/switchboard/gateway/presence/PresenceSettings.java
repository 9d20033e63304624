package io.switchboard.gateway.presence;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;

/**
 * The gateway's presence settings: the device limit per user (0: none), the node's lease in
 * presence, how long to wait for presence-service, and how long a typing indicator lasts without a
 * refresh (5 s, the contract's value).
 */
public record PresenceSettings(int connectionsPerUser, long nodeLeaseMs, long timeoutMs, long typingExpiryMs) {
  public static final long TYPING_EXPIRY_MS = 5000;
  private static final long MIN_LEASE_MS = 300;

  public PresenceSettings {
    if (nodeLeaseMs < MIN_LEASE_MS) {
      throw new IllegalArgumentException("presence: " + ConfigKey.PRESENCE_NODE_LEASE_MS.env() + " must be at least "
          + MIN_LEASE_MS + " ms");
    }
  }

  public static PresenceSettings from(Config config) {
    return new PresenceSettings(config.integer(ConfigKey.MAX_CONNECTIONS_PER_USER),
        config.longValue(ConfigKey.PRESENCE_NODE_LEASE_MS), config.longValue(ConfigKey.PRESENCE_TIMEOUT_MS), TYPING_EXPIRY_MS);
  }
}
