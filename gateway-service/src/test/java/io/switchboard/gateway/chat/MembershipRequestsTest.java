package io.switchboard.gateway.chat;

import static io.switchboard.gateway.support.ChatClient.errorCode;
import static io.switchboard.gateway.support.ChatClient.invalidField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.StubMessageService;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The membership requests through a real gateway and the official client, message-service stubbed:
 * what the gateway asks, how it acks and maps refusals, and what its sockets do on the fan-out's
 * {@code $sockets-leave} (message-service's side is RoomMembersTest's).
 */
@DisplayName("Membership requests: list, add, remove, set role, quit; a removed member's sockets leave the room")
class MembershipRequestsTest {
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start();
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private static JsonObject room(String roomId) {
    return new JsonObject().put("roomId", roomId);
  }

  private ChatClient joined(String user, String roomId) {
    ChatClient client = gateway.connect(user);
    assertTrue(client.request("join-room", room(roomId)).getBoolean("ok"));
    return client;
  }

  /** An event as message-service publishes it on the fan-out. */
  private void fanout(RoomEvent event) {
    gateway.vertx.eventBus().publish(Addresses.GATEWAY_FANOUT, event);
  }

  private static RoomEvent removed(String roomId, String userId, long seq) {
    JsonObject data = room(roomId).put("seq", seq).put("actorId", "alice").put("userId", userId).put("reason", "removed");
    return new RoomEvent(ClientEvents.chatRoom(roomId), ClientEvents.MEMBER_REMOVED, data, null).withSeq(seq);
  }

  private static RoomEvent message(String roomId, long seq, String body) {
    JsonObject created = new JsonObject().put("new", new JsonObject().put("roomId", roomId).put("seq", seq).put("body", body)
        .put("optimistic", false));
    return new RoomEvent(ClientEvents.chatRoom(roomId), ClientEvents.MESSAGE_CREATED, created, null).withSeq(seq);
  }

  @Test
  @DisplayName("list-members is acked with the members, their roles and the end of a mute that lasts, asked for the connected user")
  void listMembers() {
    ChatClient alice = gateway.connect("alice");
    JsonObject ack = alice.request("list-members", room("r1"));
    assertEquals(new JsonArray().add(new JsonObject().put("userId", "alice").put("role", "owner"))
        .add(new JsonObject().put("userId", "bob").put("role", "admin"))
        .add(new JsonObject().put("userId", "carol").put("role", "member").put("mutedUntil", StubMessageService.MUTED_UNTIL)),
        ack.getJsonArray("members"));
    MemberListRequest asked = gateway.messages.nextRequest(Addresses.ROOM_MEMBER_LIST);
    assertEquals(List.of("acme", "alice", "r1"), List.of(asked.user().tenant(), asked.user().userId(), asked.roomId()));
  }

  @Test
  @DisplayName("add-members, set-member-role, remove-member and quit-room ask message-service with the user as the actor and ack with the change's seq")
  void changes() {
    ChatClient alice = gateway.connect("alice");

    JsonObject added = alice.request("add-members", room("r1").put("userIds", new JsonArray().add("dan").add("erin")));
    assertEquals(new JsonObject().put("ok", true).put("added", new JsonArray().add("dan").add("erin")).put("seq", 42), added);
    MemberChange add = gateway.messages.nextRequest(Addresses.ROOM_MEMBER_CHANGE);
    assertEquals(MemberChange.Action.ADD, add.action());
    assertEquals(List.of("acme", "alice", "r1", "dan,erin"),
        List.of(add.actor().tenant(), add.actor().userId(), add.roomId(), String.join(",", add.userIds())));

    JsonObject role = alice.request("set-member-role", room("r1").put("userId", "bob").put("role", "admin"));
    assertEquals(new JsonArray().add(new JsonObject().put("userId", "bob").put("role", "admin").put("previous", "member")),
        role.getJsonArray("changes"));
    MemberChange setRole = gateway.messages.nextRequest(Addresses.ROOM_MEMBER_CHANGE);
    assertEquals(List.of("SET_ROLE", "bob", "admin"), List.of(setRole.action().name(), setRole.userIds().get(0), setRole.role()));

    assertEquals(42, alice.request("remove-member", room("r1").put("userId", "bob")).getInteger("seq"));
    assertEquals(MemberChange.Action.REMOVE, gateway.messages.<MemberChange>nextRequest(Addresses.ROOM_MEMBER_CHANGE).action());

    assertEquals(42, alice.request("ban-member", room("r1").put("userId", "bob")).getInteger("seq"));
    MemberChange ban = gateway.messages.nextRequest(Addresses.ROOM_MEMBER_CHANGE);
    assertEquals(List.of("BAN", "bob"), List.of(ban.action().name(), ban.userIds().get(0)));
    assertEquals(42, alice.request("unban-member", room("r1").put("userId", "bob")).getInteger("seq"));
    assertEquals(MemberChange.Action.UNBAN, gateway.messages.<MemberChange>nextRequest(Addresses.ROOM_MEMBER_CHANGE).action());

    assertEquals(42, alice.request("quit-room", room("r1")).getInteger("seq"));
    MemberChange quit = gateway.messages.nextRequest(Addresses.ROOM_MEMBER_CHANGE);
    assertEquals(List.of("LEAVE", "alice"), List.of(quit.action().name(), quit.actor().userId()));
  }

  @Test
  @DisplayName("message-service's refusals reach the client with their codes: LAST_OWNER, MEMBER_LIMIT, FORBIDDEN, NOT_FOUND")
  void refusals() {
    ChatClient alice = gateway.connect("alice");
    for (ErrorCode code : List.of(ErrorCode.LAST_OWNER, ErrorCode.MEMBER_LIMIT, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)) {
      gateway.messages.refuse(Addresses.ROOM_MEMBER_CHANGE, code);
      assertEquals(code.name(), errorCode(alice.request("quit-room", room("r1"))));
    }
  }

  @Test
  @DisplayName("bad membership requests are VALIDATION_ERRORs naming the field, never sent on: no users, too many, an unknown role, removing yourself")
  void badRequests() {
    ChatClient alice = gateway.connect("alice");
    JsonArray tooMany = new JsonArray(IntStream.range(0, 101).mapToObj(i -> "u" + i).toList());
    assertEquals("userIds", invalidField(alice.request("add-members", room("r1").put("userIds", new JsonArray()))));
    assertEquals("userIds", invalidField(alice.request("add-members", room("r1").put("userIds", tooMany))));
    assertEquals("role", invalidField(alice.request("set-member-role", room("r1").put("userId", "bob").put("role", "king"))));
    assertEquals("userId", invalidField(alice.request("remove-member", room("r1").put("userId", "alice"))));
    assertEquals("userId", invalidField(alice.request("ban-member", room("r1").put("userId", "alice"))));
    assertEquals("roomId", invalidField(alice.request("quit-room", new JsonObject())));
    assertEquals(0, gateway.messages.unread(Addresses.ROOM_MEMBER_CHANGE));
  }

  @Test
  @DisplayName("on $sockets-leave every socket of the removed user leaves the room, after the removal event; the others stay, and no client sees the order itself")
  void removedSocketsLeave() {
    ChatClient alice = joined("alice", "r1");
    ChatClient bobPhone = joined("bob", "r1");
    ChatClient bobLaptop = joined("bob", "r1");
    ChatClient bobElsewhere = gateway.connect("bob");

    fanout(removed("r1", "bob", 42));
    fanout(RoomEvent.socketsLeave(ClientEvents.chatRoom("r1"), List.of(ClientEvents.userRoom("acme", "bob")), 42));
    fanout(message("r1", 43, "after bob left"));

    assertEquals("after bob left", alice.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"));
    for (ChatClient bob : List.of(bobPhone, bobLaptop)) {
      assertEquals("bob", bob.next(ClientEvents.MEMBER_REMOVED).getString("userId"));
      assertEquals("FORBIDDEN", errorCode(bob.request("typing", room("r1").put("isTyping", true))), "out of the room");
      assertEquals(0, bob.pending(ClientEvents.MESSAGE_CREATED), "nothing of the room after the removal");
      assertEquals(0, bob.pending(RoomEvent.SOCKETS_LEAVE));
    }
    assertEquals("bob", alice.next(ClientEvents.MEMBER_REMOVED).getString("userId"));
    assertTrue(alice.request("typing", room("r1").put("isTyping", true)).getBoolean("ok"), "alice stays");
    assertEquals(0, alice.pending(RoomEvent.SOCKETS_LEAVE));
    assertEquals(0, bobElsewhere.pending(ClientEvents.MEMBER_REMOVED), "not in the room: told through the private room, by message-service");
  }

  @Test
  @DisplayName("a removal that arrives before a message of a lower seq waits for it: the removed member gets that message, then the removal, then leaves")
  void removalKeepsTheRoomsOrder() {
    ChatClient alice = joined("alice", "r1");
    ChatClient bob = joined("bob", "r1");

    // The stub's join read last seq 41. Seq 42 was written by another message-service instance, whose announcement is late.
    fanout(removed("r1", "bob", 43));
    fanout(RoomEvent.socketsLeave(ClientEvents.chatRoom("r1"), List.of(ClientEvents.userRoom("acme", "bob")), 43));
    fanout(message("r1", 42, "just before"));

    assertEquals("just before", bob.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"));
    assertEquals(43, bob.next(ClientEvents.MEMBER_REMOVED).getInteger("seq"));
    assertEquals("FORBIDDEN", errorCode(bob.request("typing", room("r1").put("isTyping", true))));
    assertEquals("just before", alice.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"));
    assertEquals(43, alice.next(ClientEvents.MEMBER_REMOVED).getInteger("seq"));
  }

  @Test
  @DisplayName("update-room, archive-room and unarchive-room ask message-service as the user; a send into an archived room answers ROOM_ARCHIVED")
  void roomChanges() {
    ChatClient alice = joined("alice", "r1");
    assertEquals(42, alice.request("update-room", room("r1").put("name", "launch").put("topic", "ship it")).getInteger("seq"));
    RoomChange update = gateway.messages.nextRequest(Addresses.ROOM_CHANGE);
    assertEquals(List.of("UPDATE", "alice", "launch", "ship it"),
        List.of(update.action().name(), update.actor().userId(), update.name(), update.topic()));
    assertTrue(alice.request("archive-room", room("r1")).getBoolean("ok"));
    assertEquals(RoomChange.Action.ARCHIVE, gateway.messages.<RoomChange>nextRequest(Addresses.ROOM_CHANGE).action());
    assertTrue(alice.request("unarchive-room", room("r1")).getBoolean("ok"));
    assertEquals(RoomChange.Action.UNARCHIVE, gateway.messages.<RoomChange>nextRequest(Addresses.ROOM_CHANGE).action());
    assertEquals("VALIDATION_ERROR", errorCode(alice.request("update-room", room("r1"))), "neither name nor topic");
    assertTrue(alice.request("delete-room", room("r1")).getBoolean("ok"));
    assertEquals(RoomChange.Action.DELETE, gateway.messages.<RoomChange>nextRequest(Addresses.ROOM_CHANGE).action());

    gateway.messages.refuse(Addresses.MESSAGE_PERSIST, ErrorCode.ROOM_ARCHIVED);
    assertEquals("ROOM_ARCHIVED", errorCode(alice.request("send-message",
        room("r1").put("clientMsgId", java.util.UUID.randomUUID().toString()).put("body", "too late"))));
  }

  @Test
  @DisplayName("a deleted room: on $sockets-leave naming the room itself, every socket leaves it, after room-deleted")
  void deletedRoomEmpties() {
    ChatClient alice = joined("alice", "r1");
    ChatClient bob = joined("bob", "r1");
    String room = ClientEvents.chatRoom("r1");
    fanout(new RoomEvent(room, ClientEvents.ROOM_DELETED, room("r1").put("seq", 42).put("actorId", "alice"), null).withSeq(42));
    fanout(RoomEvent.socketsLeave(room, List.of(room), 42));
    for (ChatClient c : List.of(alice, bob)) {
      assertEquals("r1", c.next(ClientEvents.ROOM_DELETED).getString("roomId"));
      assertEquals("FORBIDDEN", errorCode(c.request("typing", room("r1").put("isTyping", true))), "out of the room");
    }
  }
}
