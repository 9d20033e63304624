package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.disconnected;
import static io.switchboard.presence.PresenceFixture.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.switchboard.presence.PresenceFixture.Node;
import io.switchboard.presence.PresenceStore.ReapOutcome;
import io.switchboard.presence.StatusChange.Status;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Exactly once: several presence-service instances never announce a transition twice")
class ExactlyOnceTest {
  private final PresenceFixture fixture = fixture();

  /** The test Redis server; {@link RedisClusterTest} runs these tests on a cluster. */
  PresenceFixture fixture() {
    return new PresenceFixture();
  }

  private final RedisPresenceStore instanceA = fixture.store();
  private final RedisPresenceStore instanceB = fixture.store();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  @DisplayName("a user's two devices closing at once on two nodes, through two instances, make exactly one offline")
  void concurrentLastDisconnects() {
    Node node1 = new Node("node-1");
    Node node2 = new Node("node-2");
    for (int round = 0; round < 20; round++) {
      String a = "a" + round;
      String b = "b" + round;
      await(instanceA.apply(node1.batch(connected(a, "alice"))));
      await(instanceB.apply(node2.batch(connected(b, "alice"))));

      Future<PresenceStore.BatchOutcome> one = instanceA.apply(node1.batch(disconnected(a, "alice", 2000)));
      Future<PresenceStore.BatchOutcome> two = instanceB.apply(node2.batch(disconnected(b, "alice", 2000)));
      long offline = Stream.of(await(one), await(two)).flatMap(o -> o.changes().stream())
          .filter(c -> c.status() == Status.OFFLINE).count();

      assertEquals(1, offline, "round " + round);
    }
  }

  @Test
  @DisplayName("two instances reaping the same dead node remove each connection once and announce each user offline once")
  void concurrentReapers() {
    fixture.now.set(System.currentTimeMillis());
    Node dead = new Node("dead");
    Node alive = new Node("alive");
    var updates = new java.util.ArrayList<io.switchboard.common.presence.PresenceUpdate>();
    for (int i = 0; i < 1500; i++) {
      updates.add(connected("d" + i, "user" + (i % 500)));
      updates.add(joined("d" + i, "user" + (i % 500), "room" + (i % 7)));
    }
    await(instanceA.apply(dead.batch(1, updates.toArray(io.switchboard.common.presence.PresenceUpdate[]::new))));
    await(instanceA.apply(alive.batch(connected("x1", "user1"), joined("x1", "user1", "room1"))));
    awaitLeaseExpiry();

    List<ReapOutcome> outcomes = reapUntilDone(List.of(instanceA, instanceB));

    int reaped = outcomes.stream().mapToInt(ReapOutcome::reaped).sum();
    Map<String, Long> offline = outcomes.stream().flatMap(o -> o.changes().stream())
        .collect(Collectors.groupingBy(StatusChange::userId, Collectors.counting()));
    assertEquals(1500, reaped);
    assertEquals(499, offline.size(), "user1 is still online on the live node");
    assertFalse(offline.containsKey("user1"));
    assertEquals(List.of(1L), offline.values().stream().distinct().toList(), "one offline per user");
    assertEquals(List.of("user1"), await(instanceA.online(PresenceFixture.TENANT, "room1")).online(), "the dead node's users left the room");
  }

  /** The dead node's lease was 1 ms; Redis expires it on its own clock. */
  private void awaitLeaseExpiry() {
    fixture.awaitGone("{sb}:alive:dead");
  }

  /** Both instances reap concurrently, round after round, until neither finds more. */
  private static List<ReapOutcome> reapUntilDone(List<RedisPresenceStore> instances) {
    var all = new java.util.ArrayList<ReapOutcome>();
    boolean more = true;
    while (more) {
      List<ReapOutcome> round = instances.stream().map(s -> s.reap(400)).toList().stream()
          .map(PresenceFixture::await).toList();
      all.addAll(round);
      more = round.stream().anyMatch(ReapOutcome::more);
    }
    return all;
  }
}
