package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.embedded.EmbeddedRedis;
import io.switchboard.embedded.TempDirs;
import io.switchboard.embedded.TestServers;
import io.switchboard.launcher.ChatClients.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Presence across a real cluster: two gateway processes, two presence-service processes (one beside
 * message-service), one Redis, all separate Hazelcast members; clients are the official
 * socket.io-client. Scenarios run in order on the same cluster: status events, counts, the device
 * limit, typing, a Redis outage, and last a gateway killed with kill -9.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Presence across a cluster of separate processes")
class PresenceClusterIT {
  private static final long START_TIMEOUT_MS = 180_000;
  private static final long LEASE_MS = 3000;
  private static final long EVENT_MS = 10_000;
  /** The crash-cleanup target of the issue; the lease here is shorter, so offline comes sooner. */
  private static final long CRASH_BOUND_MS = 15_000;
  private static final String SECRET = "presence-cluster-secret-0123456789";

  private static SwitchboardProcess services;
  private static SwitchboardProcess presence2;
  private static SwitchboardProcess gateway1;
  private static SwitchboardProcess gateway2;
  private static String url1;
  private static String url2;
  private static ChatClients clients;
  private static String roomId;

  @BeforeAll
  static void startCluster() throws Exception {
    Path workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-presence"));
    int[] hazelcast = {SwitchboardProcess.freePort(), SwitchboardProcess.freePort(), SwitchboardProcess.freePort(),
        SwitchboardProcess.freePort()};
    StringBuilder members = new StringBuilder();
    for (int port : hazelcast) {
      members.append(members.isEmpty() ? "" : ",").append("127.0.0.1:").append(port);
    }
    Map<String, String> common = new HashMap<>(Map.of("SWITCHBOARD_CLUSTER", "true", "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_MEMBERS", members.toString(), "JWT_SECRET", SECRET, "PG_URL", TestServers.freshDatabase(),
        "REDIS_URL", TestServers.redisUri(), "PRESENCE_NODE_LEASE_MS", String.valueOf(LEASE_MS)));
    common.putAll(SwitchboardProcess.clusterTls());

    services = SwitchboardProcess.start(workDir, env(common, hazelcast[0], "MESSAGE_OPS_PORT", "PRESENCE_OPS_PORT"),
        "--services", "message,presence");
    presence2 = SwitchboardProcess.start(workDir, env(common, hazelcast[1], "PRESENCE_OPS_PORT"), "--services", "presence");
    Map<String, String> gateway1Env = env(common, hazelcast[2], "PORT");
    Map<String, String> gateway2Env = env(common, hazelcast[3], "PORT");
    url1 = "http://127.0.0.1:" + gateway1Env.get("PORT");
    url2 = "http://127.0.0.1:" + gateway2Env.get("PORT");
    gateway1 = SwitchboardProcess.start(workDir, gateway1Env, "--services", "gateway");
    gateway2 = SwitchboardProcess.start(workDir, gateway2Env, "--services", "gateway");
    for (SwitchboardProcess p : List.of(services, presence2, gateway1, gateway2)) {
      p.awaitLog("switchboard: running .* \\(clustered\\)", START_TIMEOUT_MS);
    }

    clients = ChatClients.start(SECRET);
    assertTrue(clients.connect("carol", url1, "carol").getBoolean("connected"));
    JsonObject created = clients.request("carol", "create-room", new JsonObject().put("name", "presence")
        .put("kind", "group").put("members", new JsonArray(List.of("alice", "bob", "dave", "eve"))));
    roomId = created.getJsonObject("room").getString("id");
    join("carol");
    assertTrue(clients.connect("bob", url2, "bob").getBoolean("connected"));
    join("bob");
  }

  private static Map<String, String> env(Map<String, String> common, int hazelcastPort, String... freePorts) throws Exception {
    Map<String, String> env = new HashMap<>(common);
    env.put("CLUSTER_PORT", String.valueOf(hazelcastPort));
    for (String key : freePorts) {
      env.put(key, String.valueOf(SwitchboardProcess.freePort()));
    }
    return env;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    EmbeddedRedis redis = System.getenv("SWITCHBOARD_TEST_REDIS_URL") == null ? TestServers.embeddedRedis() : null;
    if (redis != null && !redis.running()) {
      redis.restart();
    }
    if (clients != null) {
      clients.close();
    }
    for (SwitchboardProcess p : new SwitchboardProcess[] {gateway1, gateway2, presence2, services}) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("a user with a device on each node: online once, counts from both nodes, away once both are, closing one device keeps her online, the last sends offline once")
  void statusAcrossNodes() {
    assertTrue(clients.connect("alice1", url1, "alice").getBoolean("connected"));
    JsonObject joined = join("alice1");
    assertEquals(5, joined.getInteger("members"));
    assertEquals(3, joined.getInteger("online"), "alice, bob and carol: " + joined.encode());
    clients.close("alice1");
    for (String observer : List.of("bob", "carol")) {
      Event offline = clients.await(observer, "user-status-changed", status("alice", "offline"), EVENT_MS);
      assertTrue(offline.payload().getString("lastSeen").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), offline.toString());
    }

    assertTrue(clients.connect("alice1", url1, "alice").getBoolean("connected"));
    for (String observer : List.of("bob", "carol")) {
      clients.await(observer, "user-status-changed", status("alice", "online"), EVENT_MS);
    }
    assertTrue(clients.connect("alice2", url2, "alice").getBoolean("connected"));
    assertEquals(3, join("alice2").getInteger("online"));
    join("alice1");
    assertEquals(Set.of("alice", "bob", "carol"), online("carol"));
    assertEquals(Set.of("alice", "bob", "carol"), online("bob"));

    // Away on both nodes' devices: one away event; get-presence (on node 2) lists her away; one device
    // active again brings her back online.
    assertEquals(true, clients.request("alice1", "set-status", new JsonObject().put("status", "away")).getBoolean("ok"));
    assertEquals(true, clients.request("alice2", "set-status", new JsonObject().put("status", "away")).getBoolean("ok"));
    for (String observer : List.of("bob", "carol")) {
      Event away = clients.await(observer, "user-status-changed", status("alice", "away"), EVENT_MS);
      assertEquals(away.payload().getString("lastSeen"), away.payload().getString("awaySince"), away.toString());
    }
    JsonObject presence = clients.request("bob", "get-presence", new JsonObject().put("roomId", roomId));
    assertEquals(List.of("alice"), presence.getJsonArray("away").getList(), presence.encode());
    assertEquals(true, clients.request("alice1", "set-status", new JsonObject().put("status", "online")).getBoolean("ok"));
    for (String observer : List.of("bob", "carol")) {
      awaitCount(observer, status("alice", "online"), 2);
    }

    clients.close("alice1");
    assertEquals(Set.of("alice", "bob", "carol"), online("carol"), "alice is still on node 2 (and node 1's close is applied)");
    clients.close("alice2");
    for (String observer : List.of("bob", "carol")) {
      awaitCount(observer, status("alice", "offline"), 2);
    }
    clients.pause(1000);
    for (String observer : List.of("bob", "carol")) {
      assertEquals(2, clients.count(observer, "user-status-changed", status("alice", "offline")),
          "one offline per time she went away, none when one of her two devices closed");
      assertEquals(2, clients.count(observer, "user-status-changed", status("alice", "online")), "connected, back from away");
      assertEquals(2, clients.count(observer, "user-status-changed", status("alice", "away")),
          "both devices away; then her active device closed, leaving the away one");
    }
    assertEquals(Set.of("bob", "carol"), online("bob"));
  }

  @Test
  @Order(2)
  @DisplayName("a fourth device is refused with USER_CONNECTION_LIMIT, cluster-wide; closing one frees a place")
  void deviceLimit() {
    assertTrue(clients.connect("dave1", url2, "dave").getBoolean("connected"));
    assertTrue(clients.connect("dave2", url2, "dave").getBoolean("connected"));
    assertTrue(clients.connect("dave3", url1, "dave").getBoolean("connected"));
    join("dave1");
    join("dave2");

    JsonObject refused = clients.connect("dave4", url1, "dave");
    assertFalse(refused.getBoolean("connected"));
    assertEquals("USER_CONNECTION_LIMIT", refused.getJsonObject("data").getString("code"), refused.encode());

    clients.close("dave3");
    online("carol");  // node 1 has applied dave3's close
    assertTrue(clients.connect("dave4", url1, "dave").getBoolean("connected"));
    clients.close("dave4");
    online("carol");
  }

  @Test
  @Order(3)
  @DisplayName("typing on node 1 reaches node 2, and ends there about 5 s after the last refresh")
  void typingAcrossNodes() {
    long typedAt = System.currentTimeMillis();
    assertEquals(true, clients.request("carol", "typing", new JsonObject().put("roomId", roomId).put("isTyping", true))
        .getBoolean("ok"));
    clients.await("bob", "user-typing", typing("carol", true), EVENT_MS);
    clients.await("dave1", "user-typing", typing("carol", true), EVENT_MS);

    Event stopped = clients.await("bob", "user-typing", typing("carol", false), EVENT_MS);
    long after = stopped.at() - typedAt;
    assertTrue(after >= 4_500 && after <= 7_000, "isTyping false " + after + " ms after the last refresh");
    assertEquals(0, clients.count("carol", "user-typing", p -> true), "not echoed to the typer");
  }

  @Test
  @Order(4)
  @DisplayName("Redis stopped: messages still flow across nodes, get-presence says UNAVAILABLE, connections are admitted; Redis back: presence converges, events flow")
  void redisOutage() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SWITCHBOARD_TEST_REDIS_URL") == null,
        "needs the embedded Redis, which the test can stop");
    EmbeddedRedis redis = TestServers.embeddedRedis();
    redis.stop();

    String clientMsgId = UUID.randomUUID().toString();
    JsonObject sent = clients.request("carol", "send-message", new JsonObject().put("roomId", roomId)
        .put("clientMsgId", clientMsgId).put("body", "redis is down"));
    assertEquals(true, sent.getBoolean("ok"), sent.encode());
    clients.await("bob", "room-message-confirmed", p -> clientMsgId.equals(p.getString("tempId")), EVENT_MS);
    JsonObject presence = clients.request("bob", "get-presence", new JsonObject().put("roomId", roomId));
    assertEquals("UNAVAILABLE", presence.getJsonObject("error").getString("code"), presence.encode());
    assertTrue(clients.connect("eve", url1, "eve").getBoolean("connected"), "the device limit fails open");
    JsonObject eveJoined = join("eve");
    assertFalse(eveJoined.containsKey("online"), "no count without presence: " + eveJoined.encode());

    redis.restart();
    Set<String> expected = Set.of("bob", "carol", "dave", "eve");
    awaitOnline("bob", expected);
    awaitOnline("carol", expected);
    clients.close("eve");
    clients.await("bob", "user-status-changed", status("eve", "offline"), EVENT_MS);
  }

  @Test
  @Order(5)
  @DisplayName("a gateway killed with kill -9: its users are announced offline on the other node within the bound, once each")
  void gatewayKilled() throws Exception {
    long killedAt = System.currentTimeMillis();
    gateway2.kill(30_000);

    Event bob = clients.await("carol", "user-status-changed", status("bob", "offline"), CRASH_BOUND_MS);
    Event dave = clients.await("carol", "user-status-changed", status("dave", "offline"), CRASH_BOUND_MS);
    assertTrue(bob.at() - killedAt < CRASH_BOUND_MS, "bob offline after " + (bob.at() - killedAt) + " ms");
    assertTrue(dave.at() - killedAt < CRASH_BOUND_MS, "dave offline after " + (dave.at() - killedAt) + " ms");
    assertEquals(Set.of("carol"), online("carol"));
    // Two presence-service instances reap every second: give a duplicate the time to show up.
    clients.pause(2000);
    assertEquals(1, clients.count("carol", "user-status-changed", status("dave", "offline")));
    assertEquals(1, clients.count("carol", "user-status-changed", status("bob", "offline")));
  }

  private static JsonObject join(String socket) {
    JsonObject ack = clients.request(socket, "join-room", new JsonObject().put("roomId", roomId));
    assertEquals(true, ack.getBoolean("ok"), ack.encode());
    return ack;
  }

  private static Set<String> online(String socket) {
    JsonObject ack = clients.request(socket, "get-presence", new JsonObject().put("roomId", roomId));
    assertEquals(true, ack.getBoolean("ok"), ack.encode());
    Set<String> users = new HashSet<>();
    ack.getJsonArray("online").forEach(u -> users.add((String) u));
    assertEquals(users.size(), ack.getInteger("count"));
    return users;
  }

  /** Asks again (each ask a round trip) until the room's presence is as expected, at most 15 s. */
  private static void awaitOnline(String socket, Set<String> expected) {
    long deadline = System.currentTimeMillis() + 15_000;
    JsonObject last = null;
    while (System.currentTimeMillis() < deadline) {
      last = clients.request(socket, "get-presence", new JsonObject().put("roomId", roomId));
      if (Boolean.TRUE.equals(last.getBoolean("ok"))
          && new HashSet<>(last.getJsonArray("online").getList()).equals(expected)) {
        return;
      }
      clients.pause(250);
    }
    throw new AssertionError(socket + " never saw " + expected + "; last answer " + last);
  }

  private static void awaitCount(String socket, Predicate<JsonObject> matches, long count) {
    long deadline = System.currentTimeMillis() + EVENT_MS;
    while (clients.count(socket, "user-status-changed", matches) < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(socket + " did not receive " + count + " matching user-status-changed");
      }
      clients.pause(100);
    }
  }

  private static Predicate<JsonObject> status(String user, String status) {
    return p -> user.equals(p.getString("userId")) && status.equals(p.getString("status"));
  }

  private static Predicate<JsonObject> typing(String user, boolean isTyping) {
    return p -> roomId.equals(p.getString("roomId")) && user.equals(p.getString("userId"))
        && Boolean.valueOf(isTyping).equals(p.getBoolean("isTyping"));
  }
}
