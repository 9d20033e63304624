package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.embedded.EmbeddedRedisCluster;
import io.switchboard.embedded.TestServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Switchboard with presence on a real Redis Cluster (three masters with a replica each, started by
 * the test), clients the official socket.io-client: the master of presence's keys is killed while
 * users chat and connect.
 */
@DisplayName("Redis Cluster: a master's failover during traffic")
class RedisClusterFailoverIT {
  private static final String SECRET = "redis-cluster-secret-0123456789abcdef";
  private static final long EVENT_MS = 10_000;

  private static EmbeddedRedisCluster cluster;
  private static SwitchboardProcess app;
  private static ChatClients clients;
  private static String roomId;

  @BeforeAll
  static void start() throws Exception {
    cluster = EmbeddedRedisCluster.start();
    app = SwitchboardProcess.startSystem("redis-cluster", Map.of("JWT_SECRET", SECRET, "PG_URL", TestServers.freshDatabase(),
        "REDIS_MODE", "cluster", "REDIS_URL", cluster.uris(), "PRESENCE_NODE_LEASE_MS", "3000"));
    clients = ChatClients.start(SECRET);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (clients != null) {
      clients.close();
    }
    if (app != null) {
      app.terminate(60_000);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("the master of presence's slot dies: every message is still delivered, a user connects meanwhile; presence converges and its events flow")
  void masterDiesDuringChat() throws Exception {
    assertTrue(clients.connect("carol", app.url(), "carol").getBoolean("connected"));
    JsonObject created = clients.request("carol", "create-room", new JsonObject().put("name", "failover")
        .put("kind", "group").put("members", new JsonArray(List.of("alice", "bob"))));
    roomId = created.getJsonObject("room").getString("id");
    join("carol");
    assertTrue(clients.connect("bob", app.url(), "bob").getBoolean("connected"));
    join("bob");
    awaitOnline("carol", Set.of("bob", "carol"));

    int master = cluster.masterOf("{sb}");
    cluster.kill(master);
    long killedAt = System.currentTimeMillis();
    List<String> sent = new ArrayList<>();
    boolean aliceIn = false;
    // Chat goes on while the replica takes over, and for a while after.
    while (sent.size() < 10 || !failedOver(master)) {
      String clientMsgId = UUID.randomUUID().toString();
      JsonObject ack = clients.request("carol", "send-message", new JsonObject().put("roomId", roomId)
          .put("clientMsgId", clientMsgId).put("body", "during the failover " + sent.size()));
      assertEquals(true, ack.getBoolean("ok"), ack.encode());
      sent.add(clientMsgId);
      if (!aliceIn) {
        assertTrue(clients.connect("alice", app.url(), "alice").getBoolean("connected"), "connections are admitted");
        join("alice");
        aliceIn = true;
      }
      clients.pause(100);
      assertTrue(System.currentTimeMillis() - killedAt < 30_000, "a replica took over within 30 s");
    }
    for (String clientMsgId : sent) {
      clients.await("bob", "room-message-confirmed", p -> clientMsgId.equals(p.getString("tempId")), EVENT_MS);
    }

    awaitOnline("bob", Set.of("alice", "bob", "carol"));
    clients.close("alice");
    clients.await("bob", "user-status-changed", status("alice", "offline"), EVENT_MS);
    awaitOnline("carol", Set.of("bob", "carol"));
  }

  private static boolean failedOver(int old) {
    try {
      return cluster.masterOf("{sb}") != old;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static void join(String socket) {
    JsonObject ack = clients.request(socket, "join-room", new JsonObject().put("roomId", roomId));
    assertEquals(true, ack.getBoolean("ok"), ack.encode());
  }

  /** Asks again (each ask a round trip) until the room's presence is as expected, at most 15 s. */
  private static void awaitOnline(String socket, Set<String> expected) {
    long deadline = System.currentTimeMillis() + 15_000;
    JsonObject last = null;
    while (System.currentTimeMillis() < deadline) {
      last = clients.request(socket, "get-presence", new JsonObject().put("roomId", roomId));
      if (Boolean.TRUE.equals(last.getBoolean("ok")) && new HashSet<>(last.getJsonArray("online").getList()).equals(expected)) {
        return;
      }
      clients.pause(250);
    }
    throw new AssertionError(socket + " never saw " + expected + "; last answer " + last);
  }

  private static Predicate<JsonObject> status(String user, String status) {
    return p -> user.equals(p.getString("userId")) && status.equals(p.getString("status"));
  }
}
