package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.embedded.TempDirs;
import io.switchboard.embedded.TestServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Members and roles across two gateways (docs/protocol.md, "Membership and roles"): one process runs
 * message-service and presence-service, two others a gateway each, on a Hazelcast-clustered event
 * bus; the official socket.io-client drives them (membership-scenario.mjs).
 */
class RoomMembershipClusterIT {
  private static final long START_TIMEOUT_MS = 180_000;
  private static final String SECRET = "membership-test-secret-0123456789abcdef";
  private static final List<SwitchboardProcess> PROCESSES = new java.util.ArrayList<>();

  @AfterAll
  static void stop() {
    for (int i = PROCESSES.size() - 1; i >= 0; i--) {
      PROCESSES.get(i).close();
    }
  }

  private static SwitchboardProcess start(Path workDir, Map<String, String> env, String services, String running)
      throws Exception {
    SwitchboardProcess process = SwitchboardProcess.start(workDir, env, "--services", services);
    PROCESSES.add(process);
    process.awaitLog("switchboard: running \\[" + running + "\\] \\(clustered\\)", START_TIMEOUT_MS);
    return process;
  }

  @Test
  @DisplayName("an added user's devices on the other gateway hear it; a removed member's devices on both gateways get the removal, then leave the room; the others go on")
  void membershipAcrossGateways() throws Exception {
    Path workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-membership"));
    int servicesMember = SwitchboardProcess.freePort();
    int gatewayA = SwitchboardProcess.freePort();
    int gatewayB = SwitchboardProcess.freePort();
    Map<String, String> common = new HashMap<>(Map.of(
        "SWITCHBOARD_CLUSTER", "true",
        "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_MEMBERS", "127.0.0.1:" + servicesMember + ",127.0.0.1:" + gatewayA + ",127.0.0.1:" + gatewayB,
        "JWT_SECRET", SECRET,
        "PG_URL", TestServers.freshDatabase(),
        "REDIS_URL", TestServers.redisUri()));
    common.putAll(SwitchboardProcess.clusterTls());

    Map<String, String> services = new HashMap<>(common);
    services.put("MESSAGE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
    services.put("PRESENCE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
    services.put("CLUSTER_PORT", String.valueOf(servicesMember));
    start(workDir, services, "message,presence", "message, presence");
    String[] urls = new String[2];
    int[] members = {gatewayA, gatewayB};
    for (int i = 0; i < 2; i++) {
      int port = SwitchboardProcess.freePort();
      Map<String, String> gateway = new HashMap<>(common);
      gateway.put("PORT", String.valueOf(port));
      gateway.put("GATEWAY_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
      gateway.put("CLUSTER_PORT", String.valueOf(members[i]));
      start(workDir, gateway, "gateway", "gateway");
      urls[i] = "http://127.0.0.1:" + port;
    }

    JsonObject run = NodeScript.run("membership-scenario.mjs", 90_000, urls[0], urls[1], SECRET);

    assertEquals(1L, run.getJsonObject("addAck").getLong("seq"), run.encode());
    assertEquals(1L, run.getJsonObject("danTold").getLong("seq"), "told through his private room on the other gateway");
    assertTrue(run.getJsonObject("danJoin").getBoolean("ok"), "and able to join");
    assertEquals(3L, run.getJsonObject("removeAck").getLong("seq"));
    for (Object event : run.getJsonArray("removedEvents")) {
      assertEquals("removed", ((JsonObject) event).getString("reason"));
    }
    assertEquals(4L, run.getJsonObject("sendAck").getLong("seq"), "seq without gaps: three changes, then the message");
    JsonObject seen = run.getJsonObject("seen");
    JsonArray bob = new JsonArray(List.of("room-member-added 1", "room-member-role-changed 2", "room-member-removed 3"));
    assertEquals(bob, seen.getJsonArray("bobPhone"), "gateway A: the removal, then nothing more of the room");
    assertEquals(bob, seen.getJsonArray("bobLaptop"), "gateway B: the same");
    // The seq order is promised for the events with a seq; the optimistic copy comes from the sender's
    // gateway by another path and may arrive before or after the confirmation (protocol.md section 5).
    List<String> sequenced = List.of("room-member-added 1", "room-member-role-changed 2", "room-member-removed 3", "confirmed 4");
    for (String member : List.of("carol", "dan")) {
      List<String> lines = seen.getJsonArray(member).stream().map(String::valueOf).toList();
      assertEquals(sequenced, lines.stream().filter(l -> !l.startsWith("created")).toList(), member + ": in seq order");
      assertEquals(List.of("created after bob"), lines.stream().filter(l -> l.startsWith("created")).toList(), member);
    }
    assertEquals("FORBIDDEN", run.getJsonObject("bobTyping").getJsonObject("error").getString("code"), "out of the room");
    assertEquals("FORBIDDEN", run.getJsonObject("bobJoin").getJsonObject("error").getString("code"), "not a member");
    assertEquals(3, run.getJsonObject("members").getJsonArray("members").size());
  }
}
