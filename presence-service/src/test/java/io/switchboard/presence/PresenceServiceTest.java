package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;
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
