package io.switchboard.gateway.presence;

import static io.switchboard.gateway.support.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.chat.Sender;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceBatch.LiveConnection;
import io.switchboard.common.presence.PresenceUpdate;
import io.switchboard.common.presence.PresenceUpdate.Kind;
import io.switchboard.gateway.support.StubPresenceService;
import io.switchboard.gateway.support.StubPresenceService.Answer;
import io.vertx.core.Future;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The node's channel to presence-service: ordered, batched, converging after failures")
class UpdateBatcherTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");

  private final StubPresenceService presence = new StubPresenceService();
  private final LiveConnections live = new LiveConnections();
  private final UpdateBatcher batcher =
      new UpdateBatcher(presence.vertx.getOrCreateContext(), presence.vertx.eventBus(), "node-1", 10_000, live);

  @AfterEach
  void close() {
    presence.close();
  }

  private void connect(String id) {
    live.connected(id, ALICE, 1000);
    batcher.add(update(Kind.CONNECTED, id));
  }

  private static PresenceUpdate update(Kind kind, String id) {
    return new PresenceUpdate(kind, id, "acme", "alice", null, 1000);
  }

  @Test
  @DisplayName("one batch in flight: what is queued meanwhile leaves as the next batch, in order, with the next seq")
  void coalescesWhileInFlight() {
    presence.answer(Answer.HOLD);
    connect("c0");
    PresenceBatch first = presence.nextBatch();
    IntStream.range(1, 500).forEach(i -> connect("c" + i));

    presence.release();
    PresenceBatch second = presence.nextBatch();

    assertEquals(List.of("c0"), ids(first));
    assertEquals(IntStream.range(1, 500).mapToObj(i -> "c" + i).toList(), ids(second), "all the rest, in order, in one request");
    assertEquals(first.seq() + 1, second.seq());
  }

  @Test
  @DisplayName("a failed batch is not replayed: once presence answers again, the node sends its live state as a sync")
  void failureLeadsToSync() {
    presence.answer(Answer.UNAVAILABLE);
    connect("c1");
    connect("c2");
    PresenceBatch failed = presence.nextBatch();
    live.disconnected("c2");
    batcher.add(update(Kind.DISCONNECTED, "c2"));
    live.joined("c1", "r1");
    batcher.add(new PresenceUpdate(Kind.JOINED, "c1", "acme", "alice", "r1", 1000));

    presence.answer(Answer.KNOWN);
    PresenceBatch sync = presence.nextBatch();

    assertFalse(failed.sync());
    assertTrue(sync.sync());
    assertEquals(List.of(new LiveConnection("c1", "acme", "alice", 1000, List.of("r1"), 0)), sync.live());
    assertEquals(List.of(), sync.updates(), "the queued updates are in the snapshot, not sent again");
    assertTrue(sync.seq() > failed.seq(), "a late copy of the failed batch can never overwrite the sync");
  }

  @Test
  @DisplayName("a batch answered 'node unknown' (Redis lost its data) makes the next batch a sync")
  void unknownNodeLeadsToSync() {
    connect("c1");
    presence.nextBatch();
    presence.answer(Answer.UNKNOWN);
    connect("c2");
    presence.nextBatch();
    presence.answer(Answer.KNOWN);

    PresenceBatch sync = presence.nextBatch();

    assertTrue(sync.sync());
    assertEquals(2, sync.live().size());
  }

  @Test
  @DisplayName("drained completes only once the updates queued before it are applied")
  void drainedIsReadYourWrites() {
    presence.answer(Answer.HOLD);
    connect("c1");
    presence.nextBatch();
    connect("c2");
    Future<Void> drained = batcher.drained();
    Boolean early = await(presence.vertx.timer(100).map(t -> drained.isComplete()));
    assertFalse(early, "c2 is not applied yet");

    presence.release();
    await(drained);
    assertEquals(2, presence.received.size());
  }

  @Test
  @DisplayName("close waits for the batch in flight, then says goodbye: a sync of nothing, leaving")
  void goodbyeAfterInFlight() {
    presence.answer(Answer.HOLD);
    connect("c1");
    presence.nextBatch();
    Future<Void> closed = batcher.close();
    Integer sent = await(presence.vertx.timer(100).map(t -> presence.received.size()));
    assertEquals(1, sent, "nothing more before the batch in flight is answered");

    presence.release();
    await(closed);
    PresenceBatch goodbye = presence.nextBatch();
    assertTrue(goodbye.leaving());
    assertEquals(List.of(), goodbye.live());
  }

  private static List<String> ids(PresenceBatch batch) {
    return batch.updates().stream().map(PresenceUpdate::connectionId).toList();
  }
}
