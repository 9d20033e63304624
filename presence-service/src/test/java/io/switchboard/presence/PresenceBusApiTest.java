package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;
import static io.switchboard.presence.PresenceFixture.connected;
import static io.switchboard.presence.PresenceFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.presence.PresenceFixture.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("presence-service's bus API decides on the store's answers: the device limit's refusal, batches counted and announced once")
class PresenceBusApiTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final BlockingQueue<RoomEvent> announced = new LinkedBlockingQueue<>();
  private final ScriptedStore store = new ScriptedStore();
  private final PresenceBusApi api;

  PresenceBusApiTest() {
    BusCodecs.register(vertx);
    await(vertx.eventBus().<RoomEvent>consumer(Addresses.GATEWAY_FANOUT, msg -> announced.add(msg.body())).completion());
    PresenceMetrics metrics = new PresenceMetrics(meters);
    api = new PresenceBusApi(vertx.eventBus(), store, new StatusEvents(vertx.eventBus(), metrics), metrics);
  }

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  @DisplayName("a connection the store will not hold is refused with USER_CONNECTION_LIMIT naming the limit; one it holds is admitted")
  void admit() {
    store.admits = false;
    Throwable refused = failure(api.admit(new AdmitRequest("acme", "alice", "a4", 3)));
    assertEquals(ErrorCode.USER_CONNECTION_LIMIT, ServiceException.codeOf(refused));
    assertEquals("at most 3 connections per user", refused.getMessage());

    store.admits = true;
    await(api.admit(new AdmitRequest("acme", "alice", "a1", 3)));
  }

  @Test
  @DisplayName("an applied batch is counted and its transitions announced; a retried one is not counted; both say whether the node was known")
  void batches() throws InterruptedException {
    PresenceBatch batch = new Node("node-1").batch(connected("a1", "alice"));
    store.outcome = new PresenceStore.BatchOutcome(true, false, List.of(
        new StatusChange("acme", "alice", StatusChange.Status.ONLINE, 1_000, List.of("r1"))));
    assertFalse(await(api.apply(batch)), "the node was not known before");

    store.outcome = new PresenceStore.BatchOutcome(false, true, List.of());
    assertTrue(await(api.apply(batch)));

    assertEquals(1.0, meters.get("presence.batches").counter().count(), "the retry is not counted");
    RoomEvent online = announced.poll(5, TimeUnit.SECONDS);
    assertEquals(List.of("user:acme:alice", "room:r1"), List.of(online.room(), online.moreRooms().get(0)));
    assertEquals(0, announced.size(), "the retry announced nothing (it publishes synchronously, so nothing is on its way)");
  }

  /** A store answering what the test scripts. */
  private static final class ScriptedStore implements PresenceStore {
    volatile boolean admits;
    volatile BatchOutcome outcome;

    @Override
    public Future<BatchOutcome> apply(PresenceBatch batch) {
      return Future.succeededFuture(outcome);
    }

    @Override
    public Future<Boolean> heartbeat(NodeHeartbeat heartbeat) {
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Boolean> admit(AdmitRequest request) {
      return Future.succeededFuture(admits);
    }

    @Override
    public Future<io.switchboard.common.presence.RoomPresence> online(String tenant, String roomId) {
      return Future.succeededFuture(new io.switchboard.common.presence.RoomPresence(roomId, List.of(), null));
    }

    @Override
    public Future<Void> ping() {
      return Future.succeededFuture();
    }

    @Override
    public Future<ReapOutcome> reap(int budget) {
      return Future.succeededFuture(new ReapOutcome(0, false, List.of(), List.of()));
    }
  }
}
