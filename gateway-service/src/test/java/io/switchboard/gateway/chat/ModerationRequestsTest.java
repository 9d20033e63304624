package io.switchboard.gateway.chat;

import static io.switchboard.gateway.support.ChatClient.errorCode;
import static io.switchboard.gateway.support.ChatClient.invalidField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.StubMessageService;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The moderation requests through a real gateway and the official client, message-service stubbed:
 * what the gateway asks and acks, and how it refuses, from what it learnt, a send message-service
 * would refuse, before anyone sees a copy of it (message-service's side is its RoomModerationTest).
 */
@DisplayName("Moderation requests: mute and unmute, slow mode; sends message-service would refuse are refused at the gateway")
class ModerationRequestsTest {
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

  private static JsonObject message(String body) {
    return room("r1").put("clientMsgId", UUID.randomUUID().toString()).put("body", body);
  }

  private ChatClient joined(String user) {
    ChatClient client = gateway.connect(user);
    assertTrue(client.request("join-room", room("r1")).getBoolean("ok"));
    return client;
  }

  /** An event of the room's changes as message-service publishes it on the fan-out (the stub's join read seq 41). */
  private void fanout(String event, long seq, JsonObject data) {
    gateway.vertx.eventBus().publish(Addresses.GATEWAY_FANOUT,
        new RoomEvent(ClientEvents.chatRoom("r1"), event, room("r1").put("seq", seq).mergeIn(data), null).withSeq(seq));
  }

  private static JsonObject error(JsonObject ack) {
    errorCode(ack);
    return ack.getJsonObject("error");
  }

  @Test
  @DisplayName("mute-member and unmute-member ask message-service as the user, and ack with the seq and the mute's end; bad ones are never sent on")
  void requests() {
    ChatClient alice = gateway.connect("alice");
    JsonObject muted = alice.request("mute-member", room("r1").put("userId", "bob").put("durationSeconds", 600));
    assertEquals(42, muted.getInteger("seq"));
    assertTrue(Instant.parse(muted.getString("mutedUntil")).isAfter(Instant.now().plusSeconds(590)));
    MemberChange mute = gateway.messages.nextRequest(Addresses.ROOM_MEMBER_CHANGE);
    assertEquals(List.of("MUTE", "alice", "bob", "600"),
        List.of(mute.action().name(), mute.actor().userId(), mute.userIds().get(0), String.valueOf(mute.durationSeconds())));
    assertEquals(42, alice.request("unmute-member", room("r1").put("userId", "bob")).getInteger("seq"));
    assertEquals(MemberChange.Action.UNMUTE, gateway.messages.<MemberChange>nextRequest(Addresses.ROOM_MEMBER_CHANGE).action());

    assertEquals("userId", invalidField(alice.request("mute-member", room("r1").put("userId", "alice").put("durationSeconds", 60))));
    assertEquals("durationSeconds", invalidField(alice.request("mute-member", room("r1").put("userId", "bob").put("durationSeconds", 0))));
    assertEquals("durationSeconds", invalidField(alice.request("mute-member", room("r1").put("userId", "bob"))));
    assertEquals(0, gateway.messages.unread(Addresses.ROOM_MEMBER_CHANGE));
    gateway.messages.refuse(Addresses.ROOM_MEMBER_CHANGE, ErrorCode.FORBIDDEN);
    assertEquals("FORBIDDEN", errorCode(alice.request("mute-member", room("r1").put("userId", "bob").put("durationSeconds", 60))));
  }

  @Test
  @DisplayName("told by the room's events that a member is muted, the gateway refuses their sends with the mute's end and the time left: no copy for the room, message-service not asked; unmuted, they send again")
  void mutedByTheRoomsEvents() {
    ChatClient bob = joined("bob");
    ChatClient carol = joined("carol");
    String until = StubMessageService.mutedUntil(600);
    fanout(ClientEvents.MEMBER_MUTED, 42, new JsonObject().put("actorId", "alice").put("userId", "bob").put("mutedUntil", until));
    assertEquals("bob", carol.next(ClientEvents.MEMBER_MUTED).getString("userId"));
    assertEquals(until, bob.next(ClientEvents.MEMBER_MUTED).getString("mutedUntil"));

    JsonObject refused = error(bob.request("send-message", message("spam")));
    assertEquals("FORBIDDEN", refused.getString("code"));
    assertEquals(until, refused.getString("mutedUntil"));
    long left = refused.getLong("retryAfterMs");
    assertTrue(left > 590_000 && left <= 600_000, "the time left: " + left);
    bob.emit("send-message", message("spam without an ack"));
    JsonObject event = bob.next(ClientEvents.ERROR);
    assertEquals(List.of("send-message", "FORBIDDEN", until), List.of(event.getString("event"), event.getString("code"),
        event.getString("mutedUntil")), "the error event carries the end too");
    assertEquals(0, gateway.messages.unread(Addresses.MESSAGE_PERSIST), "message-service was not asked");

    assertTrue(carol.request("send-message", message("carol talks")).getBoolean("ok"), "the others are not muted");
    assertEquals("carol talks", bob.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"),
        "no copy of bob's refused sends went to the room before carol's message");
    gateway.messages.nextRequest(Addresses.MESSAGE_PERSIST);

    fanout(ClientEvents.MEMBER_UNMUTED, 43, new JsonObject().put("actorId", "alice").put("userId", "bob"));
    bob.next(ClientEvents.MEMBER_UNMUTED);
    assertTrue(bob.request("send-message", message("back")).getBoolean("ok"));
    assertEquals("back", carol.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"));
  }

  @Test
  @DisplayName("a join that says the user is muted: the ack says until when, and their sends are refused at once")
  void mutedAtTheJoin() {
    String until = StubMessageService.mutedUntil(600);
    gateway.messages.answer(Addresses.ROOM_JOIN, req -> new JoinResult(((JoinRequest) req).roomId(), 41, 0, 3, "optimistic",
        List.of(), false, ((JoinRequest) req).user().userId().equals("bob") ? until : null, 30));
    ChatClient bob = gateway.connect("bob");
    JsonObject joined = bob.request("join-room", room("r1"));
    assertEquals(until, joined.getString("mutedUntil"));
    assertEquals(30, joined.getInteger("slowMode"), "the room's slow mode, for the client");
    assertEquals(until, error(bob.request("send-message", message("spam"))).getString("mutedUntil"));
    assertEquals(0, gateway.messages.unread(Addresses.MESSAGE_PERSIST));

    ChatClient carol = gateway.connect("carol");
    assertEquals(false, carol.request("join-room", room("r1")).containsKey("mutedUntil"));
    assertTrue(carol.request("send-message", message("not muted")).getBoolean("ok"));
  }

  @Test
  @DisplayName("message-service's refusal of a mute the gateway did not know reaches the sender with its end, and teaches the gateway: the next send is refused at once")
  void learntFromARefusal() {
    ChatClient bob = joined("bob");
    String until = StubMessageService.mutedUntil(600);
    gateway.messages.refuse(Addresses.MESSAGE_PERSIST, new ServiceException(ErrorCode.FORBIDDEN, "muted",
        new JsonObject().put("mutedUntil", until).put("retryAfterMs", 600_000)));

    JsonObject first = error(bob.request("send-message", message("first")));
    assertEquals(List.of("FORBIDDEN", until), List.of(first.getString("code"), first.getString("mutedUntil")));
    assertEquals(600_000, first.getLong("retryAfterMs"));
    gateway.messages.<PersistRequest>nextRequest(Addresses.MESSAGE_PERSIST);
    assertEquals(until, error(bob.request("send-message", message("second"))).getString("mutedUntil"));
    assertEquals(0, gateway.messages.unread(Addresses.MESSAGE_PERSIST), "the second was refused by the gateway");
  }

  @Test
  @DisplayName("a mute the gateway knows ends at its end: after the time left, the send goes to message-service")
  void muteEnds() throws Exception {
    ChatClient bob = joined("bob");
    String until = Instant.now().plusMillis(400).toString();
    fanout(ClientEvents.MEMBER_MUTED, 42, new JsonObject().put("actorId", "alice").put("userId", "bob").put("mutedUntil", until));
    bob.next(ClientEvents.MEMBER_MUTED);
    long left = error(bob.request("send-message", message("early"))).getLong("retryAfterMs");

    CompletableFuture<Void> over = new CompletableFuture<>();
    gateway.vertx.setTimer(left, id -> over.complete(null));
    over.get(5, TimeUnit.SECONDS);

    assertTrue(bob.request("send-message", message("on time")).getBoolean("ok"));
    assertEquals("on time", gateway.messages.<PersistRequest>nextRequest(Addresses.MESSAGE_PERSIST).body());
  }

  /** message-service storing every message now, in slow mode of {@code seconds} for {@code slowed}. */
  private void storesInSlowMode(String slowed, int seconds) {
    java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong(41);
    gateway.messages.answer(Addresses.MESSAGE_PERSIST, req -> {
      PersistRequest sent = (PersistRequest) req;
      long next = seq.incrementAndGet();
      ChatMessage stored = new ChatMessage("m" + next, sent.clientMsgId(), sent.roomId(), next, sent.sender().userId(),
          sent.sender().name(), sent.body(), null, null, Instant.now().toString(), null, false);
      return new PersistResult(stored, false, sent.sender().userId().equals(slowed) ? seconds : 0);
    });
  }

  @Test
  @DisplayName("update-room asks message-service for slow mode (0 to 6 hours); slow mode alone is a valid change")
  void slowModeRequest() {
    ChatClient alice = gateway.connect("alice");
    assertEquals(42, alice.request("update-room", room("r1").put("slowMode", 30)).getInteger("seq"));
    RoomChange change = gateway.messages.nextRequest(Addresses.ROOM_CHANGE);
    assertEquals(List.of("UPDATE", "30"), List.of(change.action().name(), String.valueOf(change.slowMode())));
    assertEquals("slowMode", invalidField(alice.request("update-room", room("r1").put("slowMode", 21601))));
    assertEquals("slowMode", invalidField(alice.request("update-room", room("r1").put("slowMode", -1))));
    assertEquals(0, gateway.messages.unread(Addresses.ROOM_CHANGE));
  }

  @Test
  @DisplayName("in slow mode, once message-service stored a member's message, the gateway refuses their next one until the wait is over: SLOW_MODE with the wait and the slow mode, no copy, message-service not asked; owners and admins (stored without slow mode) send on")
  void slowModeAtTheGateway() {
    storesInSlowMode("bob", 60);
    ChatClient bob = joined("bob");
    ChatClient carol = joined("carol");
    assertTrue(bob.request("send-message", message("first")).getBoolean("ok"));
    gateway.messages.nextRequest(Addresses.MESSAGE_PERSIST);
    carol.next(ClientEvents.MESSAGE_CREATED);

    JsonObject early = error(bob.request("send-message", message("too early")));
    assertEquals("SLOW_MODE", early.getString("code"));
    assertEquals(60, early.getInteger("slowMode"));
    assertTrue(early.getLong("retryAfterMs") > 55_000 && early.getLong("retryAfterMs") <= 60_000, early.encode());
    assertEquals(0, gateway.messages.unread(Addresses.MESSAGE_PERSIST), "message-service was not asked");
    for (int i = 0; i < 2; i++) {
      assertTrue(carol.request("send-message", message("carol " + i)).getBoolean("ok"), "exempt: stored without slow mode");
    }
    assertEquals("carol 0", bob.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new").getString("body"));
    assertEquals(0, carol.pending(ClientEvents.MESSAGE_CREATED), "no copy of bob's refused send");
  }

  @Test
  @DisplayName("the room's events move slow mode at the gateway: turned off, or the member made an admin, the member sends at once")
  void slowModeEvents() {
    storesInSlowMode("bob", 60);
    ChatClient bob = joined("bob");
    assertTrue(bob.request("send-message", message("first")).getBoolean("ok"));
    assertEquals("SLOW_MODE", errorCode(bob.request("send-message", message("too early"))));
    fanout(ClientEvents.MEMBER_ROLE_CHANGED, 43, new JsonObject().put("actorId", "alice")
        .put("changes", new io.vertx.core.json.JsonArray().add(new JsonObject().put("userId", "bob").put("role", "admin")
            .put("previous", "member"))));
    bob.next(ClientEvents.MEMBER_ROLE_CHANGED);
    gateway.messages.reset(Addresses.MESSAGE_PERSIST);
    assertTrue(bob.request("send-message", message("an admin now")).getBoolean("ok"));

    storesInSlowMode("bob", 60);
    assertTrue(bob.request("send-message", message("a member again")).getBoolean("ok"));
    assertEquals("SLOW_MODE", errorCode(bob.request("send-message", message("too early again"))));
    fanout(ClientEvents.ROOM_UPDATED, 44, new JsonObject().put("actorId", "alice").put("name", "General").put("slowMode", 0));
    bob.next(ClientEvents.ROOM_UPDATED);
    assertTrue(bob.request("send-message", message("slow mode is off")).getBoolean("ok"));
  }

  @Test
  @DisplayName("an owner who turns slow mode off on this node is answered only once the node knows: the member sends at once, before the room's event comes back over the bus")
  void slowModeOffByAnOwnerHere() {
    storesInSlowMode("bob", 60);
    ChatClient bob = joined("bob");
    ChatClient alice = gateway.connect("alice");
    assertTrue(bob.request("send-message", message("first")).getBoolean("ok"));
    assertEquals("SLOW_MODE", errorCode(bob.request("send-message", message("too early"))));
    // message-service's room-updated event has not reached this node (the stub publishes none).
    assertTrue(alice.request("update-room", room("r1").put("slowMode", 0)).getBoolean("ok"));
    gateway.messages.reset(Addresses.MESSAGE_PERSIST);
    storesInSlowMode("bob", 0);
    assertTrue(bob.request("send-message", message("slow mode is off")).getBoolean("ok"));
  }

  @Test
  @DisplayName("message-service's SLOW_MODE for a send the gateway could not know (another device's) reaches the sender with the wait, and teaches the gateway")
  void slowModeLearntFromARefusal() {
    ChatClient bob = joined("bob");
    gateway.messages.refuse(Addresses.MESSAGE_PERSIST, new ServiceException(ErrorCode.SLOW_MODE, "slow mode",
        new JsonObject().put("retryAfterMs", 20_000).put("slowMode", 30)));
    JsonObject first = error(bob.request("send-message", message("first")));
    assertEquals(List.of("SLOW_MODE", "20000", "30"), List.of(first.getString("code"), String.valueOf(first.getLong("retryAfterMs")),
        String.valueOf(first.getInteger("slowMode"))));
    gateway.messages.nextRequest(Addresses.MESSAGE_PERSIST);
    long wait = error(bob.request("send-message", message("second"))).getLong("retryAfterMs");
    assertTrue(wait > 15_000 && wait <= 20_000, "refused by the gateway: " + wait);
    assertEquals(0, gateway.messages.unread(Addresses.MESSAGE_PERSIST));
  }
}
