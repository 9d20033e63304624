package io.switchboard.gateway.chat;

import static io.switchboard.gateway.support.ChatClient.errorCode;
import static io.switchboard.gateway.support.ChatClient.invalidField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Room requests: join, leave, create, list, history and read state, with message-service's answers mapped")
class RoomRequestsTest {
  private TestGateway gateway;

  @AfterEach
  void close() {
    gateway.close();
  }

  private ChatClient alice() {
    gateway = gateway == null ? TestGateway.start() : gateway;
    return gateway.connect("alice");
  }

  private static JsonObject room(String roomId) {
    return new JsonObject().put("roomId", roomId);
  }

  private static JsonObject send(String roomId) {
    return room(roomId).put("clientMsgId", UUID.randomUUID().toString()).put("body", "hi");
  }

  @Test
  @DisplayName("join-room is acked with the room's state and who is online, the joiner included, and lets the socket send")
  void join() {
    ChatClient alice = alice();
    gateway.presence.online("r1", List.of("bob"));

    JsonObject ack = alice.request("join-room", room("r1"));

    assertEquals(new JsonObject().put("ok", true).put("roomId", "r1").put("lastSeq", 41).put("unread", 2).put("unreadMentions", 1)
        .put("members", 3).put("missed", new JsonArray()).put("truncated", false).put("online", 2), ack);
    JoinRequest asked = gateway.messages.nextRequest(Addresses.ROOM_JOIN);
    assertEquals(List.of("acme", "alice", "r1"), List.of(asked.user().tenant(), asked.user().userId(), asked.roomId()));
    assertTrue(alice.request("send-message", send("r1")).getBoolean("ok"));
  }

  @Test
  @DisplayName("join-room with sinceSeq returns what was missed since then, read after the socket is in the room")
  void joinSince() {
    ChatClient alice = alice();

    JsonObject ack = alice.request("join-room", room("r1").put("sinceSeq", 39));

    assertEquals(List.of(40L, 41L), ack.getJsonArray("missed").stream().map(m -> ((JsonObject) m).getLong("seq")).toList());
    HistoryRequest history = gateway.messages.nextRequest(Addresses.MESSAGE_HISTORY);
    assertEquals(39L, history.afterSeq());
  }

  @Test
  @DisplayName("join-room refused by message-service is NOT_FOUND or FORBIDDEN, and the socket is not in the room")
  void joinRefused() {
    ChatClient alice = alice();
    gateway.messages.refuse(Addresses.ROOM_JOIN, ErrorCode.NOT_FOUND);
    assertEquals("NOT_FOUND", errorCode(alice.request("join-room", room("elsewhere"))));
    gateway.messages.refuse(Addresses.ROOM_JOIN, ErrorCode.FORBIDDEN);
    assertEquals("FORBIDDEN", errorCode(alice.request("join-room", room("private"))));

    assertEquals("FORBIDDEN", errorCode(alice.request("send-message", send("private"))));
  }

  @Test
  @DisplayName("join-room that message-service does not answer within the request timeout is UNAVAILABLE")
  void joinUnanswered() {
    ChatClient alice = alice();
    gateway.messages.silence(Addresses.ROOM_JOIN);

    long start = System.nanoTime();
    assertEquals("UNAVAILABLE", errorCode(alice.request("join-room", room("r1"))));
    assertTrue(System.nanoTime() - start >= 900_000_000L, "after REQUEST_TIMEOUT_MS (1000 ms here)");
  }

  @Test
  @DisplayName("join-room's ack leaves out online when presence cannot answer, and the join still succeeds")
  void joinWithoutPresence() {
    ChatClient alice = alice();
    gateway.presence.failQueries();

    JsonObject ack = alice.request("join-room", room("r1"));

    assertTrue(ack.getBoolean("ok"));
    assertFalse(ack.containsKey("online"), ack.encode());
  }

  @Test
  @DisplayName("a socket in MAX_ROOMS_PER_SOCKET rooms gets VALIDATION_ERROR for one more, until it leaves one")
  void roomsPerSocket() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.MAX_ROOMS_PER_SOCKET, 2));
    ChatClient alice = alice();
    assertTrue(alice.request("join-room", room("r1")).getBoolean("ok"));
    assertTrue(alice.request("join-room", room("r2")).getBoolean("ok"));

    JsonObject third = alice.request("join-room", room("r3"));

    assertEquals("roomId", invalidField(third));
    assertTrue(alice.request("join-room", room("r2")).getBoolean("ok"), "joining a room it is in again is no new room");
    assertTrue(alice.request("leave-room", room("r1")).getBoolean("ok"));
    assertTrue(alice.request("join-room", room("r3")).getBoolean("ok"));
  }

  @Test
  @DisplayName("leave-room takes the socket out of the room: sending there is FORBIDDEN again")
  void leave() {
    ChatClient alice = alice();
    alice.request("join-room", room("r1"));

    assertEquals(new JsonObject().put("ok", true), alice.request("leave-room", room("r1")));
    assertEquals("FORBIDDEN", errorCode(alice.request("send-message", send("r1"))));
  }

  @Test
  @DisplayName("create-room is acked with the room; a direct room needs exactly one other member; the creator is not a listed member")
  void create() {
    ChatClient alice = alice();

    JsonObject ack = alice.request("create-room", new JsonObject().put("name", "Team").put("kind", "group")
        .put("members", new JsonArray().add("alice").add("bob")));

    assertEquals("r-new", ack.getJsonObject("room").getString("id"));
    CreateRoomRequest asked = gateway.messages.nextRequest(Addresses.ROOM_CREATE);
    assertEquals(List.of("bob"), asked.members());
    assertEquals("optimistic", asked.delivery(), "the default delivery");
    JsonObject direct = alice.request("create-room", new JsonObject().put("name", "Us").put("kind", "direct")
        .put("members", new JsonArray().add("bob").add("carol")));
    assertEquals("members", invalidField(direct));
    assertEquals("VALIDATION_ERROR", errorCode(alice.request("create-room", new JsonObject().put("name", "X").put("kind", "secret"))));
  }

  @Test
  @DisplayName("list-rooms answers the user's rooms, 200 unless a limit is given")
  void list() {
    ChatClient alice = alice();

    JsonObject ack = alice.request("list-rooms", new JsonObject());

    assertEquals("General", ack.getJsonArray("rooms").getJsonObject(0).getString("name"));
    assertEquals(200, gateway.messages.<RoomListRequest>nextRequest(Addresses.ROOM_LIST).limit());
    alice.request("list-rooms", new JsonObject().put("limit", 5));
    assertEquals(5, gateway.messages.<RoomListRequest>nextRequest(Addresses.ROOM_LIST).limit());
    assertEquals("VALIDATION_ERROR", errorCode(alice.request("list-rooms", new JsonObject().put("limit", 501))));
  }

  @Test
  @DisplayName("fetch-history answers a page (50 by default); crossed cursors are VALIDATION_ERROR; message-service's FORBIDDEN comes through")
  void history() {
    ChatClient alice = alice();

    JsonObject ack = alice.request("fetch-history", room("r1").put("beforeSeq", 42));

    assertEquals(2, ack.getJsonArray("messages").size());
    assertEquals(false, ack.getBoolean("hasMore"));
    HistoryRequest asked = gateway.messages.nextRequest(Addresses.MESSAGE_HISTORY);
    assertEquals(List.of(42L, 50), List.of(asked.beforeSeq(), asked.limit()));
    JsonObject crossed = alice.request("fetch-history", room("r1").put("beforeSeq", 5).put("afterSeq", 5));
    assertEquals("beforeSeq", invalidField(crossed));
    gateway.messages.refuse(Addresses.MESSAGE_HISTORY, ErrorCode.FORBIDDEN);
    assertEquals("FORBIDDEN", errorCode(alice.request("fetch-history", room("r1"))));
  }

  @Test
  @DisplayName("mark-read answers the read state; message-service's NOT_FOUND comes through")
  void markRead() {
    ChatClient alice = alice();

    assertEquals(new JsonObject().put("ok", true).put("unread", 0).put("lastReadSeq", 12),
        alice.request("mark-read", room("r1").put("seq", 12)));
    gateway.messages.refuse(Addresses.ROOM_MARK_READ, ErrorCode.NOT_FOUND);
    assertEquals("NOT_FOUND", errorCode(alice.request("mark-read", room("r1").put("seq", 12))));
  }
}
