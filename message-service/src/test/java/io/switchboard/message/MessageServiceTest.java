package io.switchboard.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MessageServiceTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");
  private static final Sender BOB = new Sender("acme", "bob", "Bob");
  private static final Sender EVE = new Sender("other", "eve", "Eve");

  @BeforeAll
  static void deploy(Vertx vertx, VertxTestContext ctx) {
    BusCodecs.register(vertx);
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0);
    vertx.deployVerticle(new MessageServiceVerticle(MessageServiceConfig.from(config))).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Room> createRoom(Vertx vertx, Sender creator, String kind, List<String> members) {
    return vertx.eventBus().<Room>request(Addresses.ROOM_CREATE, new CreateRoomRequest(creator, "general", kind, members))
        .map(m -> m.body());
  }

  private static Future<PersistResult> send(Vertx vertx, String roomId, Sender sender, String clientMsgId, String body) {
    return vertx.eventBus().<PersistResult>request(Addresses.MESSAGE_PERSIST,
        new PersistRequest(sender, roomId, clientMsgId, body, null, null, "test")).map(m -> m.body());
  }

  @Test
  @DisplayName("messages of a room get seq 1, 2, 3 and a join with sinceSeq returns those after it")
  void seqAndRecovery(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", List.of("bob"))
        .compose(room -> send(vertx, room.id(), ALICE, UUID.randomUUID().toString(), "one")
            .compose(a -> send(vertx, room.id(), BOB, UUID.randomUUID().toString(), "two"))
            .compose(b -> send(vertx, room.id(), ALICE, UUID.randomUUID().toString(), "three"))
            .compose(c -> vertx.eventBus().<JoinResult>request(Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), 1L, 100)))
            .map(m -> m.body()))
        .onComplete(ctx.succeeding(join -> ctx.verify(() -> {
          assertEquals(3, join.lastSeq());
          assertEquals(List.of(2L, 3L), join.missed().stream().map(m -> m.seq()).toList());
          assertEquals(List.of("two", "three"), join.missed().stream().map(m -> m.body()).toList());
          assertFalse(join.truncated());
          assertEquals(2, join.members());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the same clientMsgId sent twice makes one row; the second ack repeats id and seq as a duplicate")
  void idempotentSend(Vertx vertx, VertxTestContext ctx) {
    String clientMsgId = UUID.randomUUID().toString();
    createRoom(vertx, ALICE, "group", List.of())
        .compose(room -> send(vertx, room.id(), ALICE, clientMsgId, "hello")
            .compose(first -> send(vertx, room.id(), ALICE, clientMsgId, "hello").map(second -> List.of(first, second))))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          assertFalse(results.get(0).duplicate());
          assertTrue(results.get(1).duplicate());
          assertEquals(results.get(0).message().id(), results.get(1).message().id());
          assertEquals(1, results.get(1).message().seq());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("concurrent sends into one room get seq 1..N with no gap and no repeat")
  void concurrentSendsAreGapless(Vertx vertx, VertxTestContext ctx) {
    int n = 60;
    createRoom(vertx, ALICE, "public", List.of())
        .compose(room -> {
          List<Future<PersistResult>> sends = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            sends.add(send(vertx, room.id(), i % 2 == 0 ? ALICE : BOB, UUID.randomUUID().toString(), "m" + i));
          }
          return Future.all(sends).map(all -> sends.stream().map(f -> f.result().message().seq()).sorted().toList());
        })
        .onComplete(ctx.succeeding(seqs -> ctx.verify(() -> {
          List<Long> expected = new ArrayList<>();
          for (long i = 1; i <= n; i++) {
            expected.add(i);
          }
          assertEquals(expected, seqs);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a group room refuses non-members with FORBIDDEN and hides itself from other tenants with NOT_FOUND")
  void accessRules(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", List.of())
        .compose(room -> vertx.eventBus().request(Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10))
            .map(ok -> (Integer) null)
            .recover(f -> Future.succeededFuture(((ReplyException) f).failureCode()))
            .compose(bobCode -> vertx.eventBus().request(Addresses.ROOM_JOIN, new JoinRequest(EVE, room.id(), null, 10))
                .map(ok -> List.<Integer>of())
                .recover(f -> Future.succeededFuture(List.of(bobCode, ((ReplyException) f).failureCode())))))
        .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
          assertEquals(List.of(ErrorCode.FORBIDDEN.busCode(), ErrorCode.NOT_FOUND.busCode()), codes);
          ctx.completeNow();
        })));
  }
}
