package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The reaper waits a grace period after Redis was unreachable, so live gateways renew before any reaping")
class NodeReaperGraceTest {
  private static final long GRACE_MS = 1500;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  /** A store that is down until told otherwise and records when the reaper reaps. */
  private static final class ScriptedStore implements PresenceStore {
    volatile boolean down = true;
    final List<Long> reapedAt = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> ping() {
      return down ? Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "down")) : Future.succeededFuture();
    }

    @Override
    public Future<ReapOutcome> reap(int budget) {
      reapedAt.add(System.currentTimeMillis());
      return Future.succeededFuture(new ReapOutcome(0, false, List.of(), List.of()));
    }

    @Override
    public Future<BatchOutcome> apply(PresenceBatch batch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> heartbeat(NodeHeartbeat heartbeat) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> admit(AdmitRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<io.switchboard.common.presence.RoomPresence> online(String tenant, String roomId) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  @DisplayName("no reaping while Redis is down, nor during the grace after it answers again")
  void graceAfterOutage() {
    ScriptedStore store = new ScriptedStore();
    PresenceMetrics metrics = new PresenceMetrics(new SimpleMeterRegistry());
    NodeReaper reaper = new NodeReaper(vertx, store, new StatusEvents(vertx.eventBus(), metrics), metrics, GRACE_MS);
    vertx.runOnContext(v -> reaper.start());
    await(vertx.timer(GRACE_MS + 2 * NodeReaper.INTERVAL_MS));
    assertEquals(List.of(), store.reapedAt, "Redis is down");

    long back = System.currentTimeMillis();
    store.down = false;
    long deadline = back + GRACE_MS + 3 * NodeReaper.INTERVAL_MS;
    while (store.reapedAt.isEmpty() && System.currentTimeMillis() < deadline) {
      await(vertx.timer(100));
    }

    assertTrue(!store.reapedAt.isEmpty(), "reaps once the grace is over");
    long waited = store.reapedAt.get(0) - back;
    assertTrue(waited >= GRACE_MS - NodeReaper.INTERVAL_MS, "reaped " + waited + " ms after Redis came back");
  }
}
