package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.disconnected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.presence.PresenceFixture.Node;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Device limit: at most N connections per user, cluster-wide, decided at CONNECT")
class ConnectionLimitTest {
  private final PresenceFixture fixture = fixture();

  /** The test Redis server; {@link RedisClusterTest} runs these tests on a cluster. */
  PresenceFixture fixture() {
    return new PresenceFixture();
  }

  private final RedisPresenceStore store = fixture.store();

  @AfterEach
  void close() {
    fixture.close();
  }

  private static AdmitRequest admit(String user, String conn) {
    return new AdmitRequest(PresenceFixture.TENANT, user, conn, 3);
  }

  @Test
  @DisplayName("a fourth device is refused, counting devices on other nodes and devices admitted but not reported yet")
  void fourthDeviceRefused() {
    await(store.apply(new Node("node-1").batch(connected("a1", "alice"))));
    await(store.apply(new Node("node-2").batch(connected("a2", "alice"))));

    assertTrue(await(store.admit(admit("alice", "a3"))), "the third is admitted");
    assertFalse(await(store.admit(admit("alice", "a4"))), "the fourth is refused before a3 is even reported");
    assertTrue(await(store.admit(admit("bob", "b1"))), "other users are not affected");
  }

  @Test
  @DisplayName("devices connecting at the same moment through two presence-service instances never exceed the limit")
  void concurrentAdmissions() {
    RedisPresenceStore other = fixture.store();
    List<Future<Boolean>> answers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add((i % 2 == 0 ? store : other).admit(admit("alice", "a" + i)));
    }
    long admitted = answers.stream().filter(PresenceFixture::await).count();
    assertEquals(3, admitted);
  }

  @Test
  @DisplayName("a closed device frees its place, and so does an admitted one that never connected, after the pending time")
  void placesAreFreed() {
    Node node = new Node("node-1");
    for (String conn : List.of("a1", "a2")) {
      assertTrue(await(store.admit(admit("alice", conn))));
      await(store.apply(node.batch(connected(conn, "alice"))));
    }
    assertTrue(await(store.admit(admit("alice", "never-connects"))));
    assertFalse(await(store.admit(admit("alice", "a4"))));

    await(store.apply(node.batch(disconnected("a1", "alice", 2000))));
    assertTrue(await(store.admit(admit("alice", "a4"))), "a1's place is free");
    assertFalse(await(store.admit(admit("alice", "a5"))));

    fixture.now.addAndGet(RedisPresenceStore.PENDING_MS + 1);
    assertTrue(await(store.admit(admit("alice", "a5"))), "the admissions never reported have expired");
  }

  @Test
  @DisplayName("admitting a connection again (a retry, a recovered session) is allowed at the limit")
  void readmission() {
    for (String conn : List.of("a1", "a2", "a3")) {
      assertTrue(await(store.admit(admit("alice", conn))));
    }
    await(store.apply(new Node("node-1").batch(connected("a1", "alice"))));
    assertTrue(await(store.admit(admit("alice", "a1"))), "connected");
    assertTrue(await(store.admit(admit("alice", "a3"))), "admitted, not reported yet");
  }
}
