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
    @DisplayName("the master of presence's slot dies during traffic: its replica takes over, the node re-sends its state, presence converges")
    void masterDiesDuringTraffic() throws IOException {
      try (ServiceHarness service = new ServiceHarness(clusterFixture())) {
        SimulatedGateway gateway = new SimulatedGateway(service, new Node("gw-1"));
        for (int i = 0; i < 20; i++) {
          gateway.step(i);
        }
        assertEquals(gateway.inRoom("lobby"), gateway.online("lobby"), "before the failover");

        int master = cluster.masterOf("{sb}");
        cluster.kill(master);
        long killedAt = System.nanoTime();
        int step = 20;
        int promoted = -1;
        // Traffic goes on while the replica takes over (about 2 s with a 1 s node timeout), and after.
        while (promoted < 0 || gateway.okSince < 10) {
          gateway.pace();
          gateway.step(step++);
          if (promoted < 0 && masterChanged(master)) {
            promoted = cluster.masterOf("{sb}");
          }
          assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(30), "converged within 30 s; " + gateway);
        }
        assertNotEquals(master, promoted);
        assertTrue(gateway.failed > 0, "some requests failed while no master served the slot (else the test proves nothing)");

        Set<String> expected = gateway.inRoom("lobby");
        assertEquals(expected, gateway.online("lobby"), "presence converged to the gateway's state");
        String late = "late-user";
        gateway.connectAndJoin("late-c", late, "lobby");
        service.awaitStatus(s -> s.getString("userId").equals(late) && s.getString("status").equals("online"), 3000);
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

  /**
   * What a gateway node does with presence (as UpdateBatcher and NodeLease do): its own connections
   * are the truth; a failed batch is not replayed but followed by a sync of the whole state, as is a
   * heartbeat answered "unknown".
   */
  static final class SimulatedGateway {
    private final ServiceHarness service;
    private final Node node;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final Map<String, Set<String>> rooms = new LinkedHashMap<>();
    private boolean syncNeeded;
    int failed;
    int okSince;

    SimulatedGateway(ServiceHarness service, Node node) {
      this.service = service;
      this.node = node;
    }

    /**
     * Traffic at about 50 steps a second, as users come and go, rather than as fast as failures come
     * back (a real gateway also backs off before it retries).
     */
    void pace() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Connects a user to the lobby; every third step, the oldest connection closes. */
    void step(int i) {
      connectAndJoin("c" + i, "u" + i, "lobby");
      if (i % 3 == 2) {
        String oldest = users.keySet().iterator().next();
        String user = users.remove(oldest);
        rooms.remove(oldest);
        send(node.batch(disconnected(oldest, user, 1_700_000_000_000L + i)));
      }
      Boolean known = attempt(service.request(Addresses.PRESENCE_HEARTBEAT, new NodeHeartbeat(node.id, PresenceFixture.LEASE_MS)));
      if (Boolean.FALSE.equals(known)) {
        syncNeeded = true;
      }
    }

    void connectAndJoin(String conn, String user, String room) {
      users.put(conn, user);
      rooms.put(conn, new HashSet<>(Set.of(room)));
      send(node.batch(connected(conn, user), joined(conn, user, room)));
    }

    private void send(PresenceBatch batch) {
      if (syncNeeded) {
        List<LiveConnection> live = new ArrayList<>();
        users.forEach((conn, user) -> live.add(new LiveConnection(conn, TENANT, user, 1000, List.copyOf(rooms.get(conn)))));
        if (attempt(service.request(Addresses.PRESENCE_UPDATE, node.sync(live.toArray(LiveConnection[]::new)))) == null) {
          return;
        }
        syncNeeded = false;
      }
      if (attempt(service.request(Addresses.PRESENCE_UPDATE, batch)) == null) {
        syncNeeded = true;
      }
    }

    /** The answer, or null (counted) when the request failed. */
    private <T> T attempt(Future<T> request) {
      try {
        T answer = request.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        okSince++;
        return answer;
      } catch (Exception e) {
        failed++;
        okSince = 0;
        return null;
      }
    }

    Set<String> inRoom(String room) {
      Set<String> in = new HashSet<>();
      users.forEach((conn, user) -> {
        if (rooms.get(conn).contains(room)) {
          in.add(user);
        }
      });
      return in;
    }

    Set<String> online(String room) {
      RoomPresence presence = await(service.request(Addresses.PRESENCE_QUERY, new PresenceQuery(TENANT, room)));
      return new HashSet<>(presence.online());
    }

    @Override
    public String toString() {
      return "gateway: " + users.size() + " connections, " + failed + " failed requests, " + okSince + " answered since";
    }
  }
}
