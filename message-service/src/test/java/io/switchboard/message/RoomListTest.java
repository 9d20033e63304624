package io.switchboard.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.RoomSummary;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code chat.room.list}: what a user's room list shows, on a real Postgres. */
@ExtendWith(VertxExtension.class)
class RoomListTest {
  private static final Sender ANN = new Sender("lists", "ann", "Ann");
  private static final Sender BEN = new Sender("lists", "ben", "Ben");
  private static final Sender ZED = new Sender("elsewhere", "zed", "Zed");

  @BeforeAll
  static void deploy(Vertx vertx, VertxTestContext ctx) {
    BusCodecs.register(vertx);
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0);
    vertx.deployVerticle(new MessageServiceVerticle(MessageServiceConfig.from(config))).onComplete(ctx.succeedingThenComplete());
  }

  private static <T> Future<T> ask(Vertx vertx, String address, Object body) {
    return vertx.eventBus().<T>request(address, body).map(m -> m.body());
  }

  private static Future<Room> room(Vertx vertx, Sender creator, String name, String kind, List<String> members) {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(creator, name, kind, "optimistic", members));
  }

  private static Future<Object> send(Vertx vertx, Room room, Sender sender) {
    return ask(vertx, Addresses.MESSAGE_PERSIST, new PersistRequest(sender, room.id(), UUID.randomUUID().toString(),
        "hi", null, null, "socket-" + sender.userId(), "test"));
  }

  @Test
  @DisplayName("a user's list holds their rooms with unread counts, then the tenant's public rooms they are not in; no other tenant's, no other people's private rooms")
  void listsOwnThenPublicRooms(Vertx vertx, VertxTestContext ctx) {
    room(vertx, ANN, "b-team", "group", List.of("ben"))
        .compose(team -> send(vertx, team, ANN).compose(v -> send(vertx, team, ANN)).compose(v -> send(vertx, team, ANN))
            .compose(v -> ask(vertx, Addresses.ROOM_MARK_READ, new MarkRead(BEN, team.id(), 1))))
        .compose(v -> room(vertx, ANN, "a-lobby", "public", List.of()))
        .compose(v -> room(vertx, ANN, "secret", "group", List.of()))
        .compose(v -> room(vertx, ZED, "their-public", "public", List.of()))
        .compose(v -> ask(vertx, Addresses.ROOM_LIST, new RoomListRequest(BEN, 50)))
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          List<RoomSummary> rooms = ((RoomList) answer).rooms();
          assertEquals(List.of("b-team", "a-lobby"), rooms.stream().map(RoomSummary::name).toList());
          RoomSummary team = rooms.get(0);
          assertEquals(true, team.member());
          assertEquals(3, team.lastSeq());
          assertEquals(2, team.unread());
          assertEquals(2, team.members());
          RoomSummary lobby = rooms.get(1);
          assertEquals(false, lobby.member());
          assertEquals("public", lobby.kind());
          assertEquals(0, lobby.unread());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the list stops at the limit")
  void limit(Vertx vertx, VertxTestContext ctx) {
    Sender kim = new Sender("limits", "kim", "Kim");
    room(vertx, kim, "one", "group", List.of())
        .compose(v -> room(vertx, kim, "two", "group", List.of()))
        .compose(v -> ask(vertx, Addresses.ROOM_LIST, new RoomListRequest(kim, 1)))
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEquals(List.of("one"), ((RoomList) answer).rooms().stream().map(RoomSummary::name).toList());
          ctx.completeNow();
        })));
  }
}
