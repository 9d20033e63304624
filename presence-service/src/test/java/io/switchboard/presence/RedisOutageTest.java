package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.failure;
import static io.switchboard.presence.PresenceFixture.joined;
import static io.switchboard.presence.PresenceFixture.live;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.embedded.EmbeddedRedis;
import io.switchboard.embedded.TestServers;
import io.switchboard.presence.PresenceFixture.Node;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Redis outage: presence answers UNAVAILABLE, then recovers without a restart")
class RedisOutageTest {
  private ServiceHarness service;
  private EmbeddedRedis redis;

  @AfterEach
  void close() throws IOException {
    if (redis != null && !redis.running()) {
      redis.restart();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  @DisplayName("with Redis down, queries and heartbeats fail fast with UNAVAILABLE; once it is back (empty), the node is unknown and its sync restores presence")
  void outageAndRecovery() throws IOException {
    assumeTrue(System.getenv("SWITCHBOARD_TEST_REDIS_URL") == null, "needs the embedded Redis, which the test can stop");
    redis = TestServers.embeddedRedis();
    service = new ServiceHarness();
    Node node = new Node("node-1");
    await(service.request(Addresses.PRESENCE_UPDATE, node.batch(connected("a1", "alice"), joined("a1", "alice", "r1"))));

    redis.stop();
    long start = System.currentTimeMillis();
    Throwable down = failure(service.request(Addresses.PRESENCE_QUERY, new PresenceQuery("acme", "r1")));
    assertEquals(ErrorCode.UNAVAILABLE, ServiceException.codeOf(down));
    assertEquals(ErrorCode.UNAVAILABLE, ServiceException.codeOf(
        failure(service.request(Addresses.PRESENCE_HEARTBEAT, new NodeHeartbeat(node.id, 5000)))));
    assertTrue(System.currentTimeMillis() - start < 3000, "failures are fast, not timeouts");

    redis.restart();
    boolean known = await(service.request(Addresses.PRESENCE_HEARTBEAT, new NodeHeartbeat(node.id, 5000)));
    assertFalse(known, "Redis came back empty: the node must sync");
    await(service.request(Addresses.PRESENCE_UPDATE, node.sync(live("a1", "alice", "r1"))));
    RoomPresence presence = await(service.request(Addresses.PRESENCE_QUERY, new PresenceQuery("acme", "r1")));
    assertEquals(List.of("alice"), presence.online());
    assertTrue(await(service.<Boolean>request(Addresses.PRESENCE_HEARTBEAT, new NodeHeartbeat(node.id, 5000))),
        "after its sync the node is known: one resync per outage, not one per heartbeat");
  }
}
