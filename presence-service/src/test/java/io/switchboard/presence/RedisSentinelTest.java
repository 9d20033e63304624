package io.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.switchboard.embedded.EmbeddedRedisSentinel;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;

/** Presence on the master a Redis Sentinel names (a master, its replica, one sentinel), started once for the class. */
@DisplayName("Redis Sentinel: presence follows the master the sentinel names")
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class RedisSentinelTest {
  private static EmbeddedRedisSentinel redis;

  @BeforeAll
  static void start() throws IOException {
    redis = EmbeddedRedisSentinel.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  static PresenceFixture sentinelFixture() {
    return new PresenceFixture(new RedisTarget(RedisTarget.Mode.SENTINEL, List.of(redis.sentinelUri()),
        EmbeddedRedisSentinel.MASTER_NAME));
  }

  @Nested
  @Order(1)
  @DisplayName("through the sentinel: presence-service on the event bus")
  class Service extends PresenceServiceTest {
    @Override
    ServiceHarness service() {
      return new ServiceHarness(sentinelFixture());
    }
  }

  @Nested
  @Order(2)
  @DisplayName("through the sentinel: failover")
  class Failover {
    @Test
    @DisplayName("the master dies during traffic: the sentinel promotes the replica, the node re-sends its state, presence converges")
    void masterDiesDuringTraffic() throws IOException {
      try (ServiceHarness service = new ServiceHarness(sentinelFixture())) {
        int master = redis.masterPort();
        SimulatedGateway.survivesFailover(service, redis::killMaster, () -> masterChanged(master), true);
        assertNotEquals(master, redis.masterPort());
      }
    }

    private boolean masterChanged(int old) {
      try {
        return redis.masterPort() != old;
      } catch (IllegalStateException e) {
        return false;
      }
    }
  }
}
