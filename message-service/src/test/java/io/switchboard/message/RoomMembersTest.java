package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.InviteChange;
import io.switchboard.common.chat.InviteResult;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomPage;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.RoomSummary;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Membership and roles (docs/protocol.md, "Membership and roles") on the event bus, two instances of
 * message-service on a real Postgres, driven the way gateways drive it; what they announce is read
 * from the gateways' fan-out address. The test thread blocks on the answers (never an event loop).
 */
@ExtendWith(VertxExtension.class)
class RoomMembersTest {
  private static final int MEMBERS_MAX = 6;
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");
  private static final Sender BOB = new Sender("acme", "bob", "Bob");
  private static final Sender CAROL = new Sender("acme", "carol", "Carol");
  private static final Sender DAN = new Sender("acme", "dan", "Dan");
  private static final Sender EVE = new Sender("other", "eve", "Eve");

  private static ServiceFixture service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    service = ServiceFixture.deploy(vertx, config -> config.with(ConfigKey.ROOM_MEMBERS_MAX, String.valueOf(MEMBERS_MAX)), 2);
  }

  @AfterAll
  static void close() throws Exception {
    service.close();
  }

  private static Room room(Vertx vertx, Sender creator, String kind, String... members) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(creator, "team", kind, "optimistic", List.of(members)));
  }

  private static MemberChangeResult change(Vertx vertx, MemberChange change) throws Exception {
    return ask(vertx, Addresses.ROOM_MEMBER_CHANGE, change);
  }

  private static String refusal(Vertx vertx, MemberChange change) throws Exception {
    return codeOf(vertx, Addresses.ROOM_MEMBER_CHANGE, change);
  }

  /** userId=role of each member, owner first. */
  private static List<String> members(Vertx vertx, String roomId) throws Exception {
    MemberList list = ask(vertx, Addresses.ROOM_MEMBER_LIST, new MemberListRequest(ALICE, roomId));
    return list.members().stream().map(m -> m.userId() + "=" + m.role()).toList();
  }

  private static PersistResult send(Vertx vertx, String roomId, Sender sender, String body) throws Exception {
    return ask(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(sender, roomId, UUID.randomUUID().toString(), body, null, null, null, "test"));
  }

  /** The fan-out events of one room's change, in publish order: those of {@code seq}, or naming its users. */
  private static List<RoomEvent> eventsOf(String roomId, long seq, int count) throws InterruptedException {
    List<RoomEvent> events = new ArrayList<>();
    while (events.size() < count) {
      events.add(service.next(e -> e.data() instanceof JsonObject d ? roomId.equals(d.getString("roomId")) && Long.valueOf(seq).equals(d.getLong("seq"))
          : e.room().equals(ClientEvents.chatRoom(roomId)) && e.seq() == seq));
    }
    return events;
  }

  @Test
  @DisplayName("the creator of a room is its owner, the others members; the list says so, owner first")
  void creatorOwns(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "carol", "bob");
    assertEquals(List.of("alice=owner", "bob=member", "carol=member"), members(vertx, room.id()));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_MEMBER_LIST, new MemberListRequest(DAN, room.id())));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_MEMBER_LIST, new MemberListRequest(EVE, room.id())));
  }

  @Test
  @DisplayName("adding members takes the room's next seq for a system message, tells the room and the added users, and starts them with nothing unread")
  void addMembers(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    send(vertx, room.id(), BOB, "before");
    MemberChangeResult added = change(vertx, MemberChange.add(ALICE, room.id(), List.of("carol", "dan", "bob")));
    PersistResult after = send(vertx, room.id(), BOB, "after");

    assertEquals(2, added.seq());
    assertEquals(List.of("carol", "dan"), added.members().stream().map(Member::userId).toList(), "bob was a member already");
    assertEquals(3, after.message().seq(), "seq stays gapless: message, change, message");
    List<RoomEvent> events = eventsOf(room.id(), 2, 2);
    RoomEvent toRoom = events.get(0);
    assertEquals(ClientEvents.chatRoom(room.id()), toRoom.room());
    assertEquals(ClientEvents.MEMBER_ADDED, toRoom.event());
    assertEquals(2, toRoom.seq(), "ordered with the room's messages");
    JsonObject data = (JsonObject) toRoom.data();
    assertEquals("alice", data.getString("actorId"));
    assertEquals(new JsonArray().add(new JsonObject().put("userId", "carol").put("role", "member"))
        .add(new JsonObject().put("userId", "dan").put("role", "member")), data.getJsonArray("members"));
    assertEquals("system", data.getJsonObject("message").getString("senderId"));
    RoomEvent toUsers = events.get(1);
    assertEquals(List.of(ClientEvents.userRoom("acme", "carol"), ClientEvents.userRoom("acme", "dan")),
        java.util.stream.Stream.concat(java.util.stream.Stream.of(toUsers.room()), toUsers.moreRooms().stream()).toList());

    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(CAROL, room.id(), null, null, 10));
    ChatMessage recorded = history.messages().get(1);
    assertEquals(List.of(1L, 2L, 3L), history.messages().stream().map(ChatMessage::seq).toList());
    assertEquals("alice added carol, dan", recorded.body());
    assertEquals(ClientEvents.MEMBER_ADDED, recorded.meta().getString("event"));
    JoinResult carol = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(CAROL, room.id(), null, 10));
    assertEquals(1, carol.unread(), "only what came after the addition");
    assertEquals(List.of("alice=owner", "bob=member", "carol=member", "dan=member"), members(vertx, room.id()));
  }

  @Test
  @DisplayName("adding members everyone already is changes nothing: no seq, no event")
  void addingMembersAgain(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    MemberChangeResult again = change(vertx, MemberChange.add(ALICE, room.id(), List.of("bob", "alice")));
    assertFalse(again.changed());
    assertEquals(1, send(vertx, room.id(), ALICE, "next").message().seq(), "no seq was taken");
  }

  @Test
  @DisplayName("only owners and admins add members; a stranger is refused, another tenant's room is not found, a direct room keeps its two")
  void whoMayAdd(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    Room direct = room(vertx, ALICE, "direct", "bob");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.add(BOB, room.id(), List.of("carol"))), "a member");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.add(DAN, room.id(), List.of("carol"))), "not a member");
    assertEquals("NOT_FOUND", refusal(vertx, MemberChange.add(EVE, room.id(), List.of("carol"))), "another tenant");
    assertEquals("NOT_FOUND", refusal(vertx, MemberChange.add(ALICE, "no-such-room", List.of("carol"))));
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.add(ALICE, direct.id(), List.of("carol"))), "a direct room");
    assertEquals("VALIDATION_ERROR", refusal(vertx, MemberChange.add(ALICE, room.id(), List.of("has space"))));
    change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin"));
    assertTrue(change(vertx, MemberChange.add(BOB, room.id(), List.of("carol"))).changed(), "an admin may");
    assertEquals(List.of("alice=owner", "bob=admin", "carol=member"), members(vertx, room.id()));
  }

  @Test
  @DisplayName("adding past ROOM_MEMBERS_MAX adds nobody: MEMBER_LIMIT")
  void memberLimit(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "u1", "u2", "u3");
    assertEquals("MEMBER_LIMIT", refusal(vertx, MemberChange.add(ALICE, room.id(), List.of("u4", "u5", "u6"))));
    assertEquals(4, members(vertx, room.id()).size(), "nothing half-applied");
    assertTrue(change(vertx, MemberChange.add(ALICE, room.id(), List.of("u4", "u5"))).changed(), "up to the limit");
    assertEquals(MEMBERS_MAX, members(vertx, room.id()).size());
  }

  @Test
  @DisplayName("two adds at once, each within the limit but not both: one is applied, the other is MEMBER_LIMIT")
  void concurrentAddsKeepTheLimit(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "u1", "u2");
    List<Future<String>> both = List.of(
        vertx.eventBus().request(Addresses.ROOM_MEMBER_CHANGE, MemberChange.add(ALICE, room.id(), List.of("a1", "a2")))
            .map(ok -> "ok").recover(f -> Future.succeededFuture(ErrorCode.fromBusCode(((ReplyException) f).failureCode()).name())),
        vertx.eventBus().request(Addresses.ROOM_MEMBER_CHANGE, MemberChange.add(ALICE, room.id(), List.of("b1", "b2")))
            .map(ok -> "ok").recover(f -> Future.succeededFuture(ErrorCode.fromBusCode(((ReplyException) f).failureCode()).name())));
    await(Future.all(both));
    assertEquals(List.of("MEMBER_LIMIT", "ok"), both.stream().map(Future::result).sorted().toList());
    assertEquals(5, members(vertx, room.id()).size());
  }

  @Test
  @DisplayName("a removed member hears it, their sockets are told to leave the room after it, and they can neither join nor post again")
  void removeMember(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob", "carol");
    MemberChangeResult removed = change(vertx, MemberChange.remove(ALICE, room.id(), "bob"));

    List<RoomEvent> events = eventsOf(room.id(), removed.seq(), 3);
    assertEquals(ClientEvents.MEMBER_REMOVED, events.get(0).event());
    assertEquals(ClientEvents.chatRoom(room.id()), events.get(0).room());
    JsonObject data = (JsonObject) events.get(0).data();
    assertEquals("bob", data.getString("userId"));
    assertEquals("removed", data.getString("reason"));
    assertEquals(ClientEvents.userRoom("acme", "bob"), events.get(1).room(), "bob's other devices");
    assertEquals(ClientEvents.chatRoom(room.id()), events.get(1).exceptRoom(), "not twice to a socket in the room");
    assertEquals(RoomEvent.SOCKETS_LEAVE, events.get(2).event());
    assertEquals(removed.seq(), events.get(2).seq(), "right after the event, in the room's order");
    assertEquals(new JsonArray().add(ClientEvents.userRoom("acme", "bob")), events.get(2).data());

    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10)));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(BOB, room.id(), UUID.randomUUID().toString(), "still here?", null, null, null, "t")));
    RoomList bobsRooms = ask(vertx, Addresses.ROOM_LIST, new RoomListRequest(BOB, 100));
    assertFalse(bobsRooms.rooms().stream().map(RoomSummary::id).anyMatch(room.id()::equals));
    assertEquals(List.of("alice=owner", "carol=member"), members(vertx, room.id()));
  }

  @Test
  @DisplayName("an admin removes members, never the owner nor another admin; the owner removes admins; no one removes a stranger or themselves")
  void whoMayRemove(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob", "carol", "dan");
    change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin"));
    change(vertx, MemberChange.setRole(ALICE, room.id(), "carol", "admin"));
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.remove(DAN, room.id(), "bob")), "a member");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.remove(BOB, room.id(), "alice")), "the owner");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.remove(BOB, room.id(), "carol")), "another admin");
    assertEquals("NOT_FOUND", refusal(vertx, MemberChange.remove(BOB, room.id(), "zed")), "not a member");
    assertEquals("VALIDATION_ERROR", refusal(vertx, MemberChange.remove(BOB, room.id(), "bob")), "yourself");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.remove(ALICE, room(vertx, ALICE, "direct", "bob").id(), "bob")));
    assertTrue(change(vertx, MemberChange.remove(BOB, room.id(), "dan")).changed(), "an admin removes a member");
    assertTrue(change(vertx, MemberChange.remove(ALICE, room.id(), "carol")).changed(), "the owner removes an admin");
    assertEquals(List.of("alice=owner", "bob=admin"), members(vertx, room.id()));
  }

  @Test
  @DisplayName("quitting is for good: the room leaves the user's list; the owner must transfer first (LAST_OWNER); a direct room cannot be quit")
  void quit(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    MemberChangeResult left = change(vertx, MemberChange.leave(BOB, room.id()));
    JsonObject data = (JsonObject) eventsOf(room.id(), left.seq(), 1).get(0).data();
    assertEquals("left", data.getString("reason"));
    assertEquals("bob", data.getString("actorId"));
    RoomList bobsRooms = ask(vertx, Addresses.ROOM_LIST, new RoomListRequest(BOB, 100));
    assertFalse(bobsRooms.rooms().stream().map(RoomSummary::id).anyMatch(room.id()::equals));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_MARK_READ, new io.switchboard.common.chat.MarkRead(BOB, room.id(), 1)),
        "no read state left");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.leave(BOB, room.id())), "not a member any more");
    assertEquals("LAST_OWNER", refusal(vertx, MemberChange.leave(ALICE, room.id())));
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.leave(BOB, room(vertx, ALICE, "direct", "bob").id())));
    assertEquals(List.of("alice=owner"), members(vertx, room.id()));
  }

  @Test
  @DisplayName("only the owner changes roles; making another the owner transfers the ownership in one change, the old owner becoming admin")
  void roles(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob", "carol");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.setRole(BOB, room.id(), "carol", "admin")));
    MemberChangeResult promoted = change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin"));
    assertEquals(List.of(new Member("bob", "admin", "member")), promoted.members());
    assertFalse(change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin")).changed(), "the same role again");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.setRole(BOB, room.id(), "carol", "admin")), "an admin");
    assertEquals("NOT_FOUND", refusal(vertx, MemberChange.setRole(ALICE, room.id(), "zed", "admin")));
    assertEquals("VALIDATION_ERROR", refusal(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "king")));
    assertEquals("LAST_OWNER", refusal(vertx, MemberChange.setRole(ALICE, room.id(), "alice", "member")));

    MemberChangeResult transfer = change(vertx, MemberChange.setRole(ALICE, room.id(), "carol", "owner"));
    assertEquals(List.of(new Member("carol", "owner", "member"), new Member("alice", "admin", "owner")), transfer.members());
    RoomEvent event = eventsOf(room.id(), transfer.seq(), 1).get(0);
    assertEquals(ClientEvents.MEMBER_ROLE_CHANGED, event.event());
    assertEquals(2, ((JsonObject) event.data()).getJsonArray("changes").size(), "one event for both");
    assertEquals(List.of("carol=owner", "alice=admin", "bob=admin"), members(vertx, room.id()));
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "member")), "no longer the owner");
    assertTrue(change(vertx, MemberChange.leave(ALICE, room.id())).changed(), "the old owner may quit now");
  }

  @Test
  @DisplayName("the owner moderates like an admin: edits another member's message")
  void ownerModerates(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    PersistResult sent = send(vertx, room.id(), BOB, "hello");
    assertEquals("no error", codeOf(vertx, Addresses.MESSAGE_EDIT,
        new MessageEdit(ALICE, room.id(), sent.message().id(), "[moderated]", null)));
  }

  @Test
  @DisplayName("every change is audited in room_audit, in the change's transaction: who, what, which members, which seq, when")
  void audited(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    change(vertx, MemberChange.add(ALICE, room.id(), List.of("carol")));
    change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin"));
    change(vertx, MemberChange.remove(BOB, room.id(), "carol"));
    refusal(vertx, MemberChange.remove(BOB, room.id(), "alice"));
    List<List<Object>> audit = new ArrayList<>();
    for (Row row : await(service.db().preparedQuery("SELECT * FROM room_audit WHERE room_id = $1 ORDER BY id").execute(Tuple.of(room.id())))) {
      assertNotNull(row.getOffsetDateTime("created_at"));
      assertEquals("acme", row.getString("tenant_id"));
      audit.add(List.of(row.getLong("seq"), row.getString("actor_id"), row.getString("action"), row.getJsonArray("members")));
    }
    assertEquals(List.of(
        List.of(1L, "alice", "add", new JsonArray().add(new JsonObject().put("userId", "carol").put("role", "member"))),
        List.of(2L, "alice", "set_role",
            new JsonArray().add(new JsonObject().put("userId", "bob").put("role", "admin").put("previous", "member"))),
        List.of(3L, "bob", "remove", new JsonArray().add(new JsonObject().put("userId", "carol").put("previous", "member")))),
        audit, "the refusal changed nothing");
  }

  private static RoomChangeResult roomChange(Vertx vertx, RoomChange change) throws Exception {
    return ask(vertx, Addresses.ROOM_CHANGE, change);
  }

  private static RoomSummary summary(Vertx vertx, Sender user, String roomId) throws Exception {
    RoomList rooms = ask(vertx, Addresses.ROOM_LIST, new RoomListRequest(user, 100));
    return rooms.rooms().stream().filter(r -> r.id().equals(roomId)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("owners and admins rename a room and set its topic: a seq, an event to the room, the list shows it; members, strangers and direct rooms are refused")
  void renameAndTopic(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob", "carol");
    change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin"));
    RoomChangeResult renamed = roomChange(vertx, new RoomChange(BOB, room.id(), RoomChange.Action.UPDATE, "launch", "ship it"));

    RoomEvent event = eventsOf(room.id(), renamed.seq(), 1).get(0);
    assertEquals(ClientEvents.ROOM_UPDATED, event.event());
    assertEquals(List.of("launch", "ship it", "bob"), List.of(((JsonObject) event.data()).getString("name"),
        ((JsonObject) event.data()).getString("topic"), ((JsonObject) event.data()).getString("actorId")));
    RoomSummary listed = summary(vertx, CAROL, room.id());
    assertEquals(List.of("launch", "ship it"), List.of(listed.name(), listed.topic()));
    assertFalse(roomChange(vertx, new RoomChange(ALICE, room.id(), RoomChange.Action.UPDATE, "launch", null)).changed(),
        "the same name again");
    assertTrue(roomChange(vertx, new RoomChange(ALICE, room.id(), RoomChange.Action.UPDATE, null, "")).changed(), "topic cleared");
    assertNull(summary(vertx, CAROL, room.id()).topic());

    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_CHANGE, new RoomChange(CAROL, room.id(), RoomChange.Action.UPDATE, "x", null)));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_CHANGE, new RoomChange(DAN, room.id(), RoomChange.Action.UPDATE, "x", null)));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_CHANGE, new RoomChange(EVE, room.id(), RoomChange.Action.UPDATE, "x", null)));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.ROOM_CHANGE, new RoomChange(ALICE, room.id(), RoomChange.Action.UPDATE, " ", null)));
    Room direct = room(vertx, ALICE, "direct", "bob");
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_CHANGE, new RoomChange(ALICE, direct.id(), RoomChange.Action.ARCHIVE, null, null)));
  }

  @Test
  @DisplayName("an archived room is read-only: sends (of users and services), edits and deletes answer ROOM_ARCHIVED; members still change; unarchived, it takes messages again")
  void archive(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    PersistResult before = send(vertx, room.id(), BOB, "before");
    RoomChangeResult archived = roomChange(vertx, new RoomChange(ALICE, room.id(), RoomChange.Action.ARCHIVE, null, null));
    assertEquals(ClientEvents.ROOM_ARCHIVED, eventsOf(room.id(), archived.seq(), 1).get(0).event());
    assertTrue(summary(vertx, BOB, room.id()).archived());

    assertEquals("ROOM_ARCHIVED", codeOf(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(BOB, room.id(), UUID.randomUUID().toString(), "too late", null, null, null, "t")));
    assertEquals("ROOM_ARCHIVED", codeOf(vertx, Addresses.CHAT_MESSAGE_CREATE,
        new JsonObject().put("roomId", room.id()).put("body", "from a service")));
    assertEquals("ROOM_ARCHIVED", codeOf(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(BOB, room.id(), before.message().id(), "x", null)));
    assertEquals("ROOM_ARCHIVED", codeOf(vertx, Addresses.MESSAGE_DELETE,
        new io.switchboard.common.chat.MessageDelete(BOB, room.id(), before.message().id(), null)));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(EVE, room.id(), UUID.randomUUID().toString(), "hi", null, null, null, "t")), "another tenant learns nothing");
    assertTrue(change(vertx, MemberChange.add(ALICE, room.id(), List.of("carol"))).changed(), "members still change");
    assertFalse(roomChange(vertx, new RoomChange(ALICE, room.id(), RoomChange.Action.ARCHIVE, null, null)).changed());

    assertTrue(roomChange(vertx, new RoomChange(ALICE, room.id(), RoomChange.Action.UNARCHIVE, null, null)).changed());
    PersistResult after = send(vertx, room.id(), BOB, "after");
    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(BOB, room.id(), null, null, 10));
    assertEquals(List.of("before", "alice archived the room", "alice added carol", "alice unarchived the room", "after"),
        history.messages().stream().map(ChatMessage::body).toList(), "nothing stored while archived, and the seqs without a gap");
    assertEquals(5, after.message().seq());
  }

  @Test
  @DisplayName("a public room full to ROOM_MEMBERS_MAX takes no one more by joining (MEMBER_LIMIT); its members still join")
  void publicRoomLimit(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "public", "u1", "u2", "u3", "u4");
    JoinResult bob = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10));
    assertEquals(MEMBERS_MAX, bob.members(), "the sixth member");
    assertEquals("MEMBER_LIMIT", codeOf(vertx, Addresses.ROOM_JOIN, new JoinRequest(CAROL, room.id(), null, 10)));
    assertEquals(MEMBERS_MAX, members(vertx, room.id()).size());
    assertEquals("no error", codeOf(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10)));
  }

  private static JsonObject manage(Vertx vertx, JsonObject request) throws Exception {
    return ask(vertx, Addresses.CHAT_ROOM_MANAGE, request);
  }

  @Test
  @DisplayName("services run rooms on chat.room.manage: the system with the owner's rights (not a member), a user with theirs; another tenant's room is NOT_FOUND")
  void servicesManageRooms(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    JsonObject asSystem = new JsonObject().put("roomId", room.id()).put("tenant", "acme");

    JsonObject added = manage(vertx, asSystem.copy().put("action", "add-members").put("userIds", new JsonArray().add("carol")));
    assertEquals(new JsonArray().add("carol"), added.getJsonArray("added"));
    assertEquals("system", ((JsonObject) eventsOf(room.id(), added.getLong("seq"), 1).get(0).data()).getString("actorId"));
    JsonObject transfer = manage(vertx, asSystem.copy().put("action", "set-member-role").put("userId", "bob").put("role", "owner"));
    assertEquals(new JsonArray().add(new JsonObject().put("userId", "bob").put("role", "owner").put("previous", "member"))
        .add(new JsonObject().put("userId", "alice").put("role", "admin").put("previous", "owner")), transfer.getJsonArray("changes"));
    assertEquals(List.of("bob=owner", "alice=admin", "carol=member"), members(vertx, room.id()));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, asSystem.copy().put("action", "remove-member").put("userId", "bob")),
        "not even the system removes the owner");
    assertEquals("LAST_OWNER", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE,
        asSystem.copy().put("action", "set-member-role").put("userId", "bob").put("role", "member")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, asSystem.copy().put("action", "quit-room")));
    assertTrue(manage(vertx, asSystem.copy().put("action", "archive-room")).containsKey("seq"));
    JsonObject invitation = manage(vertx, asSystem.copy().put("action", "create-invite").put("maxUses", 1));
    assertTrue(invite(vertx, accept(DAN, invitation.getString("token"))).joined().changed(), "the system's invitation admits");

    assertEquals(4, manage(vertx, asSystem.copy().put("action", "list-members")).getJsonArray("members").size(),
        "the system reads the members of a group room it is not in");
    JsonObject asCarol = asSystem.copy().put("actor", "carol");
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE,
        asCarol.copy().put("action", "add-members").put("userIds", new JsonArray().add("erin"))), "a member, as if she sent it");
    assertEquals(4, manage(vertx, asCarol.copy().put("action", "list-members")).getJsonArray("members").size(), "dan came in");
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, asSystem.copy().put("tenant", "other").put("action", "list-members")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, asSystem.copy().put("action", "explode")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE,
        asSystem.copy().put("action", "add-members").put("userIds", new JsonArray().add(7))));
  }

  @Test
  @DisplayName("services search a tenant's public rooms on chat.room.manage, paged as sockets do; never another tenant's, nor a group room; a bad cursor or query is VALIDATION_ERROR")
  void servicesSearchRooms(Vertx vertx) throws Exception {
    String tag = "srch" + UUID.randomUUID().toString().substring(0, 8);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(named(vertx, tag + "-" + i, "public").id());
    }
    named(vertx, tag + "-9", "group");
    JsonObject search = new JsonObject().put("action", "search-rooms").put("tenant", "acme").put("query", tag).put("limit", 2);

    JsonObject first = manage(vertx, search);
    assertEquals(List.of(ids.get(0), ids.get(1)), roomIds(first));
    assertFalse(first.getJsonArray("rooms").getJsonObject(0).getBoolean("member"), "the system is no member");
    JsonObject second = manage(vertx, search.copy().put("after", first.getString("next")));
    assertEquals(List.of(ids.get(2)), roomIds(second), "not the group room " + tag + "-9");
    assertFalse(second.containsKey("next"), "the last page");
    assertTrue(manage(vertx, search.copy().put("actor", "alice")).getJsonArray("rooms").getJsonObject(0).getBoolean("member"),
        "as alice sees it");
    assertEquals(List.of(), roomIds(manage(vertx, search.copy().put("tenant", "other"))), "another tenant's rooms");
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, search.copy().put("after", "not-a-cursor")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, search.copy().put("query", "")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, search.copy().put("limit", 101)));
  }

  @Test
  @DisplayName("services create rooms on chat.room.manage as a user, who owns them and is told; never as the system; bad fields are VALIDATION_ERROR")
  void servicesCreateRooms(Vertx vertx) throws Exception {
    JsonObject create = new JsonObject().put("action", "create-room").put("tenant", "acme").put("actor", "alice")
        .put("name", "Support").put("kind", "group").put("members", new JsonArray().add("bob").add("alice"));
    JsonObject room = manage(vertx, create).getJsonObject("room");
    assertEquals("acme", room.getString("tenant"));
    assertEquals("alice", room.getString("createdBy"));
    assertEquals(List.of("alice=owner", "bob=member"), members(vertx, room.getString("id")));
    JsonObject direct = create.copy().put("kind", "direct").put("members", new JsonArray().add("carol"));
    assertEquals(manage(vertx, direct).getJsonObject("room").getString("id"), manage(vertx, direct).getJsonObject("room").getString("id"),
        "a direct room is created once");

    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, create.copy().put("actor", null)), "the system owns no room");
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, create.copy().put("kind", "secret")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, create.copy().put("name", "")));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, create.copy().put("members", new JsonArray().add(" x"))));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, direct.copy().put("members", new JsonArray())));
  }

  private static Room named(Vertx vertx, String name, String kind) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(ALICE, name, kind, "optimistic", List.of()));
  }

  private static List<String> roomIds(JsonObject page) {
    return page.getJsonArray("rooms").stream().map(r -> ((JsonObject) r).getString("id")).toList();
  }

  @Test
  @DisplayName("a banned member is removed, and told, and neither joins a public room nor is added again until unbanned; only owners and admins ban, an admin never the owner or an admin")
  void ban(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "public", "bob", "carol");
    change(vertx, MemberChange.setRole(ALICE, room.id(), "carol", "admin"));
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.ban(BOB, room.id(), "carol")), "a member");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.ban(CAROL, room.id(), "alice")), "the owner");
    assertEquals("VALIDATION_ERROR", refusal(vertx, MemberChange.ban(CAROL, room.id(), "carol")), "yourself");

    MemberChangeResult banned = change(vertx, MemberChange.ban(CAROL, room.id(), "bob"));
    List<RoomEvent> events = eventsOf(room.id(), banned.seq(), 3);
    assertEquals(List.of(ClientEvents.MEMBER_BANNED, ClientEvents.MEMBER_BANNED, RoomEvent.SOCKETS_LEAVE),
        events.stream().map(RoomEvent::event).toList(), "to the room, to bob's devices, then his sockets leave");
    assertEquals(true, ((JsonObject) events.get(0).data()).getBoolean("wasMember"));
    assertEquals(List.of("alice=owner", "carol=admin"), members(vertx, room.id()));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10)), "a public room, yet");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.add(ALICE, room.id(), List.of("dan", "bob"))));
    assertEquals(List.of("alice=owner", "carol=admin"), members(vertx, room.id()), "nobody added, dan neither");
    assertFalse(change(vertx, MemberChange.ban(ALICE, room.id(), "bob")).changed(), "banned already");

    MemberChangeResult preemptive = change(vertx, MemberChange.ban(ALICE, room.id(), "eve-to-be"));
    assertEquals(false, ((JsonObject) eventsOf(room.id(), preemptive.seq(), 1).get(0).data()).getBoolean("wasMember"));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_JOIN,
        new JoinRequest(new Sender("acme", "eve-to-be", null), room.id(), null, 10)), "kept out before ever joining");

    assertTrue(change(vertx, MemberChange.unban(CAROL, room.id(), "bob")).changed());
    assertFalse(change(vertx, MemberChange.unban(CAROL, room.id(), "bob")).changed(), "not banned any more");
    assertEquals("no error", codeOf(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10)));
    assertEquals(List.of("alice=owner", "carol=admin", "bob=member"), members(vertx, room.id()));
  }

  @Test
  @DisplayName("the owner deletes a room with its messages: the room hears it after its last message, then every socket leaves; it is NOT_FOUND from then on, and audited")
  void deleteRoom(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob", "carol");
    change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin"));
    send(vertx, room.id(), CAROL, "last words");
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_CHANGE, new RoomChange(BOB, room.id(), RoomChange.Action.DELETE, null, null)),
        "an admin");

    RoomChangeResult deleted = roomChange(vertx, new RoomChange(ALICE, room.id(), RoomChange.Action.DELETE, null, null));
    assertEquals(3, deleted.seq(), "after the role change (1) and the message (2)");
    assertEquals(List.of("alice", "bob", "carol"), deleted.formerMembers());
    List<RoomEvent> events = eventsOf(room.id(), 3, 3);
    assertEquals(List.of(ClientEvents.ROOM_DELETED, ClientEvents.ROOM_DELETED, RoomEvent.SOCKETS_LEAVE),
        events.stream().map(RoomEvent::event).toList());
    assertEquals(ClientEvents.chatRoom(room.id()), events.get(0).room());
    assertEquals(new JsonArray().add(ClientEvents.chatRoom(room.id())), events.get(2).data(), "every socket of the room");

    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_JOIN, new JoinRequest(CAROL, room.id(), null, 10)));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(CAROL, room.id(), UUID.randomUUID().toString(), "anyone?", null, null, null, "t")));
    assertFalse(((RoomList) ask(vertx, Addresses.ROOM_LIST, new RoomListRequest(CAROL, 100))).rooms().stream()
        .anyMatch(r -> r.id().equals(room.id())));
    Row left = await(service.db().preparedQuery("SELECT (SELECT count(*) FROM messages WHERE room_id = $1) AS messages, "
        + "(SELECT count(*) FROM room_audit WHERE room_id = $1 AND action = 'delete') AS audited").execute(Tuple.of(room.id())))
        .iterator().next();
    assertEquals(List.of(0L, 1L), List.of(left.getLong("messages"), left.getLong("audited")));
  }

  @Test
  @DisplayName("search-rooms pages the tenant's public rooms whose name contains the query, by name, with member counts; never a group room or another tenant's")
  void searchPublicRooms(Vertx vertx) throws Exception {
    Sender searcher = new Sender("search-tenant", "sam", null);
    for (String name : List.of("kitchen a 100%", "kitchen b_x", "kitchen bbq", "garden")) {
      ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(new Sender("search-tenant", "owner", null), name, "public", "optimistic",
          List.of("x")));
    }
    ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(new Sender("search-tenant", "owner", null), "kitchen secret", "group",
        "optimistic", List.of("sam")));
    ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(new Sender("elsewhere", "owner", null), "kitchen abroad", "public",
        "optimistic", List.of()));

    RoomPage first = ask(vertx, Addresses.ROOM_SEARCH, new RoomSearchRequest(searcher, "KITCHEN", null, null, 2));
    assertEquals(List.of("kitchen a 100%", "kitchen b_x"), first.rooms().stream().map(RoomSummary::name).toList());
    assertTrue(first.more());
    assertEquals(2, first.rooms().get(0).members());
    RoomSummary last = first.rooms().get(1);
    RoomPage second = ask(vertx, Addresses.ROOM_SEARCH, new RoomSearchRequest(searcher, "KITCHEN", last.name(), last.id(), 2));
    assertEquals(List.of("kitchen bbq"), second.rooms().stream().map(RoomSummary::name).toList());
    assertFalse(second.more());
    RoomPage literal = ask(vertx, Addresses.ROOM_SEARCH, new RoomSearchRequest(searcher, "%", null, null, 10));
    assertEquals(List.of("kitchen a 100%"), literal.rooms().stream().map(RoomSummary::name).toList(), "% is a character, not a wildcard");
    RoomPage underscore = ask(vertx, Addresses.ROOM_SEARCH, new RoomSearchRequest(searcher, "b_", null, null, 10));
    assertEquals(List.of("kitchen b_x"), underscore.rooms().stream().map(RoomSummary::name).toList(), "_ too (bbq would match)");
    RoomPage all = ask(vertx, Addresses.ROOM_SEARCH, new RoomSearchRequest(searcher, null, null, null, 10));
    assertEquals(4, all.rooms().size(), "public rooms of the tenant only");
  }

  private static InviteResult invite(Vertx vertx, InviteChange change) throws Exception {
    return ask(vertx, Addresses.ROOM_INVITE, change);
  }

  private static InviteChange create(Sender actor, String roomId, Integer maxUses) {
    return new InviteChange(actor, InviteChange.Action.CREATE, roomId, null, 3600, maxUses);
  }

  private static InviteChange accept(Sender user, String token) {
    return new InviteChange(user, InviteChange.Action.ACCEPT, null, token, 0, null);
  }

  @Test
  @DisplayName("an invitation admits its bearer as a member, told like an addition, for its uses and life; revoked, expired or used up it is NOT_FOUND; bans and the limit still hold")
  void invitations(Vertx vertx) throws Exception {
    Room room = room(vertx, ALICE, "group", "bob");
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_INVITE, create(BOB, room.id(), null)), "a member");
    InviteResult once = invite(vertx, create(ALICE, room.id(), 1));
    assertTrue(once.token().length() >= 43, "32 random bytes");

    InviteResult carol = invite(vertx, accept(CAROL, once.token()));
    RoomEvent added = eventsOf(room.id(), carol.joined().seq(), 1).get(0);
    assertEquals(ClientEvents.MEMBER_ADDED, added.event());
    assertEquals("alice", ((JsonObject) added.data()).getString("invitedBy"));
    assertEquals(List.of("alice=owner", "bob=member", "carol=member"), members(vertx, room.id()));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_INVITE, accept(DAN, once.token())), "used up");
    assertFalse(invite(vertx, accept(CAROL, invite(vertx, create(ALICE, room.id(), null)).token())).joined().changed(),
        "a member already");

    InviteResult open = invite(vertx, create(ALICE, room.id(), null));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_INVITE, accept(EVE, open.token())), "another tenant");
    change(vertx, MemberChange.ban(ALICE, room.id(), "dan"));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_INVITE, accept(DAN, open.token())), "banned");
    invite(vertx, new InviteChange(ALICE, InviteChange.Action.REVOKE, room.id(), open.token(), 0, null));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_INVITE, accept(new Sender("acme", "fred", null), open.token())),
        "revoked");

    InviteResult stale = invite(vertx, create(ALICE, room.id(), null));
    await(service.db().query("UPDATE room_invites SET expires_at = now() - interval '1 second' WHERE room_id = '" + room.id() + "'")
        .execute());
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_INVITE, accept(new Sender("acme", "fred", null), stale.token())),
        "expired");
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.ROOM_INVITE, accept(DAN, "no-such-token")));
  }
}
