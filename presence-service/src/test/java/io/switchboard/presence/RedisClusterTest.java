package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.TENANT;
import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.disconnected;
import static io.switchboard.presence.PresenceFixture.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceBatch.LiveConnection;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.PresenceUpdate;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.embedded.EmbeddedRedisCluster;
import io.switchboard.presence.PresenceFixture.Node;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;

/**
 * Presence on a real Redis Cluster of three masters with a replica each, started once for the class:
 * the standalone tests again, the key layout (one slot), and a master's death during traffic.
 */
@DisplayName("Redis Cluster: presence on three masters with a replica each")
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class RedisClusterTest {
  private static EmbeddedRedisCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = EmbeddedRedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static PresenceFixture clusterFixture() {
    return new PresenceFixture(RedisTarget.cluster(cluster.uris()));
  }

  @Nested
  @Order(1)
  @DisplayName("on the cluster: presence-service on the event bus")
  class Service extends PresenceServiceTest {
    @Override
    ServiceHarness service() {
      return new ServiceHarness(clusterFixture());
    }
  }

  @Nested
  @Order(1)
  @DisplayName("on the cluster: status transitions")
  class Transitions extends StatusTransitionsTest {
    @Override
    PresenceFixture fixture() {
      return clusterFixture();
    }
  }

  @Nested
  @Order(1)
  @DisplayName("on the cluster: device limit")
  class Limit extends ConnectionLimitTest {
    @Override
    PresenceFixture fixture() {
      return clusterFixture();
    }
  }

  @Nested
  @Order(1)
  @DisplayName("on the cluster: exactly once")
  class Once extends ExactlyOnceTest {
    @Override
    PresenceFixture fixture() {
      return clusterFixture();
    }
  }

  @Nested
  @Order(1)
  @DisplayName("on the cluster: batch ordering")
  class Ordering extends BatchOrderingTest {
    @Override
    PresenceFixture fixture() {
      return clusterFixture();
    }
  }

  @Nested
  @Order(2)
  @DisplayName("on the cluster: key layout")
  class Layout {
    @Test
    @DisplayName("every key presence writes, for any tenant, user, room and node, is on the one master of {sb}'s slot")
    void oneSlot() {
      try (PresenceFixture fixture = clusterFixture()) {
        RedisPresenceStore store = fixture.store();
        List<PresenceUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          updates.add(connected("c" + i, "user" + i));
          updates.add(joined("c" + i, "user" + i, "room" + (i % 7)));
        }
        await(store.apply(new Node("node-a").batch(updates.toArray(PresenceUpdate[]::new))));
        await(store.admit(new io.switchboard.common.presence.AdmitRequest("other-tenant", "zoe", "z1", 3)));

        int home = cluster.masterOf("{sb}");
        long keys = 0;
        for (int port : cluster.ports()) {
          String role = EmbeddedRedisCluster.command(port, "ROLE") instanceof List<?> r ? r.get(0).toString() : "";
          if (role.equals("master")) {
            long size = Long.parseLong(EmbeddedRedisCluster.command(port, "DBSIZE").toString());
            if (port == home) {
              keys = size;
            } else {
              assertEquals(0, size, "master " + port + " holds no presence key");
            }
          }
        }
        assertTrue(keys > 60, "the home master holds them all: " + keys);
      }
    }
  }

  @Nested
  @Order(3)
  @DisplayName("on the cluster: failover")
  class Failover {
    @Test
    @DisplayName("a manual failover (maintenance) moves the slot under open connections; then the new master dies during traffic: its replica takes over, the node re-sends its state, presence converges")
    void masterDiesDuringTraffic() throws IOException {
      try (ServiceHarness service = new ServiceHarness(clusterFixture())) {
        int first = cluster.masterOf("{sb}");
        SimulatedGateway.survivesFailover(service, () -> cluster.manualFailover("{sb}"), () -> true, false);
        int master = cluster.masterOf("{sb}");
        assertNotEquals(first, master);
        SimulatedGateway.survivesFailover(service, () -> cluster.kill(master), () -> masterChanged(master), true);
        assertEquals(first, cluster.masterOf("{sb}"), "the old master, now its replica, took over again");
      }
    }

    private boolean masterChanged(int old) {
      try {
        return cluster.masterOf("{sb}") != old;
      } catch (IllegalStateException e) {
        return false;
      }
    }
  }
}
