package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static io.switchboard.message.ServiceFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blocks (docs/protocol.md, "Blocks") in message-service on a real Postgres, on the event bus as the
 * gateways ask: the list, the direct rooms refused, the placeholders of history, what the join tells
 * the gateway, and the events that say whose message they carry. Each test has users of its own.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Blocks in message-service")
class UserBlocksTest {
  private static ServiceFixture service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    service = ServiceFixture.deploy(vertx);
  }

  @AfterAll
  static void close() throws Exception {
    service.close();
  }

  private static BlockList block(Vertx vertx, Sender user, BlockChange.Action action, String userId) throws Exception {
    return ask(vertx, Addresses.USER_BLOCK, new BlockChange(user, action, userId));
  }

  /** A message with meta, so that a placeholder without it shows the meta was left out too. */
  private static PersistResult send(Room room, Sender sender, String body) throws Exception {
    return service.persist(new PersistRequest(sender, room.id(), UUID.randomUUID().toString(), body, null,
        new JsonObject().put("k", "v"), "s1", "t"));
  }

  private static List<String> seen(List<ChatMessage> messages) {
    return messages.stream().map(m -> m.senderId().replaceAll("-.*", "") + ":" + (m.hidden() ? "hidden" : m.body())).toList();
  }

  @Test
  @DisplayName("a user blocks, lists and unblocks; each change is told to their devices with the whole list, and a change that changes nothing is not")
  void blockAndList(Vertx vertx) throws Exception {
    Sender bob = user("bob");
    BlockList first = block(vertx, bob, BlockChange.Action.BLOCK, "zed");
    assertTrue(first.changed());
    block(vertx, bob, BlockChange.Action.BLOCK, "carol");
    BlockList again = block(vertx, bob, BlockChange.Action.BLOCK, "zed");
    assertFalse(again.changed());
    assertEquals(List.of("carol", "zed"), again.userIds(), "by user id");
    assertTrue(again.blocks().get(0).blockedAt().endsWith("Z"));

    String bobsRoom = ClientEvents.userRoom("acme", bob.userId());
    RoomEvent told = service.next(e -> bobsRoom.equals(e.room()));
    assertEquals(ClientEvents.USER_BLOCKS_CHANGED, told.event());
    assertEquals(new JsonObject().put("blocked", new JsonArray().add("zed")), told.data());
    assertEquals(new JsonObject().put("blocked", new JsonArray().add("carol").add("zed")), service.next(e -> bobsRoom.equals(e.room())).data());

    assertTrue(block(vertx, bob, BlockChange.Action.UNBLOCK, "zed").changed());
    assertFalse(block(vertx, bob, BlockChange.Action.UNBLOCK, "zed").changed());
    assertEquals(List.of("carol"), block(vertx, bob, BlockChange.Action.LIST, null).userIds());
    assertEquals(new JsonObject().put("blocked", new JsonArray().add("carol")), service.next(e -> bobsRoom.equals(e.room())).data());
    assertEquals(List.of(), block(vertx, new Sender("other", bob.userId(), null), BlockChange.Action.LIST, null).userIds(),
        "per tenant");
    assertTrue(service.fanout.stream().noneMatch(e -> bobsRoom.equals(e.room())), "nothing for the changes that changed nothing");
  }

  @Test
  @DisplayName("nobody blocks themselves, the system, or more than 1000 users")
  void limits(Vertx vertx) throws Exception {
    Sender bob = user("bob");
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.USER_BLOCK, new BlockChange(bob, BlockChange.Action.BLOCK, bob.userId())));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.USER_BLOCK, new BlockChange(bob, BlockChange.Action.BLOCK, "system")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.USER_BLOCK, new BlockChange(bob, BlockChange.Action.BLOCK, "has space")));
    await(service.db().preparedQuery("INSERT INTO user_blocks (tenant_id, blocker_id, blocked_id) SELECT 'acme', $1, 'u' || n "
        + "FROM generate_series(1, 1000) AS n").execute(Tuple.of(bob.userId())));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.USER_BLOCK, new BlockChange(bob, BlockChange.Action.BLOCK, "one-more")));
    assertFalse(block(vertx, bob, BlockChange.Action.BLOCK, "u7").changed(), "blocked already: no change, no refusal");
  }

  @Test
  @DisplayName("no direct room between two users when either blocks the other (BLOCKED), not even one that exists; a group room still takes them")
  void directRooms(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Sender carol = user("carol");
    service.room(alice, "direct", carol);
    block(vertx, bob, BlockChange.Action.BLOCK, alice.userId());
    block(vertx, carol, BlockChange.Action.BLOCK, alice.userId());

    assertEquals("BLOCKED", codeOf(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "dm", "direct", "optimistic",
        List.of(bob.userId()))), "blocked by bob");
    assertEquals("BLOCKED", codeOf(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(bob, "dm", "direct", "optimistic",
        List.of(alice.userId()))), "bob blocks alice");
    assertEquals("BLOCKED", codeOf(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "dm", "direct", "optimistic",
        List.of(carol.userId()))), "the room exists, yet");
    assertEquals("no error", codeOf(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(new Sender("other", alice.userId(), null),
        "dm", "direct", "optimistic", List.of(bob.userId()))), "another tenant's users of the same names");
    assertEquals("no error", codeOf(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "team", "group", "optimistic",
        List.of(bob.userId()))));
    block(vertx, bob, BlockChange.Action.UNBLOCK, alice.userId());
    assertEquals("no error", codeOf(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "dm", "direct", "optimistic",
        List.of(bob.userId()))));
  }

  @Test
  @DisplayName("history and a join's missed show a blocked user's messages to their blocker as placeholders, in place, with their seq; to the others whole; unblocked, whole again")
  void placeholders(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Sender carol = user("carol");
    Room room = service.room(alice, "group", bob, carol);
    send(room, alice, "hello");
    PersistResult carols = send(room, carol, "from carol");
    send(room, bob, "from bob");
    block(vertx, bob, BlockChange.Action.BLOCK, carol.userId());

    HistoryPage bobs = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(bob, room.id(), null, null, 10));
    assertEquals(List.of("alice:hello", "carol:hidden", "bob:from bob"), seen(bobs.messages()));
    ChatMessage placeholder = bobs.messages().get(1);
    assertEquals(List.of(carols.message().id(), "2", "", "true"), List.of(placeholder.id(), String.valueOf(placeholder.seq()),
        placeholder.body(), String.valueOf(placeholder.hidden())));
    assertNull(placeholder.meta());
    assertNull(placeholder.clientMsgId());
    HistoryPage forward = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(bob, room.id(), null, 0L, 10));
    assertEquals(seen(bobs.messages()), seen(forward.messages()), "pages forward too");
    JoinResult joined = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(bob, room.id(), 0L, 10));
    assertEquals(List.of("alice:hello", "carol:hidden", "bob:from bob"), seen(joined.missed()));
    assertEquals(List.of(carol.userId()), joined.blocked(), "the gateway learns whom bob blocks");
    assertEquals(List.of(), ((JoinResult) ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(alice, room.id(), null, 10))).blocked());

    HistoryPage alices = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(alice, room.id(), null, null, 10));
    assertEquals(List.of("alice:hello", "carol:from carol", "bob:from bob"), seen(alices.messages()));
    HistoryPage carolsView = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(carol, room.id(), null, null, 10));
    assertEquals(List.of("alice:hello", "carol:from carol", "bob:from bob"), seen(carolsView.messages()), "one way");

    block(vertx, bob, BlockChange.Action.UNBLOCK, carol.userId());
    HistoryPage after = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(bob, room.id(), null, null, 10));
    assertEquals(List.of("alice:hello", "carol:from carol", "bob:from bob"), seen(after.messages()));
  }

  @Test
  @DisplayName("the events of a message say whose it is, so a gateway can hide it from those who block them; the system's say none")
  void eventsSayWhose(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender carol = user("carol");
    Room room = service.room(alice, "group", carol);
    send(room, carol, "from carol");
    RoomEvent confirmed = service.next(e -> ClientEvents.MESSAGE_CONFIRMED.equals(e.event()) && e.room().equals(ClientEvents.chatRoom(room.id())));
    assertEquals(ClientEvents.userRoom("acme", carol.userId()), confirmed.from());
    RoomEvent durable = service.next(e -> ClientEvents.MESSAGE_CREATED.equals(e.event()) && e.room().equals(ClientEvents.durableRoom(room.id())));
    assertEquals(ClientEvents.userRoom("acme", carol.userId()), durable.from());
    ask(vertx, Addresses.CHAT_MESSAGE_CREATE, new JsonObject().put("roomId", room.id()).put("body", "from the system"));
    assertNull(service.next(e -> ClientEvents.MESSAGE_CREATED.equals(e.event()) && e.room().equals(ClientEvents.chatRoom(room.id()))).from());
  }
}
