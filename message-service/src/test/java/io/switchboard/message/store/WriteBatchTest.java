package io.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.MessageServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch write function on real Postgres (R__persist_messages.sql): whatever a batch mixes (new
 * messages of several rooms, stored duplicates, repeats within the batch, a missing room, senders who
 * may not post there), every request gets its own outcome, in order, and each room's seq stays gapless.
 */
@ExtendWith(VertxExtension.class)
class WriteBatchTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");
  private static final Sender MALLORY = new Sender("acme", "mallory", "Mallory");
  private static final Sender EVE = new Sender("other", "eve", "Eve");
  private static Pool pool;
  private static PgMessageStore store;

  @BeforeAll
  static void schema(Vertx vertx, VertxTestContext ctx) {
    MessageServiceConfig config = MessageServiceConfig.from(Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()));
    pool = PgBuilder.pool().connectingTo(config.postgres()).using(vertx).build();
    store = new PgMessageStore(pool, pool, null);
    Migrations.apply(vertx, config.postgres()).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<String> newRoom() {
    return store.createRoom(new CreateRoomRequest(ALICE, "room", "group", "optimistic", List.of())).map(created -> created.room().id());
  }

  private static Posting message(String roomId, String clientMsgId) {
    return message(ALICE, roomId, clientMsgId, Envelope.Source.GATEWAY);
  }

  private static Posting message(Sender sender, String roomId, String clientMsgId, Envelope.Source source) {
    return new Posting(new PersistRequest(sender, roomId, clientMsgId, "body " + clientMsgId, null, null, null, "test"), source);
  }

  private static List<Posting> fresh(String roomId, int n) {
    List<Posting> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(message(roomId, UUID.randomUUID().toString()));
    }
    return batch;
  }

  private static Future<List<Long>> storedSeqs(String roomId) {
    return pool.preparedQuery("SELECT seq FROM messages WHERE room_id = $1 ORDER BY seq").execute(Tuple.of(roomId))
        .map(rows -> {
          List<Long> seqs = new ArrayList<>();
          rows.forEach(r -> seqs.add(r.getLong(0)));
          return seqs;
        });
  }

  @Test
  @DisplayName("a batch of new messages in two rooms gets each room's next seqs in request order, with time-ordered ids")
  void newMessages(VertxTestContext ctx) {
    newRoom().compose(roomA -> newRoom().compose(roomB -> {
      List<Posting> batch = new ArrayList<>(fresh(roomA, 3));
      batch.addAll(1, fresh(roomB, 2));
      return WriteBatch.write(pool, batch).compose(outcomes -> {
        outcomes.forEach(o -> assertNull(o.failure()));
        assertEquals(List.of(roomA, roomB, roomB, roomA, roomA), outcomes.stream().map(o -> message(o).roomId()).toList());
        assertEquals(List.of(1L, 1L, 2L, 2L, 3L), outcomes.stream().map(o -> message(o).seq()).toList());
        outcomes.forEach(o -> assertFalse(o.stored().result().duplicate()));
        List<UUID> ids = outcomes.stream().map(o -> UUID.fromString(message(o).id())).toList();
        ids.forEach(id -> assertEquals(7, id.version()));
        assertEquals(ids.stream().sorted().toList(), ids);
        return storedSeqs(roomB);
      });
    })).onComplete(ctx.succeeding(seqsB -> {
      assertEquals(List.of(1L, 2L), seqsB);
      ctx.completeNow();
    }));
  }

  @Test
  @DisplayName("a batch mixing a stored message, a repeat within it and a missing room answers each request and leaves no gap")
  void mixedBatch(VertxTestContext ctx) {
    newRoom().compose(room -> {
      Posting stored = message(room, "stored");
      Posting repeated = message(room, "twice");
      List<Posting> batch = List.of(
          message(room, "new"), stored, message("no-such-room", "x"), repeated, repeated, message(room, "last"));
      return WriteBatch.write(pool, List.of(stored))
          .compose(first -> WriteBatch.write(pool, batch).map(outcomes -> {
            assertEquals(6, outcomes.size());
            assertEquals(2L, message(outcomes.get(0)).seq());
            assertTrue(outcomes.get(1).stored().result().duplicate());
            assertEquals(message(first.get(0)).id(), message(outcomes.get(1)).id());
            assertEquals(1L, message(outcomes.get(1)).seq());
            assertEquals(ErrorCode.NOT_FOUND, refusal(outcomes.get(2)));
            assertFalse(outcomes.get(3).stored().result().duplicate());
            assertEquals(3L, message(outcomes.get(3)).seq());
            assertTrue(outcomes.get(4).stored().result().duplicate());
            assertEquals(message(outcomes.get(3)).id(), message(outcomes.get(4)).id());
            assertEquals(4L, message(outcomes.get(5)).seq());
            return room;
          }))
          .compose(WriteBatchTest::storedSeqs);
    }).onComplete(ctx.succeeding(seqs -> {
      assertEquals(List.of(1L, 2L, 3L, 4L), seqs);
      ctx.completeNow();
    }));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"all new", "with an earlier send repeated"})
  @DisplayName("in one batch, a non-member's message, one into another tenant's room and a non-member's replay of a stored client id are refused; the member's and the system's messages are stored without a gap")
  void refusedSendersInABatch(String kind, VertxTestContext ctx) {
    // An earlier send repeated makes the batch's first attempt fail on the client id, and
    // persist_messages_checked write it instead: both paths check the same rights.
    boolean repeat = !kind.equals("all new");
    newRoom().compose(room -> otherTenantsRoom().compose(foreign -> {
      Posting first = message(room, "first");
      List<Posting> batch = new ArrayList<>(List.of(
          message(MALLORY, room, "mallory", Envelope.Source.GATEWAY),
          message(room, "member"),
          message(ALICE, foreign, "elsewhere", Envelope.Source.GATEWAY),
          message(MALLORY, room, "first", Envelope.Source.GATEWAY),
          message(new Sender("acme", "system", "System"), room, "notice", Envelope.Source.SYSTEM),
          message(new Sender("acme", "system", "System"), foreign, "notice", Envelope.Source.SYSTEM),
          message(MALLORY, room, "as-api", Envelope.Source.API),
          message("no-such-room", "missing")));
      if (repeat) {
        batch.add(first);
      }
      return WriteBatch.write(pool, List.of(first)).compose(v -> WriteBatch.write(pool, batch)).compose(outcomes -> {
        assertEquals(ErrorCode.FORBIDDEN, refusal(outcomes.get(0)), "a non-member");
        assertEquals(2L, message(outcomes.get(1)).seq(), "the member's message, in the same batch");
        assertEquals(ErrorCode.NOT_FOUND, refusal(outcomes.get(2)), "another tenant's room looks missing");
        assertEquals(outcomes.get(7).failure().getMessage(), outcomes.get(2).failure().getMessage(), "exactly as a missing room");
        assertEquals(ErrorCode.FORBIDDEN, refusal(outcomes.get(3)), "a replayed client id gives a stranger nothing");
        assertEquals(3L, message(outcomes.get(4)).seq(), "the system posts into any room of its tenant");
        assertEquals(ErrorCode.NOT_FOUND, refusal(outcomes.get(5)), "but not into another tenant's");
        assertEquals(ErrorCode.FORBIDDEN, refusal(outcomes.get(6)), "a service posting as a user has the user's rights");
        if (repeat) {
          assertTrue(outcomes.get(8).stored().result().duplicate());
          assertEquals(1L, message(outcomes.get(8)).seq());
        }
        return storedSeqs(room).compose(seqs -> storedSeqs(foreign).map(foreignSeqs -> List.of(seqs, foreignSeqs)));
      });
    })).onComplete(ctx.succeeding(seqs -> ctx.verify(() -> {
      assertEquals(List.of(1L, 2L, 3L), seqs.get(0), "refused messages took no seq");
      assertEquals(List.of(), seqs.get(1));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("the system posting without a tenant reaches a room of any tenant")
  void systemWithoutTenant(VertxTestContext ctx) {
    otherTenantsRoom().compose(foreign -> WriteBatch.write(pool,
            List.of(message(new Sender(null, "system", "System"), foreign, "notice", Envelope.Source.SYSTEM))))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(1L, message(outcomes.get(0)).seq());
          ctx.completeNow();
        })));
  }

  private static Future<String> otherTenantsRoom() {
    return store.createRoom(new CreateRoomRequest(EVE, "elsewhere", "public", "optimistic", List.of())).map(created -> created.room().id());
  }

  @Test
  @DisplayName("a send that waits for a room while another writer stores the same client message id gets that message back as a duplicate")
  void duplicateCommittedWhileWaiting(Vertx vertx, VertxTestContext ctx) {
    MessageWriter writer = new MessageWriter(vertx, pool, new WriterSettings(16, 0, 1, 100, 10_000),
        new PersistMetrics(new SimpleMeterRegistry()));
    newRoom().compose(room -> pool.getConnection().compose(other -> other.begin().compose(tx ->
        // Another message-service instance: its batch has locked the room and is not committed yet.
        other.preparedQuery(Sql.PERSIST_MESSAGES).execute(Tuple.of(new String[] {room}, new String[] {"race"},
                new UUID[] {UUID.randomUUID()}, new String[] {"alice"}, new String[] {"Alice"}, new String[] {"first"},
                new UUID[] {null}, new String[] {null}, new String[] {"acme"}, new Boolean[] {false}).addArrayOfString(new String[] {null}))
            .compose(rows -> {
              Future<Stored> ours = writer.write(message(room, "race").request(), Envelope.Source.GATEWAY);
              return waitingForLock(vertx).compose(v -> tx.commit()).compose(v -> ours);
            })
            .eventually(other::close))
        .compose(ours -> storedSeqs(room).map(seqs -> {
          assertTrue(ours.result().duplicate());
          assertEquals(1L, ours.result().message().seq());
          assertEquals(List.of(1L), seqs);
          return seqs;
        }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a unique violation on the client message id is retried, one on any other key is not")
  void clientIdViolationIsRetried(VertxTestContext ctx) {
    // The idempotency key lives in message_client_ids (V24); a seq is unique per room and month of messages.
    String key = "INSERT INTO message_client_ids (room_id, client_msg_id, seq) VALUES ($1, $2, $3)";
    String insert = "INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, body, created_at) "
        + "VALUES ($1, $2, $3, $4, 'alice', 'b', now())";
    newRoom().compose(room -> pool.preparedQuery(key).execute(Tuple.of(room, "taken", 1L))
        .compose(v -> pool.preparedQuery(key).execute(Tuple.of(room, "taken", 2L)).transform(sameClientId ->
            pool.withTransaction(conn -> conn.preparedQuery(insert).execute(Tuple.of(room, 1L, UUID.randomUUID(), "one"))
                .compose(w -> conn.preparedQuery(insert).execute(Tuple.of(room, 1L, UUID.randomUUID(), "other"))))
                .transform(sameSeq -> {
                  assertTrue(sameClientId.failed() && Failures.transientFailure(sameClientId.cause()));
                  assertTrue(sameSeq.failed());
                  assertFalse(Failures.transientFailure(sameSeq.cause()));
                  return Future.succeededFuture();
                }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Completes once a session of the test database waits for a row lock. */
  private static Future<Void> waitingForLock(Vertx vertx) {
    return pool.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
        .execute()
        .compose(rows -> rows.iterator().next().getLong(0) > 0
            ? Future.<Void>succeededFuture()
            : Future.<Void>future(p -> vertx.setTimer(10, id -> p.complete())).compose(v -> waitingForLock(vertx)));
  }

  /** The failure's code, or "stored" for a message that was stored. */
  private static Object refusal(WriteBatch.Outcome outcome) {
    return outcome.failure() == null ? "stored" : outcome.failure().code();
  }

  private static ChatMessage message(WriteBatch.Outcome outcome) {
    return outcome.stored().result().message();
  }
}
