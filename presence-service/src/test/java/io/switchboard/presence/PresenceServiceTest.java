package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.active;
import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.away;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.disconnected;
import static io.switchboard.presence.PresenceFixture.failure;
import static io.switchboard.presence.PresenceFixture.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.presence.PresenceFixture.Node;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("presence-service on the event bus: batches in, status events out on the fan-out")
class PresenceServiceTest {
  private final ServiceHarness service = service();

  /** On the test Redis server; {@link RedisClusterTest} runs these tests on a cluster. */
  ServiceHarness service() {
    return new ServiceHarness();
  }

  @AfterEach
  void close() {
    service.close();
  }

  @Test
  @DisplayName("each transition is also sent, once, to message-service for the tenant's webhooks")
  void statusForWebhooks() throws InterruptedException {
    java.util.concurrent.LinkedBlockingQueue<JsonObject> sent = new java.util.concurrent.LinkedBlockingQueue<>();
    await(service.vertx.eventBus().<JsonObject>consumer(Addresses.WEBHOOKS_USER_STATUS, msg -> sent.add(msg.body()))
        .completion());
    Node node = new Node("node-1");
    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(connected("a1", "alice"), connected("a2", "alice"))));
    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(disconnected("a1", "alice", 1_700_000_000_000L),
        disconnected("a2", "alice", 1_700_000_001_000L))));

    assertEquals(new JsonObject().put("tenant", "acme").put("userId", "alice").put("status", "online")
        .put("at", service.awaitStatus(s -> s.getString("status").equals("online"), 3000).data() instanceof JsonObject o
            ? o.getString("lastSeen") : null), sent.poll(3, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(new JsonObject().put("tenant", "acme").put("userId", "alice").put("status", "offline")
        .put("at", Instant.ofEpochMilli(1_700_000_001_000L).toString()), sent.poll(3, java.util.concurrent.TimeUnit.SECONDS),
        "her last device closing, not the first");
    assertEquals(null, sent.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS), "two transitions, two sends");
  }

  @Test
  @DisplayName("user-status-changed goes once to the user's private room and the rooms they are in, with lastSeen")
  void statusEventsOnTheFanout() {
    Node node = new Node("node-1");
    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(connected("a1", "alice"), joined("a1", "alice", "r1"))));
    RoomEvent online = service.awaitStatus(s -> s.getString("status").equals("online"), 3000);
    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(disconnected("a1", "alice", 1_700_000_000_000L))));
    RoomEvent offline = service.awaitStatus(s -> s.getString("status").equals("offline"), 3000);

    assertEquals("user:acme:alice", online.room(), "her first device had joined no room yet");
    assertEquals(Set.of("user:acme:alice", "room:r1"), rooms(offline));
    JsonObject payload = (JsonObject) offline.data();
    assertEquals("alice", payload.getString("userId"));
    assertEquals(Instant.ofEpochMilli(1_700_000_000_000L).toString(), payload.getString("lastSeen"));
  }

  @Test
  @DisplayName("two connections: one away is still online; both away is user-status-changed away with awaySince; one back is online again")
  void awayAndBack() throws InterruptedException {
    java.util.concurrent.LinkedBlockingQueue<JsonObject> webhooks = new java.util.concurrent.LinkedBlockingQueue<>();
    await(service.vertx.eventBus().<JsonObject>consumer(Addresses.WEBHOOKS_USER_STATUS, msg -> webhooks.add(msg.body()))
        .completion());
    Node node = new Node("node-1");
    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(connected("a1", "alice"), joined("a1", "alice", "r1"),
        connected("a2", "alice"), joined("a2", "alice", "r1"))));
    service.awaitStatus(s -> s.getString("status").equals("online"), 3000);
    assertEquals("online", webhooks.poll(3, java.util.concurrent.TimeUnit.SECONDS).getString("status"));

    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(away("a1", "alice", 1_700_000_000_000L))));
    RoomPresence oneAway = await(service.request(Addresses.PRESENCE_QUERY, new PresenceQuery("acme", "r1")));
    assertEquals(List.of("alice"), oneAway.online());
    assertTrue(oneAway.away().isEmpty(), "a2 is active");

    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(away("a2", "alice", 1_700_000_005_000L))));
    RoomEvent away = service.awaitStatus(s -> s.getString("status").equals("away"), 3000);
    JsonObject payload = (JsonObject) away.data();
    assertEquals(Instant.ofEpochMilli(1_700_000_005_000L).toString(), payload.getString("awaySince"));
    assertEquals(payload.getString("awaySince"), payload.getString("lastSeen"));
    assertEquals(Set.of("user:acme:alice", "room:r1"), rooms(away));
    RoomPresence bothAway = await(service.request(Addresses.PRESENCE_QUERY, new PresenceQuery("acme", "r1")));
    assertEquals(List.of("alice"), bothAway.online(), "online still lists her: she has connections");
    assertEquals(java.util.Map.of("alice", 1_700_000_005_000L), bothAway.away());

    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(active("a1", "alice", 1_700_000_009_000L))));
    RoomEvent back = service.awaitStatus(s -> s.getString("status").equals("online")
        && s.getString("lastSeen").equals(Instant.ofEpochMilli(1_700_000_009_000L).toString()), 3000);
    assertEquals(null, ((JsonObject) back.data()).getString("awaySince"));
    assertTrue(await(service.<RoomPresence>request(Addresses.PRESENCE_QUERY, new PresenceQuery("acme", "r1"))).away().isEmpty());
    assertEquals(null, webhooks.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS),
        "away and back are not user.online / user.offline for webhooks");
  }

  @Test
  @DisplayName("get-presence answers the room's online users; the device limit refuses with USER_CONNECTION_LIMIT")
  void queryAndAdmission() {
    await(service.request(Addresses.PRESENCE_UPDATE, new Node("node-1").batch(connected("a1", "alice"),
        joined("a1", "alice", "r1"), connected("b1", "bob"), joined("b1", "bob", "r1"))));

    RoomPresence presence = await(service.request(Addresses.PRESENCE_QUERY, new PresenceQuery("acme", "r1")));
    assertEquals(Set.of("alice", "bob"), new HashSet<>(presence.online()));

    AdmitRequest one = new AdmitRequest("acme", "alice", "a2", 2);
    AdmitRequest tooMany = new AdmitRequest("acme", "alice", "a3", 2);
    await(service.request(Addresses.PRESENCE_ADMIT, one));
    assertEquals(ErrorCode.USER_CONNECTION_LIMIT,
        ServiceException.codeOf(failure(service.request(Addresses.PRESENCE_ADMIT, tooMany))));
  }

  @Test
  @DisplayName("a node that stops renewing its lease (killed) has its users announced offline within the lease plus a reaper interval")
  void crashedNodeIsReaped() {
    long leaseMs = 500;
    Node node = new Node("doomed");
    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(leaseMs, connected("a1", "alice"), joined("a1", "alice", "r1"),
        connected("b1", "bob"))));
    service.awaitStatus(s -> s.getString("userId").equals("bob"), 3000);
    long reportedAt = System.currentTimeMillis();

    RoomEvent aliceOffline = service.awaitStatus(s -> s.getString("userId").equals("alice") && s.getString("status").equals("offline"),
        leaseMs + 3 * NodeReaper.INTERVAL_MS);
    long elapsed = System.currentTimeMillis() - reportedAt;

    assertTrue(elapsed <= leaseMs + 2 * NodeReaper.INTERVAL_MS, "offline after " + elapsed + " ms");
    assertEquals(Set.of("user:acme:alice", "room:r1"), rooms(aliceOffline));
    service.awaitStatus(s -> s.getString("userId").equals("bob") && s.getString("status").equals("offline"), 1000);
    assertTrue(await(service.<RoomPresence>request(Addresses.PRESENCE_QUERY, new PresenceQuery("acme", "r1"))).online().isEmpty());
  }

  private static Set<String> rooms(RoomEvent event) {
    Set<String> rooms = new HashSet<>(List.of(event.room()));
    rooms.addAll(event.moreRooms());
    return rooms;
  }
}
