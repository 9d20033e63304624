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
 * The same jar as separate processes on a Hazelcast-clustered event bus: one process runs
 * message-service and presence-service, another the gateway; Postgres and Redis are external to both.
 */
class ClusteredDeploymentIT {
  private static final long START_TIMEOUT_MS = 180_000;
  private static SwitchboardProcess services;
  private static SwitchboardProcess gateway;

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (services != null) {
      services.close();
    }
  }

  @Test
  @DisplayName("a clustered process without cluster TLS material exits at once, naming the keys to set")
  void refusesWithoutTls() throws Exception {
    Path workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-cluster-no-tls"));
    // A member list where nothing listens: the process must refuse before joining anything.
    SwitchboardProcess bare = SwitchboardProcess.start(workDir, Map.of("SWITCHBOARD_CLUSTER", "true",
        "CLUSTER_MEMBERS", "127.0.0.1:1", "JWT_SECRET", "cluster-test-secret-0123456789abcdef",
        "PORT", String.valueOf(SwitchboardProcess.freePort())), "--services", "gateway");
    try {
      assertEquals(1, bare.awaitExit(START_TIMEOUT_MS));
      assertTrue(bare.output().contains("switchboard: failed to start: config: a clustered process needs TLS material"),
          bare.output());
      for (String key : List.of("CLUSTER_TLS_CA", "CLUSTER_TLS_CERT", "CLUSTER_TLS_KEY")) {
        assertTrue(bare.output().contains(key), key + " is named: " + bare.output());
      }
    } finally {
      bare.close();
    }
  }

  @Test
  @DisplayName("a gateway process and a services process form a cluster, and two users chat through it")
  void chatAcrossClusteredProcesses() throws Exception {
    Path workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-cluster"));
    String secret = "cluster-test-secret-0123456789abcdef";
    // Hazelcast ports of our own, both listed: never the default 5701 range, where a cluster of another
    // test run on the same machine would let our members join it.
    int servicesMember = SwitchboardProcess.freePort();
    int gatewayMember = SwitchboardProcess.freePort();
    Map<String, String> common = new HashMap<>(Map.of(
        "SWITCHBOARD_CLUSTER", "true",
        "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_MEMBERS", "127.0.0.1:" + servicesMember + ",127.0.0.1:" + gatewayMember,
        "JWT_SECRET", secret,
        "SERVICE_TOKEN", "cluster-service-token",
        "PG_URL", TestServers.freshDatabase(),
        "REDIS_URL", TestServers.redisUri()));
    common.putAll(SwitchboardProcess.clusterTls());

    Map<String, String> servicesEnv = new HashMap<>(common);
    servicesEnv.put("MESSAGE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
    servicesEnv.put("PRESENCE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
    servicesEnv.put("CLUSTER_PORT", String.valueOf(servicesMember));
    services = SwitchboardProcess.start(workDir, servicesEnv, "--services", "message,presence");
    services.awaitLog("switchboard: running \\[message, presence\\] \\(clustered\\)", START_TIMEOUT_MS);

    int port = SwitchboardProcess.freePort();
    Map<String, String> gatewayEnv = new HashMap<>(common);
    gatewayEnv.put("PORT", String.valueOf(port));
    gatewayEnv.put("CLUSTER_PORT", String.valueOf(gatewayMember));
    gateway = SwitchboardProcess.start(workDir, gatewayEnv, "--services", "gateway");
    gateway.awaitLog("switchboard: running \\[gateway\\] \\(clustered\\)", START_TIMEOUT_MS);

    JsonObject scenario = NodeScript.run("chat-scenario.mjs", 90_000, "http://127.0.0.1:" + port,
        "cluster-service-token", secret);

    JsonObject ack = scenario.getJsonObject("sendAck");
    assertEquals(true, ack.getBoolean("ok"), ack.encode());
    assertEquals(1L, ack.getLong("seq"));
    JsonArray events = scenario.getJsonArray("bobEvents");
    assertEquals("room-message-created", events.getJsonObject(0).getString("name"));
    assertEquals("room-message-confirmed", events.getJsonObject(1).getString("name"));
    assertEquals(2, scenario.getJsonObject("rejoin").getJsonArray("missed").size());
    assertEquals(2, scenario.getJsonObject("presence").getInteger("count"));
    assertEquals(202, scenario.getInteger("publishAccepted"));

    int gatewayExit = gateway.terminate(60_000);
    int servicesExit = services.terminate(60_000);
    assertTrue(gateway.output().contains("switchboard: stopped"), "the gateway shut down cleanly (exit " + gatewayExit + ")");
    assertTrue(services.output().contains("switchboard: stopped"), "the services shut down cleanly (exit " + servicesExit + ")");
  }
}
