package io.switchboard.gateway.calls;

import static io.switchboard.gateway.support.ChatClient.errorCode;
import static io.switchboard.gateway.support.ChatClient.invalidField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Call signaling through a real gateway and the official Java client, message-service stubbed (its
 * member lists scripted): ring, accept, relayed signals, hang-up, decline, busy, timeout,
 * disconnect, and what is refused. Across gateways: RoomMembershipClusterIT's calls scenario.
 */
@DisplayName("Calls: ring, answer on one device, signals relayed to the parties only, hang up, decline, busy, timeout, disconnect")
class CallRequestsTest {
  /** Who is in which room: d1 is alice and bob's direct room, d3 carol and bob's, g a group of four. */
  private static final Map<String, List<String>> ROOMS = Map.of(
      "d1", List.of("alice", "bob"), "d3", List.of("carol", "bob"), "g", List.of("alice", "bob", "carol", "dan"),
      "g3", List.of("alice", "bob", "carol"), "d4", List.of("alice", "mallory"), "g4", List.of("alice", "bob", "eve"));
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.CALL_RING_TIMEOUT_MS, 1500).with(ConfigKey.CALL_MAX_MEMBERS, 3)
        .with(ConfigKey.CALL_SIGNAL_MAX_BYTES, 1000)
        .with(ConfigKey.CALL_ICE_SERVERS, "[{\"urls\":\"stun:stun.example.org:3478\"}]")
        .with(ConfigKey.CALL_TURN_URLS, "turn:turn.example.org:3478").with(ConfigKey.CALL_TURN_SECRET, "turn-secret"));
    gateway.messages.answer(Addresses.ROOM_MEMBER_LIST, req -> {
      String roomId = ((MemberListRequest) req).roomId();
      return new MemberList(roomId, ROOMS.get(roomId).stream().map(u -> Member.of(u, "member")).toList());
    });
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private ChatClient in(String user, String roomId) {
    ChatClient client = gateway.connect(user);
    assertTrue(client.request("join-room", new JsonObject().put("roomId", roomId)).getBoolean("ok"));
    return client;
  }

  private static JsonObject start(ChatClient caller, String roomId) {
    JsonObject ack = caller.request("call-start", new JsonObject().put("roomId", roomId).put("media", new JsonArray().add("audio").add("video")));
    assertEquals(true, ack.getBoolean("ok"), ack.encode());
    return ack;
  }

  private static JsonObject call(String callId) {
    return new JsonObject().put("callId", callId);
  }

  private static JsonObject signal(String callId, String to, String type, JsonObject payload) {
    return call(callId).put("toSocketId", to).put("type", type).put("payload", payload);
  }

  @Test
  @DisplayName("a call rings every device of the callee; one answers, the others hear it; offer, answer and ICE reach the other party's socket only; a hang-up ends it for everyone")
  void ringAcceptSignalHangup() {
    ChatClient alice = in("alice", "d1");
    ChatClient bob = gateway.connect("bob");
    ChatClient bobLaptop = gateway.connect("bob");
    ChatClient carol = gateway.connect("carol");

    JsonObject started = start(alice, "d1");
    String callId = started.getString("callId");
    assertEquals(new JsonArray().add("bob"), started.getJsonArray("ringing"));
    JsonArray ice = started.getJsonArray("iceServers");
    assertEquals("stun:stun.example.org:3478", ice.getJsonObject(0).getString("urls"));
    JsonObject turn = ice.getJsonObject(1);
    assertTrue(turn.getString("username").endsWith(":alice"), turn.encode());
    assertEquals(CallSettings.turnCredential("turn-secret", turn.getString("username")), turn.getString("credential"));

    JsonObject ring = bob.next("call-ring");
    assertEquals(List.of(callId, "d1", "alice"), List.of(ring.getString("callId"), ring.getString("roomId"), ring.getString("from")));
    assertEquals(new JsonArray().add("audio").add("video"), ring.getJsonArray("media"));
    assertTrue(ring.getJsonArray("iceServers").getJsonObject(1).getString("username").endsWith(":bob"), "bob's own TURN credentials");
    assertEquals(callId, bobLaptop.next("call-ring").getString("callId"));
    String aliceSocket = ring.getString("fromSocketId");

    JsonObject accepted = bob.request("call-accept", call(callId));
    assertEquals(true, accepted.getBoolean("ok"), accepted.encode());
    assertEquals(aliceSocket, accepted.getJsonArray("parties").getJsonObject(0).getString("socketId"));
    String bobSocket = alice.next("call-accepted").getString("socketId");
    assertEquals(bobSocket, bobLaptop.next("call-accepted").getString("socketId"), "his laptop stops ringing");
    assertEquals("bob", bob.next("call-accepted").getString("userId"));
    assertEquals("FORBIDDEN", errorCode(bobLaptop.request("call-accept", call(callId))), "answered on his other device");

    JsonObject offer = new JsonObject().put("type", "offer").put("sdp", "v=0 offer");
    assertTrue(alice.request("call-signal", signal(callId, bobSocket, "offer", offer)).getBoolean("ok"));
    JsonObject relayed = bob.next("call-signal");
    assertEquals(List.of(callId, "alice", aliceSocket, "offer"), List.of(relayed.getString("callId"),
        relayed.getString("fromUserId"), relayed.getString("fromSocketId"), relayed.getString("type")));
    assertEquals(offer, relayed.getJsonObject("payload"));
    assertTrue(bob.request("call-signal", signal(callId, aliceSocket, "answer", new JsonObject().put("type", "answer")
        .put("sdp", "v=0 answer"))).getBoolean("ok"));
    assertEquals("answer", alice.next("call-signal").getString("type"));
    JsonObject candidate = new JsonObject().put("candidate", "candidate:1 1 udp 1 127.0.0.1 5000 typ host").put("sdpMid", "0");
    assertTrue(bob.request("call-signal", signal(callId, aliceSocket, "ice", candidate)).getBoolean("ok"));
    assertEquals(candidate, alice.next("call-signal").getJsonObject("payload"));

    assertEquals("FORBIDDEN", errorCode(alice.request("call-signal", signal(callId, "AAAAAAAAAAAAAAAAAAAA", "ice", candidate))),
        "a socket that is not in the call");
    assertEquals("FORBIDDEN", errorCode(bobLaptop.request("call-signal", signal(callId, aliceSocket, "ice", candidate))),
        "from a socket of a party that is not the one in the call");
    assertEquals("NOT_FOUND", errorCode(carol.request("call-signal", signal(callId, aliceSocket, "ice", candidate))),
        "from a user not in the call");
    assertEquals("payload", invalidField(alice.request("call-signal",
        signal(callId, bobSocket, "offer", new JsonObject().put("sdp", "x".repeat(1000))))));

    assertTrue(bob.request("call-hangup", call(callId)).getBoolean("ok"));
    for (ChatClient device : List.of(alice, bob, bobLaptop)) {
      JsonObject ended = device.next("call-ended");
      assertEquals(List.of(callId, "hangup"), List.of(ended.getString("callId"), ended.getString("reason")));
    }
    assertEquals("NOT_FOUND", errorCode(alice.request("call-signal", signal(callId, bobSocket, "ice", candidate))), "ended");
    assertEquals(0, bobLaptop.pending("call-signal"), "signals reach the party's socket only");
    assertEquals(0, carol.pending("call-ring"));
    // A new call may start once the last is over: nobody is busy any more.
    assertEquals("bob", start(alice, "d1").getJsonArray("ringing").getString(0));
  }

  @Test
  @DisplayName("a callee who declines ends a one-to-one call: declined, then ended")
  void decline() {
    ChatClient alice = in("alice", "d1");
    ChatClient bob = gateway.connect("bob");
    String callId = start(alice, "d1").getString("callId");
    bob.next("call-ring");
    assertTrue(bob.request("call-decline", call(callId)).getBoolean("ok"));
    JsonObject declined = alice.next("call-declined");
    assertEquals(List.of("bob", "declined"), List.of(declined.getString("userId"), declined.getString("reason")));
    assertEquals("declined", alice.next("call-ended").getString("reason"));
    assertEquals("declined", bob.next("call-ended").getString("reason"));
    assertEquals("NOT_FOUND", errorCode(bob.request("call-accept", call(callId))), "over");
  }

  @Test
  @DisplayName("a user in a call is busy: calling them answers BUSY, as does starting a second call; a call that nobody answers times out")
  void busyAndTimeout() {
    ChatClient alice = in("alice", "d1");
    ChatClient bob = gateway.connect("bob");
    ChatClient carol = in("carol", "d3");
    String callId = start(alice, "d1").getString("callId");
    bob.next("call-ring");
    assertTrue(bob.request("call-accept", call(callId)).getBoolean("ok"));

    assertEquals("BUSY", errorCode(carol.request("call-start", new JsonObject().put("roomId", "d3")
        .put("media", new JsonArray().add("audio")))), "bob is in a call");
    assertEquals("BUSY", errorCode(alice.request("call-start", new JsonObject().put("roomId", "d1")
        .put("media", new JsonArray().add("audio")))), "alice is in a call");
    assertEquals(0, bob.pending("call-ring"), "a busy callee is not rung");
    assertTrue(alice.request("call-hangup", call(callId)).getBoolean("ok"));
    assertEquals("hangup", bob.next("call-ended").getString("reason"));

    String unanswered = start(carol, "d3").getString("callId");
    assertEquals(unanswered, bob.next("call-ring").getString("callId"));
    JsonObject declined = carol.next("call-declined");
    assertEquals(List.of("bob", "timeout"), List.of(declined.getString("userId"), declined.getString("reason")));
    JsonObject ended = bob.next("call-ended");
    assertEquals(List.of(unanswered, "timeout"), List.of(ended.getString("callId"), ended.getString("reason")));
  }

  @Test
  @DisplayName("a party's socket that disconnects ends a one-to-one call for the other")
  void disconnect() {
    ChatClient alice = in("alice", "d1");
    ChatClient bob = gateway.connect("bob");
    String callId = start(alice, "d1").getString("callId");
    bob.next("call-ring");
    assertTrue(bob.request("call-accept", call(callId)).getBoolean("ok"));
    alice.close();
    JsonObject ended = bob.next("call-ended");
    assertEquals(List.of(callId, "disconnected"), List.of(ended.getString("callId"), ended.getString("reason")));
  }

  @Test
  @DisplayName("a group call: each callee answers; a party who hangs up leaves a call that goes on (call-left); the last two end it")
  void groupCall() {
    ChatClient alice = in("alice", "g3");
    ChatClient bob = gateway.connect("bob");
    ChatClient carol = gateway.connect("carol");
    JsonObject started = start(alice, "g3");
    String callId = started.getString("callId");
    assertEquals(new JsonArray().add("bob").add("carol"), started.getJsonArray("ringing"));
    bob.next("call-ring");
    carol.next("call-ring");
    assertEquals(1, bob.request("call-accept", call(callId)).getJsonArray("parties").size(), "alice was in it");
    JsonArray before = carol.request("call-accept", call(callId)).getJsonArray("parties");
    assertEquals(List.of("alice", "bob"), before.stream().map(p -> ((JsonObject) p).getString("userId")).toList(),
        "carol gets the offers of both");
    assertTrue(alice.request("call-hangup", call(callId)).getBoolean("ok"));
    JsonObject left = bob.next("call-left");
    assertEquals(List.of("alice", "hangup"), List.of(left.getString("userId"), left.getString("reason")));
    assertEquals(0, bob.pending("call-ended"), "bob and carol are still in it");
    assertTrue(carol.request("call-hangup", call(callId)).getBoolean("ok"));
    assertEquals("hangup", bob.next("call-ended").getString("reason"));
    assertEquals("hangup", alice.next("call-ended").getString("reason"), "every member hears the end");
  }

  @Test
  @DisplayName("a block stands in the way: a member who blocks the caller, or whom the caller blocks, is not rung")
  void blocks() {
    // The stub's lists: alice blocks mallory; eve blocks alice.
    gateway.messages.answer(Addresses.USER_BLOCK, req -> {
      String user = ((BlockChange) req).user().userId();
      return new BlockList(user.equals("alice") ? List.of(new BlockList.Blocked("mallory", "2024-05-01T12:00:00Z"))
          : user.equals("eve") ? List.of(new BlockList.Blocked("alice", "2024-05-01T12:00:00Z")) : List.of(), false);
    });
    ChatClient alice = gateway.connect("alice");
    ChatClient mallory = gateway.connect("mallory");
    ChatClient eve = gateway.connect("eve");
    ChatClient bob = gateway.connect("bob");
    for (String room : List.of("d4", "g4")) {
      assertTrue(alice.request("join-room", new JsonObject().put("roomId", room)).getBoolean("ok"));
    }
    assertEquals("BLOCKED", errorCode(alice.request("call-start", new JsonObject().put("roomId", "d4")
        .put("media", new JsonArray().add("audio")))), "alice blocks mallory");
    JsonObject started = start(alice, "g4");
    assertEquals(new JsonArray().add("bob"), started.getJsonArray("ringing"), "eve blocks alice: not rung");
    assertEquals(started.getString("callId"), bob.next("call-ring").getString("callId"));
    assertTrue(alice.request("call-hangup", call(started.getString("callId"))).getBoolean("ok"));
    assertEquals("hangup", bob.next("call-ended").getString("reason"));
    assertEquals(0, eve.pending("call-ring") + mallory.pending("call-ring"));
  }

  @Test
  @DisplayName("refused: a room not joined, a room too large, bad media, an unknown call")
  void refusals() {
    ChatClient alice = gateway.connect("alice");
    JsonObject audio = new JsonObject().put("media", new JsonArray().add("audio"));
    assertEquals("FORBIDDEN", errorCode(alice.request("call-start", audio.copy().put("roomId", "d1"))), "not joined");
    assertTrue(alice.request("join-room", new JsonObject().put("roomId", "g")).getBoolean("ok"));
    assertEquals("MEMBER_LIMIT", errorCode(alice.request("call-start", audio.copy().put("roomId", "g"))), "4 members, 3 at most");
    assertEquals("media[0]", invalidField(alice.request("call-start", new JsonObject().put("roomId", "g")
        .put("media", new JsonArray().add("hologram")))));
    assertEquals("NOT_FOUND", errorCode(alice.request("call-accept", call("0123456789ab.00000000-0000-0000-0000-000000000000"))),
        "no gateway owns it");
    assertEquals("callId", invalidField(alice.request("call-hangup", call("not-a-call"))));
  }
}
