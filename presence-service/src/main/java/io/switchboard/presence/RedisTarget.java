package io.switchboard.presence;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where presence keeps its state: one Redis server ({@code standalone}), a Redis Cluster (any of its
 * nodes; the client learns the slots and follows failovers), or the master that Redis Sentinels name
 * ({@code sentinel}: the URIs are the sentinels'). All presence keys share one hash slot, so on a
 * cluster they live on one master and its replicas (see lua/presence.lua).
 */
public record RedisTarget(Mode mode, List<String> uris, String masterName) {

  public enum Mode { STANDALONE, CLUSTER, SENTINEL }

  public RedisTarget {
    uris = List.copyOf(uris);
    if (uris.isEmpty() || uris.get(0).isEmpty()) {
      throw new IllegalArgumentException("presence-service: " + ConfigKey.REDIS_URL.env() + " names no Redis");
    }
    if (mode == Mode.SENTINEL && (masterName == null || masterName.isBlank())) {
      throw new IllegalArgumentException("presence-service: " + ConfigKey.REDIS_MODE.env() + "=sentinel needs "
          + ConfigKey.REDIS_MASTER_NAME.env());
    }
  }

  /** One standalone server. */
  public static RedisTarget standalone(String uri) {
    return new RedisTarget(Mode.STANDALONE, List.of(uri), "");
  }

  /** A Redis Cluster, known by some of its nodes. */
  public static RedisTarget cluster(String uris) {
    return new RedisTarget(Mode.CLUSTER, split(uris), "");
  }

  /** A standalone URL is taken whole (a password may hold a comma); the others are lists. */
  public static RedisTarget from(Config config) {
    Mode mode = mode(config);
    String url = config.string(ConfigKey.REDIS_URL).trim();
    return new RedisTarget(mode, mode == Mode.STANDALONE ? List.of(url) : split(url),
        config.string(ConfigKey.REDIS_MASTER_NAME).trim());
  }

  static Mode mode(Config config) {
    String mode = config.string(ConfigKey.REDIS_MODE).trim().toUpperCase(Locale.ROOT);
    try {
      return Mode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ConfigKey.REDIS_MODE.env() + " must be standalone, cluster or sentinel, not "
          + config.string(ConfigKey.REDIS_MODE));
    }
  }

  /** Client options; {@code maxPoolSize} connections per server. */
  RedisOptions options(int maxPoolSize) {
    RedisOptions options = new RedisOptions().setMaxPoolSize(maxPoolSize).setMaxPoolWaiting(100);
    uris.forEach(options::addConnectionString);
    return switch (mode) {
      case STANDALONE -> options.setType(RedisClientType.STANDALONE);
      // Presence writes, so it always talks to masters (no reads from replicas, which may lag).
      case CLUSTER -> options.setType(RedisClientType.CLUSTER);
      case SENTINEL -> options.setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER).setMasterName(masterName);
    };
  }

  private static List<String> split(String uris) {
    return Arrays.stream(uris.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
