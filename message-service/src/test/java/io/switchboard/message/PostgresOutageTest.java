package io.switchboard.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.EmbeddedPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Postgres goes away in the middle of a stream of sends, then comes back. */
@ExtendWith(VertxExtension.class)
class PostgresOutageTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");
  private static EmbeddedPostgres postgres;
  private static int opsPort;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    postgres = EmbeddedPostgres.startTemporary("outage-pg");
    postgres.ensureDatabase("outage");
    BusCodecs.register(vertx);
    Config config = Config.defaults()
        .with(ConfigKey.PG_URL, postgres.uri("outage"))
        .with(ConfigKey.MESSAGE_OPS_PORT, opsPort = freePort())
        .with(ConfigKey.PERSIST_DEADLINE_MS, 2500);
    vertx.deployVerticle(new MessageServiceVerticle(MessageServiceConfig.from(config))).onComplete(ctx.succeedingThenComplete());
  }

  private static int freePort() throws java.io.IOException {
    return io.switchboard.embedded.Ports.free();
  }

  /** Polls /ready until it answers the expected status (the check runs at each call). */
  private static Future<Void> readyBecomes(Vertx vertx, int expected) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + 15_000;
    pollReady(vertx, expected, deadline, done);
    return done.future();
  }

  private static void pollReady(Vertx vertx, int expected, long deadline, Promise<Void> done) {
    vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, opsPort, "127.0.0.1", "/ready")
        .compose(req -> req.send()).map(io.vertx.core.http.HttpClientResponse::statusCode)
        .onComplete(status -> {
          if (status.succeeded() && status.result() == expected) {
            done.complete();
          } else if (System.currentTimeMillis() > deadline) {
            done.fail("/ready did not become " + expected);
          } else {
            vertx.setTimer(100, t -> pollReady(vertx, expected, deadline, done));
          }
        });
  }

  @Test
  @DisplayName("/ready turns 503 while Postgres is unreachable and 200 again once it is back")
  void readinessFollowsPostgres(Vertx vertx, VertxTestContext ctx) {
    readyBecomes(vertx, 200)
        .compose(v -> vertx.executeBlocking(() -> {
          postgres.kill();
          return null;
        }))
        .compose(v -> readyBecomes(vertx, 503))
        .compose(v -> vertx.executeBlocking(() -> {
          postgres.restart();
          return null;
        }))
        .compose(v -> readyBecomes(vertx, 200))
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  /** What happened to one send: its seq when acked, or the error code. */
  private record Outcome(String clientMsgId, Long seq, String code) {}

  @Test
  @DisplayName("sends during an outage end in a durable ack or PERSIST_FAILED, none acked goes missing, and writes resume by themselves")
  void outageMidStream(Vertx vertx, VertxTestContext ctx) {
    Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
    DeliveryOptions noSilence = new DeliveryOptions().setSendTimeout(20_000);
    int total = 150;
    vertx.eventBus().<Room>request(Addresses.ROOM_CREATE, new CreateRoomRequest(ALICE, "outage", "group", "optimistic", List.of()))
        .map(m -> m.body())
        .compose(room -> {
          Promise<Void> allDone = Promise.promise();
          for (int i = 0; i < total; i++) {
            int n = i;
            // One send every 20 ms for 3 s; Postgres dies at 0.6 s and comes back at 2.2 s.
            vertx.setTimer(1 + 20L * n, t -> {
              String clientMsgId = UUID.randomUUID().toString();
              vertx.eventBus().<PersistResult>request(Addresses.MESSAGE_PERSIST,
                      new PersistRequest(ALICE, room.id(), clientMsgId, "m" + n, null, null, "s", "t" + n), noSilence)
                  .onComplete(ok -> outcomes.put(n, new Outcome(clientMsgId, ok.body().message().seq(), null)),
                      failure -> outcomes.put(n, new Outcome(clientMsgId, null, describe(failure))))
                  .onComplete(done -> {
                    if (outcomes.size() == total) {
                      allDone.complete();
                    }
                  });
            });
          }
          vertx.setTimer(600, t -> vertx.executeBlocking(() -> {
            postgres.kill();
            return null;
          }));
          vertx.setTimer(2200, t -> vertx.executeBlocking(() -> {
            postgres.restart();
            return null;
          }));
          return allDone.future()
              .compose(v -> vertx.eventBus().<PersistResult>request(Addresses.MESSAGE_PERSIST,
                  new PersistRequest(ALICE, room.id(), UUID.randomUUID().toString(), "after", null, null, "s", "after"), noSilence))
              .compose(after -> history(vertx, room.id(), 0L, new ArrayList<>()))
              .map(stored -> stored);
        })
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          List<Outcome> all = new ArrayList<>(outcomes.values());
          for (Outcome o : all) {
            assertTrue(o.seq() != null || ErrorCode.PERSIST_FAILED.name().equals(o.code()), "ack or PERSIST_FAILED, got " + o);
          }
          long acked = all.stream().filter(o -> o.seq() != null).count();
          long failed = all.size() - acked;
          assertTrue(failed > 0, "the outage was felt (else this test proves nothing)");
          assertTrue(acked > 0);
          for (Outcome o : all) {
            if (o.seq() != null) {
              ChatMessage row = stored.get((int) (long) o.seq() - 1);
              assertEquals(o.seq(), row.seq(), "acked message " + o + " is stored at its seq");
            }
          }
          for (int i = 0; i < stored.size(); i++) {
            assertEquals(i + 1, stored.get(i).seq(), "no gap in seq");
          }
          assertEquals("after", stored.get(stored.size() - 1).body(), "writes resumed after the outage");
          ctx.completeNow();
        })));
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return ErrorCode.fromBusCode(re.failureCode()).name();
    }
    return "no answer: " + failure;
  }

  private static Future<List<ChatMessage>> history(Vertx vertx, String roomId, long after, List<ChatMessage> into) {
    return vertx.eventBus().<HistoryPage>request(Addresses.MESSAGE_HISTORY, new HistoryRequest(ALICE, roomId, null, after, 100))
        .compose(m -> {
          into.addAll(m.body().messages());
          return m.body().hasMore() ? history(vertx, roomId, into.get(into.size() - 1).seq(), into) : Future.succeededFuture(into);
        });
  }
}
