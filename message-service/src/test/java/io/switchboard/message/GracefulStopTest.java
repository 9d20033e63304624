package io.switchboard.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** message-service undeployed while writes are in flight: it finishes what it accepted. */
@ExtendWith(VertxExtension.class)
class GracefulStopTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");

  @Test
  @DisplayName("a stop in the middle of 300 sends answers every one of them, and every acked message is stored")
  void stopFinishesAcceptedWrites(Vertx vertx, VertxTestContext ctx) {
    BusCodecs.register(vertx);
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0);
    MessageServiceConfig service = MessageServiceConfig.from(config);
    vertx.deployVerticle(new MessageServiceVerticle(service)).compose(first -> vertx.eventBus()
            .<Room>request(Addresses.ROOM_CREATE, new CreateRoomRequest(ALICE, "busy", "group", "optimistic", List.of()))
            .compose(room -> {
              List<Future<PersistResult>> sends = new ArrayList<>();
              for (int i = 0; i < 300; i++) {
                sends.add(vertx.eventBus().<PersistResult>request(Addresses.MESSAGE_PERSIST,
                    new PersistRequest(ALICE, room.body().id(), UUID.randomUUID().toString(), "m" + i, null, null, null, "t"))
                    .map(m -> m.body()));
              }
              Future<?> stopped = vertx.undeploy(first);
              return Future.join(sends).otherwiseEmpty().compose(v -> stopped)
                  // A fresh instance reads back what was stored.
                  .compose(v -> vertx.deployVerticle(new MessageServiceVerticle(service)))
                  .compose(v -> vertx.eventBus().<HistoryPage>request(Addresses.MESSAGE_HISTORY,
                      new HistoryRequest(ALICE, room.body().id(), null, 0L, 100)))
                  .map(page -> List.of(sends, page.body()));
            }))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<Future<PersistResult>> sends = (List<Future<PersistResult>>) result.get(0);
          HistoryPage stored = (HistoryPage) result.get(1);
          assertTrue(sends.stream().allMatch(Future::isComplete), "no send left without an answer");
          long acked = sends.stream().filter(Future::succeeded).count();
          assertTrue(acked > 0);
          assertEquals(Math.min(acked, 100), stored.messages().size(), "acked messages are stored (first page)");
          for (Future<PersistResult> send : sends) {
            if (send.succeeded() && send.result().message().seq() <= 100) {
              assertEquals(send.result().message().id(), stored.messages().get((int) send.result().message().seq() - 1).id());
            }
          }
          ctx.completeNow();
        })));
  }
}
