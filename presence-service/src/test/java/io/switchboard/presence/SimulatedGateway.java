package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.TENANT;
import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.disconnected;
import static io.switchboard.presence.PresenceFixture.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceBatch.LiveConnection;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.presence.PresenceFixture.Node;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a gateway node does with presence (as UpdateBatcher and NodeLease do): its own connections
 * are the truth; a failed batch is not replayed but followed by a sync of the whole state, as is a
 * heartbeat answered "unknown".
 */
final class SimulatedGateway {
  private final ServiceHarness service;
  private final Node node;
  private final Map<String, String> users = new LinkedHashMap<>();
  private final Map<String, Set<String>> rooms = new LinkedHashMap<>();
  private boolean syncNeeded;
  int failed;
  int okSince;
  /** Heartbeats answered "node unknown". */
  int unknown;

  interface Kill {
    void run() throws IOException;
  }

  /**
   * The failover scenario: a gateway's traffic, the master of presence's keys killed in its midst,
   * traffic going on until {@code failedOver} and ten answered requests after; then presence must
   * hold exactly the gateway's state, and announce a user who connects. {@code outage}: requests
   * must fail meanwhile (a death; a manual failover loses nothing and may fail nothing).
   */
  static void survivesFailover(ServiceHarness service, Kill kill, BooleanSupplier failedOver, boolean outage)
      throws IOException {
    SimulatedGateway gateway = new SimulatedGateway(service, new Node("gw-" + UUID.randomUUID()));
    for (int i = 0; i < 20; i++) {
      gateway.step(i);
    }
    assertEquals(gateway.inRoom(gateway.lobby()), gateway.online(gateway.lobby()), "before the failover");

    kill.run();
    long killedAt = System.nanoTime();
    int step = 20;
    boolean promoted = false;
    // Traffic goes on while the replica takes over (a few seconds with a 1 s timeout), and after.
    while (!promoted || gateway.okSince < 10) {
      gateway.pace();
      gateway.step(step++);
      promoted = promoted || failedOver.getAsBoolean();
      assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(30), "converged within 30 s; " + gateway);
    }
    if (outage) {
      assertTrue(gateway.failed > 0, "some requests failed while no master served presence (else the test proves nothing)");
      assertTrue(gateway.unknown > 0, "after the failure presence asked the node for its state (the promoted replica may lack writes)");
    }

    assertEquals(gateway.inRoom(gateway.lobby()), gateway.online(gateway.lobby()), "presence converged to the gateway's state");
    String late = "late-" + gateway.node.id;
    gateway.connectAndJoin(late, late, gateway.lobby());
    service.awaitStatus(s -> s.getString("userId").equals(late) && s.getString("status").equals("online"), 3000);
  }

  SimulatedGateway(ServiceHarness service, Node node) {
    this.service = service;
    this.node = node;
  }

  /** The room its users join: one per gateway, so that scenarios on one store do not mix. */
  String lobby() {
    return "lobby-" + node.id;
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
    connectAndJoin(node.id + "-c" + i, node.id + "-u" + i, lobby());
    if (i % 3 == 2) {
      String oldest = users.keySet().iterator().next();
      String user = users.remove(oldest);
      rooms.remove(oldest);
      send(node.batch(disconnected(oldest, user, 1_700_000_000_000L + i)));
    }
    Boolean known = attempt(service.request(Addresses.PRESENCE_HEARTBEAT, new NodeHeartbeat(node.id, PresenceFixture.LEASE_MS)));
    if (Boolean.FALSE.equals(known)) {
      unknown++;
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
      users.forEach((conn, user) -> live.add(new LiveConnection(conn, TENANT, user, 1000, List.copyOf(rooms.get(conn)), 0)));
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
