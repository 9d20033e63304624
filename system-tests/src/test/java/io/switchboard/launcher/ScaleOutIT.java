package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.launcher.ScaleCluster.Role;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scaled-out layout as separate processes: three gateways behind a load balancer, two
 * message-services, two presence-services, one Hazelcast cluster; many official Socket.IO clients
 * (resilient-client.mjs) in shared rooms. One cluster serves every test; each test starts with every
 * member running (what a test killed is started again) and uses rooms and users of its own.
 */
class ScaleOutIT {
  private static final long SCENARIO_TIMEOUT_MS = 150_000;
  private static ScaleCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    // Gateways drain over 1 s instead of 5; message-service lanes gather a batch for 50 ms, so that
    // an instance killed while messages stream has a batch in hand. Gateways wait up to 1 s for a
    // missing seq instead of 150 ms: on a shared machine a freshly started message-service can take
    // longer than 150 ms to announce a commit, and the first test asserts the order itself.
    cluster = ScaleCluster.start(3, 2, 2, Map.of("DRAIN_SPREAD_MS", "1000", "PERSIST_BATCH_WINDOW_MS", "50",
        "REORDER_WINDOW_MS", "1000"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void everyMemberRunning() throws Exception {
    cluster.ensureAllRunning();
  }

  @Test
  @DisplayName("clients spread over three gateways share rooms written by two message-services: each receives every other member's message once, optimistic then confirmed, the confirmations of each room in seq order, and holds every room in seq order")
  void fanOutAcrossGateways() throws Exception {
    JsonObject options = new JsonObject().put("prefix", "fanout").put("clients", 18).put("rooms", 3)
        .put("roomsPerClient", 2).put("intervalMs", 150).put("messagesPerClient", 10);
    ChatRun run;
    try (NodeScript.Running scenario = NodeScript.start("resilience-scenario.mjs", cluster.url(), ScaleCluster.JWT_SECRET,
        options.encode())) {
      scenario.awaitPhase("ready", SCENARIO_TIMEOUT_MS);
      Map<String, Integer> spread = cluster.balancer().open();
      cluster.names(Role.GATEWAY).forEach(g -> assertTrue(spread.getOrDefault(g, 0) >= 3,
          "the balancer spread the clients over every gateway: " + spread));
      run = new ChatRun(scenario.result(SCENARIO_TIMEOUT_MS)).save("fanout");
    }
    System.out.println("fan-out: " + run.summary() + " " + reordering());
    run.assertDurableExactlyOnce();
    assertEquals(180, run.sends().size());
    assertEquals(0, run.failedSends().size(), "no send failed");
    run.assertLiveDeliveryExactlyOnce();
    assertEquals(List.of(), run.confirmationsOutOfOrder(),
        "each client received each room's confirmations in strictly increasing seq order");
    run.assertEveryClientCaughtUp();
    assertEquals(List.of(), run.gapFills(), "no gap was left for the client to fill");
    assertEquals(0, run.clientsDisconnected(), "nobody was disconnected");
  }

  @Test
  @DisplayName("a gateway killed with SIGKILL while messages stream: its clients reconnect through the balancer to the others, rejoin with sinceSeq, and every client ends holding every durable message once; no acked message is missing")
  void gatewayKilled() throws Exception {
    ChatRun run;
    int clientsOnVictim;
    try (NodeScript.Running scenario = streaming("gwkill")) {
      JsonObject flowing = scenario.awaitPhase("flowing", SCENARIO_TIMEOUT_MS);
      String victim = busiest(Role.GATEWAY);
      clientsOnVictim = cluster.balancer().open().get(victim);
      cluster.kill(victim);
      cluster.awaitRouting();
      scenario.awaitAcked(flowing.getInteger("acked") + 150, SCENARIO_TIMEOUT_MS);
      scenario.tell("stop");
      run = new ChatRun(scenario.result(SCENARIO_TIMEOUT_MS)).save("gwkill");
    }
    System.out.println("gateway killed: " + run.summary());
    assertTrue(clientsOnVictim > 0, "the killed gateway had clients");
    assertTrue(run.clientsDisconnected() >= clientsOnVictim - 1,
        "the killed gateway's clients lost their connection (" + run.clientsDisconnected() + " of " + clientsOnVictim + ")");
    run.assertDurableExactlyOnce();
    assertEquals(List.of(), run.failedSends(), "every send was acknowledged in the end");
    run.assertEveryClientCaughtUp();
    assertEquals(List.of(), run.gapFills(), "rejoining with sinceSeq recovered everything; no gap was left for the client to fill");
  }

  @Test
  @DisplayName("a message-service instance killed with SIGKILL while it holds a batch and messages stream: sends it held are retried with the same clientMsgId and acknowledged once, none lost, none stored twice")
  void messageServiceKilled() throws Exception {
    ChatRun run;
    try (NodeScript.Running scenario = streaming("msgkill")) {
      JsonObject flowing = scenario.awaitPhase("flowing", SCENARIO_TIMEOUT_MS);
      Blocking.await(cluster.whenMetric("message-1", "switchboard_persist_pending", pending -> pending > 0, 30_000),
          31_000, "a batch in hand at message-1");
      cluster.kill("message-1");
      scenario.awaitAcked(flowing.getInteger("acked") + 150, SCENARIO_TIMEOUT_MS);
      scenario.tell("stop");
      run = new ChatRun(scenario.result(SCENARIO_TIMEOUT_MS)).save("msgkill");
    }
    System.out.println("message-service killed: " + run.summary());
    assertTrue(run.sends().stream().anyMatch(s -> s.getInteger("attempts") > 1),
        "some sends were in flight at the killed instance and had to be sent again");
    run.assertDurableExactlyOnce();
    assertEquals(List.of(), run.failedSends(), "every send was acknowledged in the end");
    run.assertEveryClientCaughtUp();
    assertEquals(0, run.clientsDisconnected(), "no client was disconnected");
  }

  @Test
  @DisplayName("a rolling restart, one process at a time with SIGTERM (gateways, then message-services, then presence-services), during traffic: no durable message lost, every client ends connected and caught up")
  void rollingRestart() throws Exception {
    ChatRun run;
    try (NodeScript.Running scenario = streaming("rolling")) {
      JsonObject progress = scenario.awaitPhase("flowing", SCENARIO_TIMEOUT_MS);
      List<String> order = new java.util.ArrayList<>(cluster.names(Role.GATEWAY));
      order.addAll(cluster.names(Role.MESSAGE));
      order.addAll(cluster.names(Role.PRESENCE));
      for (String name : order) {
        int exit = cluster.terminate(name);
        assertTrue(cluster.process(name).output().contains("switchboard: stopped"), name + " stopped gracefully (exit " + exit + ")");
        cluster.restart(name);
        cluster.awaitRouting();
        progress = scenario.awaitAcked(progress.getInteger("acked") + 30, SCENARIO_TIMEOUT_MS);
      }
      scenario.tell("stop");
      run = new ChatRun(scenario.result(SCENARIO_TIMEOUT_MS)).save("rolling");
    }
    System.out.println("rolling restart: " + run.summary());
    run.assertDurableExactlyOnce();
    assertEquals(List.of(), run.failedSends(), "every send was acknowledged in the end");
    run.assertEveryClientCaughtUp();
    assertEquals(List.of(), run.gapFills(), "rejoining with sinceSeq recovered everything; no gap was left for the client to fill");
    assertTrue(run.clientsDisconnected() > 0, "the gateways' restarts moved clients");
    for (JsonObject client : run.clients()) {
      assertEquals(List.of(), client.getJsonArray("disconnects").stream().filter(r -> !"transport close".equals(r)).toList(),
          client.getString("name") + ": a draining gateway closes the transport, it does not disconnect the socket");
    }
  }

  /** What the gateways' reorder stages did so far, summed over the gateways, for the test log. */
  private static String reordering() {
    double held = 0;
    double gaps = 0;
    for (String gateway : cluster.names(Role.GATEWAY)) {
      held += cluster.metric(gateway, "switchboard_gateway_reorder_held_total");
      gaps += cluster.metric(gateway, "switchboard_gateway_reorder_gaps_total");
    }
    return "reorder(held/gapsGivenUp)=" + (long) held + "/" + (long) gaps;
  }

  /** A scenario whose clients send until told to stop. */
  private static NodeScript.Running streaming(String prefix) throws java.io.IOException {
    JsonObject options = new JsonObject().put("prefix", prefix).put("clients", 18).put("rooms", 3)
        .put("roomsPerClient", 2).put("intervalMs", 500).put("maxInFlight", 2).put("settleMs", 30_000);
    return NodeScript.start("resilience-scenario.mjs", cluster.url(), ScaleCluster.JWT_SECRET, options.encode());
  }

  /** The member of that role with the most connections through the balancer. */
  private static String busiest(Role role) {
    Map<String, Integer> open = cluster.balancer().open();
    return cluster.names(role).stream().max(java.util.Comparator.comparing(n -> open.getOrDefault(n, 0))).orElseThrow();
  }
}
