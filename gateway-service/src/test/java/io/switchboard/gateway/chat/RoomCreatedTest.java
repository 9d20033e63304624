package io.switchboard.gateway.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.chat.ClientEvents;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code room-created} (docs/protocol.md section 4) end to end: a real gateway and the real
 * message-service on Postgres; the members' sockets connected before the room existed learn it
 * through their private rooms. Each test has users of its own.
 */
@DisplayName("room-created: a new room is announced to the private rooms of its members, an existing direct room is not")
class RoomCreatedTest {
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.withMessageService();
  }

  @AfterAll
  static void close() {
    gateway.close();
  }

  private static JsonObject create(ChatClient creator, String name, String kind, String... members) {
    JsonObject ack = creator.request("create-room", new JsonObject().put("name", name).put("kind", kind)
        .put("members", new JsonArray(java.util.List.of(members))));
    assertTrue(ack.getBoolean("ok"), ack.encode());
    return ack.getJsonObject("room");
  }

  @Test
  @DisplayName("bob's socket, connected before, gets the group and the direct room alice creates with him, as the ack has them; the direct room asked again announces nothing")
  void announcedToMembers() {
    ChatClient bob = gateway.connect("bob1");
    ChatClient alice = gateway.connect("alice1");

    JsonObject group = create(alice, "launch", "group", "bob1", "carol1");
    assertEquals(group, bob.next(ClientEvents.ROOM_CREATED).getJsonObject("room"), "the room object of the ack");
    JsonObject direct = create(alice, "alice1-bob1", "direct", "bob1");
    assertEquals(direct, bob.next(ClientEvents.ROOM_CREATED).getJsonObject("room"));

    assertEquals(direct.getString("id"), create(alice, "again", "direct", "bob1").getString("id"), "the same direct room");
    assertEquals(direct.getString("id"), create(bob, "from bob", "direct", "alice1").getString("id"));
    // A room created afterwards is the next one bob hears of: the direct room asked again was not announced.
    JsonObject after = create(alice, "after", "group", "bob1");
    assertEquals(after.getString("id"), bob.next(ClientEvents.ROOM_CREATED).getJsonObject("room").getString("id"));
    assertEquals(0, bob.pending(ClientEvents.ROOM_CREATED));

    JsonObject listed = bob.request("list-rooms", new JsonObject());
    assertEquals(3, listed.getJsonArray("rooms").stream().filter(r -> ((JsonObject) r).getBoolean("member")).count(),
        "the rooms bob was told of are his: " + listed.encode());
  }

  @Test
  @DisplayName("the creator's other devices learn the room too (the creating socket besides its ack); a non-member hears nothing")
  void creatorsDevices() {
    ChatClient phone = gateway.connect("alice2");
    ChatClient laptop = gateway.connect("alice2");
    ChatClient dan = gateway.connect("dan2");

    JsonObject solo = create(phone, "notes", "group");
    assertEquals(solo, laptop.next(ClientEvents.ROOM_CREATED).getJsonObject("room"));
    assertEquals(solo, phone.next(ClientEvents.ROOM_CREATED).getJsonObject("room"), "idempotent for the creating socket");

    // dan is no member of either room: the next room he hears of is the one made with him.
    create(phone, "without dan", "group", "erin2");
    JsonObject withDan = create(phone, "with dan", "public", "dan2");
    assertEquals(withDan.getString("id"), dan.next(ClientEvents.ROOM_CREATED).getJsonObject("room").getString("id"));
    assertEquals(0, dan.pending(ClientEvents.ROOM_CREATED));
  }
}
