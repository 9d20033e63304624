package io.switchboard.presence;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;

/**
 * What presence-service needs from the configuration, checked once at start. {@code nodeLeaseMs} is
 * the gateways' lease: after Redis was unreachable the reaper waits half of it, so live gateways renew
 * before any lease that ran out during the outage is taken for a crash.
 */
public record PresenceConfig(RedisTarget redis, String opsHost, int opsPort, long nodeLeaseMs, int statusRoomOnlineMax,
    String adminToken) {

  public static PresenceConfig from(Config config) {
    if (!config.isSet(ConfigKey.REDIS_URL)) {
      throw new IllegalArgumentException("presence-service: " + ConfigKey.REDIS_URL.env()
          + " is required (the launcher sets it to the embedded Redis in dev mode)");
    }
    return new PresenceConfig(RedisTarget.from(config), config.string(ConfigKey.HTTP_HOST),
        config.integer(ConfigKey.PRESENCE_OPS_PORT), config.longValue(ConfigKey.PRESENCE_NODE_LEASE_MS),
        config.integer(ConfigKey.PRESENCE_STATUS_ROOM_ONLINE_MAX),
        config.string(ConfigKey.ADMIN_TOKEN));
  }
}
