package io.switchboard.gateway.chat;

import static io.switchboard.gateway.support.ChatClient.errorCode;
import static io.switchboard.gateway.support.ChatClient.invalidField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Message requests: send, edit, delete, typing and presence, for a socket in the room and one outside it")
class MessageRequestsTest {
  private TestGateway gateway;
  private ChatClient alice;
  private ChatClient bob;

  @BeforeEach
  void start() {
    gateway = TestGateway.start();
    alice = gateway.connect("alice");
    bob = gateway.connect("bob");
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private static final String MESSAGE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

  private static JsonObject room(String roomId) {
    return new JsonObject().put("roomId", roomId);
  }

  private static JsonObject message(String body) {
    return room("r1").put("clientMsgId", UUID.randomUUID().toString()).put("body", body);
  }

  private void bothJoin() {
    assertTrue(alice.request("join-room", room("r1")).getBoolean("ok"));
    assertTrue(bob.request("join-room", room("r1")).getBoolean("ok"));
  }

  @Test
  @DisplayName("send-message before joining is FORBIDDEN, and message-service is never asked")
  void sendOutsideTheRoom() {
    JsonObject ack = alice.request("send-message", message("hello"));

    assertEquals("FORBIDDEN", errorCode(ack));
    assertEquals("join the room first", ack.getJsonObject("error").getString("message"));
    assertEquals(0, gateway.messages.unread(Addresses.MESSAGE_PERSIST));
  }

  @Test
  @DisplayName("send-message is acked with the stored id and seq; the others in the room see it at once, optimistic")
  void send() {
    bothJoin();
    JsonObject sent = message("  hello  ");

    JsonObject ack = alice.request("send-message", sent);

    assertEquals(new JsonObject().put("ok", true).put("id", "m42").put("seq", 42).put("createdAt", "2024-05-01T12:00:00Z"), ack);
    PersistRequest persisted = gateway.messages.nextRequest(Addresses.MESSAGE_PERSIST);
    assertEquals("hello", persisted.body(), "trimmed");
    assertEquals("alice", persisted.sender().userId());
    JsonObject copy = bob.next("room-message-created").getJsonObject("new");
    assertEquals(sent.getString("clientMsgId"), copy.getString("tempId"));
    assertEquals(true, copy.getBoolean("optimistic"));
    assertEquals("hello", copy.getString("body"));
    assertEquals(0, alice.pending("room-message-created"), "not echoed to the sender's socket");
  }

  @Test
  @DisplayName("send-message with a blank body or an oversized meta is VALIDATION_ERROR naming the field")
  void sendInvalid() {
    bothJoin();
    JsonObject blank = alice.request("send-message", message("   "));
    JsonObject heavyMeta = alice.request("send-message", message("hi").put("meta", new JsonObject().put("x", "y".repeat(5000))));

    assertEquals("body", invalidField(blank));
    assertEquals("meta", invalidField(heavyMeta));
  }

  @Test
  @DisplayName("a send message-service does not answer in time is PERSIST_FAILED, and the room is told it failed")
  void sendUnanswered() {
    bothJoin();
    gateway.messages.silence(Addresses.MESSAGE_PERSIST);
    JsonObject sent = message("hello");

    assertEquals("PERSIST_FAILED", errorCode(alice.request("send-message", sent)));
    JsonObject failed = bob.next("room-message-failed");
    assertEquals(new JsonObject().put("roomId", "r1").put("tempId", sent.getString("clientMsgId")).put("code", "UNAVAILABLE"),
        failed);
  }

  @Test
  @DisplayName("a send message-service refuses keeps its code (FORBIDDEN), and the room hears nothing from the gateway")
  void sendRefused() {
    bothJoin();
    gateway.messages.refuse(Addresses.MESSAGE_PERSIST, ErrorCode.FORBIDDEN);

    assertEquals("FORBIDDEN", errorCode(alice.request("send-message", message("hello"))));
    bob.next("room-message-created");
    // Answered after the send: had the gateway announced a failure, bob would have it by then.
    assertTrue(bob.request("leave-room", room("r9")).getBoolean("ok"));
    assertEquals(0, bob.pending("room-message-failed"));
  }

  @Test
  @DisplayName("edit-message is acked with the edited message; NOT_FOUND and FORBIDDEN from message-service come through")
  void edit() {
    JsonObject edit = room("r1").put("id", MESSAGE_ID).put("body", " better ");

    JsonObject ack = alice.request("edit-message", edit);

    assertEquals("better", ack.getJsonObject("message").getString("body"));
    MessageEdit asked = gateway.messages.nextRequest(Addresses.MESSAGE_EDIT);
    assertEquals(List.of("alice", "r1", MESSAGE_ID, "better"), List.of(asked.user().userId(), asked.roomId(), asked.messageId(),
        asked.body()));
    gateway.messages.refuse(Addresses.MESSAGE_EDIT, ErrorCode.NOT_FOUND);
    assertEquals("NOT_FOUND", errorCode(alice.request("edit-message", edit)));
    gateway.messages.refuse(Addresses.MESSAGE_EDIT, ErrorCode.FORBIDDEN);
    assertEquals("FORBIDDEN", errorCode(alice.request("edit-message", edit)));
    assertEquals("VALIDATION_ERROR", errorCode(alice.request("edit-message", edit.copy().put("body", ""))));
  }

  @Test
  @DisplayName("delete-message is acked; FORBIDDEN and NOT_FOUND from message-service come through; an unanswered one is UNAVAILABLE")
  void delete() {
    JsonObject delete = room("r1").put("id", MESSAGE_ID);

    assertEquals(new JsonObject().put("ok", true), alice.request("delete-message", delete));
    gateway.messages.refuse(Addresses.MESSAGE_DELETE, ErrorCode.FORBIDDEN);
    assertEquals("FORBIDDEN", errorCode(alice.request("delete-message", delete)));
    gateway.messages.refuse(Addresses.MESSAGE_DELETE, ErrorCode.NOT_FOUND);
    assertEquals("NOT_FOUND", errorCode(alice.request("delete-message", delete)));
    gateway.messages.silence(Addresses.MESSAGE_DELETE);
    assertEquals("UNAVAILABLE", errorCode(alice.request("delete-message", delete)));
  }

  @Test
  @DisplayName("typing is FORBIDDEN outside the room; inside, the others see user-typing and the typer does not")
  void typing() {
    JsonObject typing = room("r1").put("isTyping", true);
    assertEquals("FORBIDDEN", errorCode(alice.request("typing", typing)));

    bothJoin();
    assertEquals(new JsonObject().put("ok", true), alice.request("typing", typing));

    assertEquals(new JsonObject().put("roomId", "r1").put("userId", "alice").put("isTyping", true), bob.next("user-typing"));
    assertEquals(0, alice.pending("user-typing"));
  }

  @Test
  @DisplayName("get-presence is FORBIDDEN outside the room, answers the room's online users inside, and UNAVAILABLE without presence")
  void presence() {
    assertEquals("FORBIDDEN", errorCode(alice.request("get-presence", room("r1"))));
    bothJoin();
    gateway.presence.online("r1", List.of("alice", "bob"));

    JsonObject ack = alice.request("get-presence", room("r1"));

    assertEquals(new JsonObject().put("ok", true).put("online", List.of("alice", "bob")).put("count", 2)
        .put("away", List.of()), ack);
    gateway.presence.away("r1", java.util.Map.of("bob", 1_700_000_000_000L));
    assertEquals(new JsonObject().put("ok", true).put("online", List.of("alice", "bob")).put("count", 2)
        .put("away", List.of("bob")), alice.request("get-presence", room("r1")), "online still counts bob; away says he is away");
    gateway.presence.failQueries();
    assertEquals("UNAVAILABLE", errorCode(alice.request("get-presence", room("r1"))));
  }

  @Test
  @DisplayName("set-status away and online are reported to presence for this connection; any other status is a VALIDATION_ERROR")
  void setStatus() {
    assertEquals("status", invalidField(alice.request("set-status", new JsonObject().put("status", "sleeping"))));
    assertEquals("VALIDATION_ERROR", errorCode(alice.request("set-status", new JsonObject())));

    assertEquals(new JsonObject().put("ok", true), alice.request("set-status", new JsonObject().put("status", "away")));
    var away = gateway.presence.nextUpdate(io.switchboard.common.presence.PresenceUpdate.Kind.AWAY);
    assertEquals("alice", away.userId());
    assertEquals(new JsonObject().put("ok", true), alice.request("set-status", new JsonObject().put("status", "online")));
    var active = gateway.presence.nextUpdate(io.switchboard.common.presence.PresenceUpdate.Kind.ACTIVE);
    assertEquals(away.connectionId(), active.connectionId(), "the same socket, back");
  }

  @Test
  @DisplayName("a request that fails is answered to its socket only; the socket stays connected")
  void failuresKeepTheConnection() {
    bothJoin();
    gateway.messages.refuse(Addresses.MESSAGE_EDIT, ErrorCode.FORBIDDEN);
    alice.emit("edit-message", room("r1").put("id", MESSAGE_ID).put("body", "x"));

    assertEquals(new JsonObject().put("event", "edit-message").put("code", "FORBIDDEN")
        .put("message", "refused by the test: FORBIDDEN"), alice.next("error"));
    assertFalse(bob.pending("error") > 0);
    assertTrue(alice.connected());
  }
}
