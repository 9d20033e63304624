package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.active;
import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.away;
import static io.switchboard.presence.PresenceFixture.live;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.disconnected;
import static io.switchboard.presence.PresenceFixture.joined;
import static io.switchboard.presence.PresenceFixture.left;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.presence.PresenceFixture.Node;
import io.switchboard.presence.StatusChange.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Status transitions: a user is online from their first connection to their last, cluster-wide")
class StatusTransitionsTest {
  private final PresenceFixture fixture = fixture();

  /** The test Redis server; {@link RedisClusterTest} runs these tests on a cluster. */
  PresenceFixture fixture() {
    return new PresenceFixture();
  }

  private final RedisPresenceStore store = fixture.store();
  private final Node node1 = new Node("node-1");
  private final Node node2 = new Node("node-2");

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  @DisplayName("the first connection is one online transition; a second device on another node is none")
  void firstDeviceOnly() {
    List<StatusChange> first = await(store.apply(node1.batch(connected("a1", "alice")))).changes();
    List<StatusChange> second = await(store.apply(node2.batch(connected("a2", "alice")))).changes();

    assertEquals(1, first.size());
    assertEquals(Status.ONLINE, first.get(0).status());
    assertEquals("alice", first.get(0).userId());
    assertEquals(List.of(), second);
  }

  @Test
  @DisplayName("closing one of two devices keeps the user online; closing the last is one offline transition with its time")
  void lastDeviceOnly() {
    await(store.apply(node1.batch(connected("a1", "alice"))));
    await(store.apply(node2.batch(connected("a2", "alice"))));

    List<StatusChange> one = await(store.apply(node1.batch(disconnected("a1", "alice", 5000)))).changes();
    List<StatusChange> last = await(store.apply(node2.batch(disconnected("a2", "alice", 6000)))).changes();
    List<StatusChange> again = await(store.apply(node2.batch(disconnected("a2", "alice", 7000)))).changes();

    assertEquals(List.of(), one, "alice still has a device");
    assertEquals(1, last.size());
    assertEquals(Status.OFFLINE, last.get(0).status());
    assertEquals(6000, last.get(0).at());
    assertEquals(List.of(), again, "a repeated disconnect changes nothing");
  }

  @Test
  @DisplayName("connect, join and disconnect in one batch are applied in order: online then offline")
  void oneBatchInOrder() {
    List<StatusChange> changes = await(store.apply(node1.batch(connected("a1", "alice"), joined("a1", "alice", "r1"),
        disconnected("a1", "alice", 2000)))).changes();

    assertEquals(List.of(Status.ONLINE, Status.OFFLINE), changes.stream().map(StatusChange::status).toList());
    assertEquals(List.of(), await(store.online(PresenceFixture.TENANT, "r1")).online());
  }

  @Test
  @DisplayName("a transition carries the rooms the user is in, remembered while offline and forgotten on leave-room")
  void transitionsCarryTheUsersRooms() {
    await(store.apply(node1.batch(connected("a1", "alice"), joined("a1", "alice", "r1"), joined("a1", "alice", "r2"),
        joined("a1", "alice", "r3"), left("a1", "alice", "r3"))));
    StatusChange offline = await(store.apply(node1.batch(disconnected("a1", "alice", 3000)))).changes().get(0);
    StatusChange online = await(store.apply(node2.batch(connected("a9", "alice")))).changes().get(0);

    assertEquals(Set.of("r1", "r2"), new HashSet<>(offline.rooms()));
    assertEquals(Set.of("r1", "r2"), new HashSet<>(online.rooms()), "the next online goes to the rooms she was in");
  }

  @Test
  @DisplayName("a transition is announced to the user's rooms with at most the configured number of users online, not to larger ones")
  void largeRoomsHearNoTransitions() {
    RedisPresenceStore capped = fixture.store(2);
    await(capped.apply(node1.batch(connected("a1", "alice"), joined("a1", "alice", "small"), joined("a1", "alice", "big"),
        connected("b1", "bob"), joined("b1", "bob", "small"), joined("b1", "bob", "big"),
        connected("c1", "carol"), joined("c1", "carol", "big"), connected("d1", "dave"), joined("d1", "dave", "big"))));

    StatusChange bobOff = await(capped.apply(node1.batch(disconnected("b1", "bob", 3000)))).changes().get(0);
    assertEquals(List.of("small"), bobOff.rooms(), "big still has alice, carol and dave online");
    StatusChange bobOn = await(capped.apply(node2.batch(connected("b2", "bob")))).changes().get(0);
    assertEquals(List.of("small"), bobOn.rooms(), "his rooms are remembered; big is still too large");

    StatusChange carolOff = await(capped.apply(node1.batch(disconnected("c1", "carol", 4000)))).changes().get(0);
    assertEquals(List.of("big"), carolOff.rooms(), "big has alice and dave online without her: at the limit, announced");
  }

  @Test
  @DisplayName("a room's online users are the distinct users with a connection in it, on any node")
  void roomPresence() {
    await(store.apply(node1.batch(connected("a1", "alice"), joined("a1", "alice", "r1"),
        connected("b1", "bob"), joined("b1", "bob", "r1"))));
    await(store.apply(node2.batch(connected("a2", "alice"), joined("a2", "alice", "r1"),
        connected("c1", "carol"), joined("c1", "carol", "r2"))));

    assertEquals(Set.of("alice", "bob"), new HashSet<>(await(store.online(PresenceFixture.TENANT, "r1")).online()));

    await(store.apply(node1.batch(disconnected("a1", "alice", 4000), left("b1", "bob", "r1"))));
    assertEquals(List.of("alice"), await(store.online(PresenceFixture.TENANT, "r1")).online(), "alice is still in on node 2");
    assertTrue(await(store.online("other-tenant", "r1")).online().isEmpty(), "tenants keep apart");
  }

  @Test
  @DisplayName("a user is away once every connection is away, since the last one went; any active connection makes them online")
  void awayWhenAllConnectionsAre() {
    await(store.apply(node1.batch(connected("a1", "alice"), joined("a1", "alice", "r1"))));
    await(store.apply(node2.batch(connected("a2", "alice"), joined("a2", "alice", "r1"), connected("b1", "bob"),
        joined("b1", "bob", "r1"))));

    assertEquals(List.of(), await(store.apply(node1.batch(away("a1", "alice", 5000)))).changes(), "a2 is still active");
    assertEquals(Map.of(), await(store.online(PresenceFixture.TENANT, "r1")).away());

    List<StatusChange> allAway = await(store.apply(node2.batch(away("a2", "alice", 6000)))).changes();
    assertEquals(1, allAway.size());
    assertEquals(Status.AWAY, allAway.get(0).status());
    assertEquals(6000, allAway.get(0).at());
    assertEquals(List.of("r1"), allAway.get(0).rooms());
    assertEquals(List.of(), await(store.apply(node2.batch(away("a2", "alice", 7000)))).changes(), "away twice is nothing");
    var presence = await(store.online(PresenceFixture.TENANT, "r1"));
    assertEquals(Set.of("alice", "bob"), new HashSet<>(presence.online()), "online still lists every user with a connection");
    assertEquals(Map.of("alice", 6000L), presence.away());

    List<StatusChange> back = await(store.apply(node1.batch(active("a1", "alice", 8000)))).changes();
    assertEquals(List.of(Status.BACK), back.stream().map(StatusChange::status).toList());
    assertEquals("online", back.get(0).status().wire());
    assertEquals(Map.of(), await(store.online(PresenceFixture.TENANT, "r1")).away());
  }

  @Test
  @DisplayName("the active connection closing leaves an away user; a new connection brings them back; the last closing is offline")
  void awayByDisconnectAndBackByConnect() {
    await(store.apply(node1.batch(connected("a1", "alice"), connected("a2", "alice"), away("a1", "alice", 5000))));

    assertEquals(List.of(Status.AWAY), await(store.apply(node1.batch(disconnected("a2", "alice", 6000)))).changes()
        .stream().map(StatusChange::status).toList(), "only away a1 is left");
    assertEquals(List.of(Status.BACK), await(store.apply(node2.batch(connected("a3", "alice")))).changes()
        .stream().map(StatusChange::status).toList(), "a new connection is active");
    assertEquals(List.of(Status.AWAY), await(store.apply(node2.batch(away("a3", "alice", 7000)))).changes()
        .stream().map(StatusChange::status).toList());
    List<StatusChange> gone = await(store.apply(node1.batch(disconnected("a1", "alice", 8000),
        disconnected("a3", "alice", 9000)))).changes();
    assertEquals(List.of(Status.OFFLINE), gone.stream().map(StatusChange::status).toList(), "away, then offline once");
    assertEquals(9000, gone.get(0).at());
  }

  @Test
  @DisplayName("a sync carries each connection's away time: presence converges to it")
  void syncKeepsAway() {
    await(store.apply(node1.batch(connected("a1", "alice"), joined("a1", "alice", "r1"))));
    await(store.apply(node1.sync(new io.switchboard.common.presence.PresenceBatch.LiveConnection("a1",
        PresenceFixture.TENANT, "alice", 1000, List.of("r1"), 4000))));

    assertEquals(Map.of("alice", 4000L), await(store.online(PresenceFixture.TENANT, "r1")).away());
    await(store.apply(node1.sync(live("a1", "alice", "r1"))));
    assertEquals(Map.of(), await(store.online(PresenceFixture.TENANT, "r1")).away(), "active in the sync: back");
  }
}
