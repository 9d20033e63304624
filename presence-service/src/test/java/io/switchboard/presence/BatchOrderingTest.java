package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.disconnected;
import static io.switchboard.presence.PresenceFixture.joined;
import static io.switchboard.presence.PresenceFixture.live;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.presence.PresenceFixture.Node;
import io.switchboard.presence.PresenceStore.BatchOutcome;
import io.switchboard.presence.StatusChange.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batches: applied once, in order, and a sync replaces a node's state")
class BatchOrderingTest {
  private final PresenceFixture fixture = fixture();

  /** The test Redis server; {@link RedisClusterTest} runs these tests on a cluster. */
  PresenceFixture fixture() {
    return new PresenceFixture();
  }

  private final RedisPresenceStore store = fixture.store();
  private final Node node = new Node("node-1");

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  @DisplayName("a retried batch (same seq) is not applied twice, and a late batch overtaken by a newer one is ignored")
  void retriedAndLateBatchesIgnored() {
    PresenceBatch connect = node.batch(connected("a1", "alice"));
    PresenceBatch disconnect = node.batch(disconnected("a1", "alice", 2000));
    await(store.apply(connect));
    await(store.apply(disconnect));

    BatchOutcome retried = await(store.apply(disconnect));
    BatchOutcome late = await(store.apply(connect));

    assertFalse(retried.applied());
    assertFalse(late.applied());
    assertEquals(List.of(), late.changes(), "alice does not come back online");
  }

  @Test
  @DisplayName("a batch says whether the node was known: not at its first batch, yes afterwards")
  void knownNode() {
    assertFalse(await(store.apply(node.batch(connected("a1", "alice")))).known());
    assertTrue(await(store.apply(node.batch(joined("a1", "alice", "r1")))).known());
    assertTrue(await(store.heartbeat(new NodeHeartbeat(node.id, 5000))));
    assertFalse(await(store.heartbeat(new NodeHeartbeat("never-seen", 5000))));
  }

  @Test
  @DisplayName("a sync removes the node's connections it no longer has (offline), adds the missing ones (online) and sets their rooms")
  void syncReplacesTheNodesState() {
    await(store.apply(node.batch(connected("a1", "alice"), joined("a1", "alice", "r1"), joined("a1", "alice", "r2"),
        connected("g1", "ghost"), joined("g1", "ghost", "r1"))));

    List<StatusChange> changes = await(store.apply(node.sync(live("a1", "alice", "r2", "r3"), live("b1", "bob", "r1")))).changes();

    assertEquals(Set.of("offline:ghost", "online:bob"),
        new HashSet<>(changes.stream().map(c -> c.status().wire() + ":" + c.userId()).toList()));
    assertEquals(Set.of("bob"), new HashSet<>(await(store.online(PresenceFixture.TENANT, "r1")).online()));
    assertEquals(List.of("alice"), await(store.online(PresenceFixture.TENANT, "r2")).online());
    assertEquals(List.of("alice"), await(store.online(PresenceFixture.TENANT, "r3")).online());
  }

  @Test
  @DisplayName("a sync of a node's unchanged state changes nothing and announces nothing")
  void syncIsIdempotent() {
    await(store.apply(node.batch(connected("a1", "alice"), joined("a1", "alice", "r1"))));

    assertEquals(List.of(), await(store.apply(node.sync(live("a1", "alice", "r1")))).changes());
    assertEquals(List.of(), await(store.apply(node.sync(live("a1", "alice", "r1")))).changes());
    assertEquals(List.of("alice"), await(store.online(PresenceFixture.TENANT, "r1")).online());
  }

  @Test
  @DisplayName("a leaving node's users go offline and the node is forgotten")
  void leaving() {
    await(store.apply(node.batch(connected("a1", "alice"), connected("b1", "bob"), joined("b1", "bob", "r1"))));

    List<StatusChange> changes = await(store.apply(node.leaving())).changes();

    assertEquals(2, changes.size());
    assertTrue(changes.stream().allMatch(c -> c.status() == Status.OFFLINE));
    assertEquals(List.of(), await(store.online(PresenceFixture.TENANT, "r1")).online());
    assertFalse(await(store.heartbeat(new NodeHeartbeat(node.id, 5000))), "the node is forgotten");
  }
}
