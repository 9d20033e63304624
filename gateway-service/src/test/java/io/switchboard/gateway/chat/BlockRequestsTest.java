package io.switchboard.gateway.chat;

import static io.switchboard.gateway.support.ChatClient.invalidField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Blocks through a real gateway and the official client, message-service stubbed: the requests, and
 * how the fan-out hides a blocked user's messages from their blocker (message-service's side is its
 * UserBlocksTest).
 */
@DisplayName("Blocks: the requests; a blocked user's messages skip their blocker, who gets placeholders with the seqs")
class BlockRequestsTest {
  private static final String CAROL = ClientEvents.userRoom(TestGateway.TENANT, "carol");
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start();
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  /** message-service's joins, saying that these users block these others. */
  private void blocking(Map<String, List<String>> blocks) {
    gateway.messages.answer(Addresses.ROOM_JOIN, req -> new JoinResult(((JoinRequest) req).roomId(), 41, 0, 3, "optimistic",
        List.of(), false, null, 0, blocks.getOrDefault(((JoinRequest) req).user().userId(), List.of())));
  }

  private ChatClient joined(String user, String receive) {
    ChatClient client = gateway.connect(user);
    JsonObject join = new JsonObject().put("roomId", "r1");
    assertTrue(client.request("join-room", receive == null ? join : join.put("receive", receive)).getBoolean("ok"));
    return client;
  }

  private void fanout(RoomEvent event) {
    gateway.vertx.eventBus().publish(Addresses.GATEWAY_FANOUT, event);
  }

  /** carol's message made durable, as message-service announces it: the confirmation, and the stored copy for durable sockets. */
  private void durable(String tempId, long seq) {
    JsonObject confirmed = new JsonObject().put("roomId", "r1").put("tempId", tempId).put("id", "m" + seq).put("seq", seq)
        .put("createdAt", "2024-05-01T12:00:00Z");
    fanout(new RoomEvent(ClientEvents.chatRoom("r1"), ClientEvents.MESSAGE_CONFIRMED, confirmed, null).withSeq(seq)
        .except(ClientEvents.durableRoom("r1")).from(CAROL));
    JsonObject stored = new JsonObject().put("id", "m" + seq).put("roomId", "r1").put("seq", seq).put("senderId", "carol")
        .put("senderName", "Carol").put("body", "secret " + seq).put("meta", new JsonObject().put("k", "v"))
        .put("createdAt", "2024-05-01T12:00:00Z").put("optimistic", false);
    fanout(new RoomEvent(ClientEvents.durableRoom("r1"), ClientEvents.MESSAGE_CREATED, Envelope.insert(stored, Envelope.Source.API),
        null).withSeq(seq).from(CAROL));
  }

  @Test
  @DisplayName("block-user, unblock-user and list-blocks ask message-service as the user; blocking yourself is a VALIDATION_ERROR never sent on")
  void requests() {
    ChatClient bob = gateway.connect("bob");
    assertEquals(new JsonObject().put("ok", true), bob.request("block-user", new JsonObject().put("userId", "carol")));
    BlockChange block = gateway.messages.nextRequest(Addresses.USER_BLOCK);
    assertEquals(List.of("BLOCK", "bob", "carol"), List.of(block.action().name(), block.user().userId(), block.userId()));
    assertEquals(new JsonObject().put("ok", true), bob.request("unblock-user", new JsonObject().put("userId", "carol")));
    assertEquals(BlockChange.Action.UNBLOCK, gateway.messages.<BlockChange>nextRequest(Addresses.USER_BLOCK).action());
    assertEquals(new JsonArray().add(new JsonObject().put("userId", "mallory").put("blockedAt", "2024-05-01T12:00:00Z")),
        bob.request("list-blocks", new JsonObject()).getJsonArray("blocks"));
    assertEquals(BlockChange.Action.LIST, gateway.messages.<BlockChange>nextRequest(Addresses.USER_BLOCK).action());
    assertEquals("userId", invalidField(bob.request("block-user", new JsonObject().put("userId", "bob"))));
    assertEquals("userId", invalidField(bob.request("block-user", new JsonObject())));
    assertEquals(0, gateway.messages.unread(Addresses.USER_BLOCK));
  }

  @Test
  @DisplayName("a user the join says blocks carol gets none of her optimistic copies, typing or edits; her confirmed messages reach them as placeholders with their seq; the others get everything")
  void hiddenFromTheBlocker() {
    blocking(Map.of("bob", List.of("carol", "mallory")));
    ChatClient alice = joined("alice", null);
    ChatClient bob = joined("bob", null);
    ChatClient bobDurable = joined("bob", "durable");
    ChatClient carol = joined("carol", null);

    String tempId = UUID.randomUUID().toString();
    assertTrue(carol.request("send-message", new JsonObject().put("roomId", "r1").put("clientMsgId", tempId).put("body", "secret 42"))
        .getBoolean("ok"));
    assertTrue(carol.request("typing", new JsonObject().put("roomId", "r1").put("isTyping", true)).getBoolean("ok"));
    fanout(new RoomEvent(ClientEvents.chatRoom("r1"), ClientEvents.MESSAGE_UPDATED, Envelope.update(new JsonObject()
        .put("body", "edited secret"), new JsonObject(), Envelope.Source.GATEWAY), null).from(CAROL));
    durable(tempId, 42);
    assertTrue(alice.request("send-message", new JsonObject().put("roomId", "r1").put("clientMsgId", UUID.randomUUID().toString())
        .put("body", "from alice")).getBoolean("ok"));

    assertEquals("secret 42", alice.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"));
    assertEquals("carol", alice.next(ClientEvents.USER_TYPING).getString("userId"));
    assertEquals("edited secret", alice.next(ClientEvents.MESSAGE_UPDATED).getJsonObject("new").getString("body"));
    assertEquals(42, alice.next(ClientEvents.MESSAGE_CONFIRMED).getInteger("seq"));

    for (ChatClient socket : List.of(bob, bobDurable)) {
      JsonObject placeholder = socket.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new");
      assertEquals(List.of("m42", "42", "carol", "", "true", "false"), List.of(placeholder.getString("id"),
          String.valueOf(placeholder.getLong("seq")), placeholder.getString("senderId"), placeholder.getString("body"),
          String.valueOf(placeholder.getBoolean("hidden")), String.valueOf(placeholder.getBoolean("optimistic"))));
      assertEquals(null, placeholder.getValue("meta"));
    }
    assertEquals("from alice", bob.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"),
        "nothing else of carol's came before alice's message");
    assertEquals(List.of(0, 0, 0), List.of(bob.pending(ClientEvents.USER_TYPING), bob.pending(ClientEvents.MESSAGE_UPDATED),
        bob.pending(ClientEvents.MESSAGE_CONFIRMED)));
    assertEquals(0, bobDurable.pending(ClientEvents.MESSAGE_CREATED), "one placeholder per socket");
  }

  @Test
  @DisplayName("user-blocks-changed to a user's private room hides from then on, on every socket of theirs, and unblocking shows again")
  void learntFromTheChange() {
    ChatClient bob = joined("bob", null);
    ChatClient alice = joined("alice", null);
    fanout(RoomEvent.toRoom(ClientEvents.userRoom(TestGateway.TENANT, "bob"), ClientEvents.USER_BLOCKS_CHANGED,
        new JsonObject().put("blocked", new JsonArray().add("carol"))));
    assertEquals(new JsonArray().add("carol"), bob.next(ClientEvents.USER_BLOCKS_CHANGED).getJsonArray("blocked"));
    durable("t42", 42);
    assertTrue(bob.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getBoolean("hidden"));
    assertEquals(42, alice.next(ClientEvents.MESSAGE_CONFIRMED).getInteger("seq"));

    fanout(RoomEvent.toRoom(ClientEvents.userRoom(TestGateway.TENANT, "bob"), ClientEvents.USER_BLOCKS_CHANGED,
        new JsonObject().put("blocked", new JsonArray())));
    bob.next(ClientEvents.USER_BLOCKS_CHANGED);
    durable("t43", 43);
    assertEquals(43, bob.next(ClientEvents.MESSAGE_CONFIRMED).getInteger("seq"), "unblocked: whole again");
    assertEquals(0, bob.pending(ClientEvents.MESSAGE_CREATED));
  }
}
