package io.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("REDIS_MODE, REDIS_URL and REDIS_MASTER_NAME: where presence keeps its state")
class RedisTargetTest {

  private static Config config(String mode, String url, String master) {
    return Config.defaults().with(ConfigKey.REDIS_MODE, mode).with(ConfigKey.REDIS_URL, url)
        .with(ConfigKey.REDIS_MASTER_NAME, master);
  }

  @Test
  @DisplayName("cluster: every listed node is a seed of the cluster client; sentinel: the sentinels and the master's name")
  void modes() {
    RedisOptions cluster = RedisTarget.from(config("cluster", "redis://a:7000, redis://b:7001", "")).options(2);
    assertEquals(RedisClientType.CLUSTER, cluster.getType());
    assertEquals(List.of("redis://a:7000", "redis://b:7001"), cluster.getEndpoints());

    RedisOptions sentinel = RedisTarget.from(config("Sentinel", "redis://s1:26379,redis://s2:26379", "mymaster")).options(2);
    assertEquals(RedisClientType.SENTINEL, sentinel.getType());
    assertEquals(RedisRole.MASTER, sentinel.getRole());
    assertEquals("mymaster", sentinel.getMasterName());

    assertEquals(RedisClientType.STANDALONE, RedisTarget.from(config("standalone", "redis://h:6379", "")).options(2).getType());
  }

  @Test
  @DisplayName("an unknown mode or sentinel without a master name refuse to start; a standalone URL is taken whole")
  void refusals() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisTarget.from(config("shards", "redis://h:6379", "")))
        .getMessage().contains("REDIS_MODE must be standalone, cluster or sentinel"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisTarget.from(config("sentinel", "redis://s:26379", "")))
        .getMessage().contains("REDIS_MASTER_NAME"));
    assertEquals(List.of("redis://:pass,word@h:6379"),
        RedisTarget.from(config("standalone", "redis://:pass,word@h:6379", "")).uris());
  }
}
