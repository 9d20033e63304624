package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.embedded.S3MockServer;
import io.switchboard.embedded.TempDirs;
import io.switchboard.embedded.TestServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Members, roles, moderation and reactions across two gateways (docs/protocol.md, "Membership and roles"): one
 * process runs message-service and presence-service, two others a gateway each, on a
 * Hazelcast-clustered event bus; the official socket.io-client drives them (membership-scenario.mjs,
 * moderation-scenario.mjs, reactions-scenario.mjs, threads-scenario.mjs), and calls between them (calls-scenario.mjs). The cluster
 * is started once for the class, its attachments in a real S3-compatible store (S3Mock, a process of its own;
 * attachments-scenario.mjs): the local store is for one JVM only.
 */
class RoomMembershipClusterIT {
  private static final long START_TIMEOUT_MS = 180_000;
  private static final String SECRET = "membership-test-secret-0123456789abcdef";
  private static final List<SwitchboardProcess> PROCESSES = new java.util.ArrayList<>();
  private static final String[] URLS = new String[2];
  private static S3MockServer s3;

  @AfterAll
  static void stop() {
    for (int i = PROCESSES.size() - 1; i >= 0; i--) {
      PROCESSES.get(i).close();
    }
  }

  private static SwitchboardProcess start(Path workDir, Map<String, String> env, String services, String running)
      throws Exception {
    SwitchboardProcess process = SwitchboardProcess.start(workDir, env, "--services", services);
    PROCESSES.add(process);
    process.awaitLog("switchboard: running \\[" + running + "\\] \\(clustered\\)", START_TIMEOUT_MS);
    return process;
  }

  @BeforeAll
  static void cluster() throws Exception {
    Path workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-membership"));
    s3 = S3MockServer.shared();
    int servicesMember = SwitchboardProcess.freePort();
    int gatewayA = SwitchboardProcess.freePort();
    int gatewayB = SwitchboardProcess.freePort();
    Map<String, String> common = new HashMap<>(Map.of(
        "SWITCHBOARD_CLUSTER", "true",
        "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_MEMBERS", "127.0.0.1:" + servicesMember + ",127.0.0.1:" + gatewayA + ",127.0.0.1:" + gatewayB,
        "JWT_SECRET", SECRET,
        "PG_URL", TestServers.freshDatabase(),
        "REDIS_URL", TestServers.redisUri(),
        // Short, for the calls scenario's unanswered call.
        "CALL_RING_TIMEOUT_MS", "2000"));
    common.putAll(SwitchboardProcess.clusterTls());
    common.putAll(Map.of("ATTACHMENTS_STORE", "s3", "S3_ENDPOINT", s3.endpoint(), "S3_BUCKET", S3MockServer.BUCKET,
        "S3_ACCESS_KEY", S3MockServer.ACCESS_KEY, "S3_SECRET_KEY", S3MockServer.SECRET_KEY));

    Map<String, String> services = new HashMap<>(common);
    services.put("MESSAGE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
    services.put("PRESENCE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
    services.put("CLUSTER_PORT", String.valueOf(servicesMember));
    start(workDir, services, "message,presence", "message, presence");
    int[] members = {gatewayA, gatewayB};
    for (int i = 0; i < 2; i++) {
      int port = SwitchboardProcess.freePort();
      Map<String, String> gateway = new HashMap<>(common);
      gateway.put("PORT", String.valueOf(port));
      gateway.put("GATEWAY_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()));
      gateway.put("CLUSTER_PORT", String.valueOf(members[i]));
      start(workDir, gateway, "gateway", "gateway");
      URLS[i] = "http://127.0.0.1:" + port;
    }
  }

  @Test
  @DisplayName("an added user's devices on the other gateway hear it; a removed member's devices on both gateways get the removal, then leave the room; the others go on")
  void membershipAcrossGateways() throws Exception {
    JsonObject run = NodeScript.run("membership-scenario.mjs", 90_000, URLS[0], URLS[1], SECRET);

    assertEquals(1L, run.getJsonObject("addAck").getLong("seq"), run.encode());
    assertEquals(1L, run.getJsonObject("danTold").getLong("seq"), "told through his private room on the other gateway");
    assertTrue(run.getJsonObject("danJoin").getBoolean("ok"), "and able to join");
    assertEquals(3L, run.getJsonObject("removeAck").getLong("seq"));
    for (Object event : run.getJsonArray("removedEvents")) {
      assertEquals("removed", ((JsonObject) event).getString("reason"));
    }
    assertEquals(4L, run.getJsonObject("sendAck").getLong("seq"), "seq without gaps: three changes, then the message");
    JsonObject seen = run.getJsonObject("seen");
    JsonArray bob = new JsonArray(List.of("room-member-added 1", "room-member-role-changed 2", "room-member-removed 3"));
    assertEquals(bob, seen.getJsonArray("bobPhone"), "gateway A: the removal, then nothing more of the room");
    assertEquals(bob, seen.getJsonArray("bobLaptop"), "gateway B: the same");
    // The seq order is promised for the events with a seq; the optimistic copy comes from the sender's
    // gateway by another path and may arrive before or after the confirmation (protocol.md section 5).
    List<String> sequenced = List.of("room-member-added 1", "room-member-role-changed 2", "room-member-removed 3", "confirmed 4");
    for (String member : List.of("carol", "dan")) {
      List<String> lines = seen.getJsonArray(member).stream().map(String::valueOf).toList();
      assertEquals(sequenced, lines.stream().filter(l -> !l.startsWith("created")).toList(), member + ": in seq order");
      assertEquals(List.of("created after bob"), lines.stream().filter(l -> l.startsWith("created")).toList(), member);
    }
    assertEquals("FORBIDDEN", run.getJsonObject("bobTyping").getJsonObject("error").getString("code"), "out of the room");
    assertEquals("FORBIDDEN", run.getJsonObject("bobJoin").getJsonObject("error").getString("code"), "not a member");
    assertEquals(3, run.getJsonObject("members").getJsonArray("members").size());
  }

  @Test
  @DisplayName("a muted member's devices on both gateways hear it and both gateways refuse their sends, unseen by the room, until unmuted; a banned member's devices on both gateways hear it and leave the room; a blocker's devices on both gateways get placeholders")
  void moderationAcrossGateways() throws Exception {
    JsonObject run = NodeScript.run("moderation-scenario.mjs", 90_000, URLS[0], URLS[1], SECRET);

    assertEquals(1L, run.getJsonObject("muteAck").getLong("seq"), run.encode());
    String until = run.getJsonObject("muteAck").getString("mutedUntil");
    for (Object event : run.getJsonArray("mutedEvents")) {
      assertEquals(until, ((JsonObject) event).getString("mutedUntil"), "every device of bob's and the room, on both gateways");
    }
    for (String refused : List.of("refusedOnA", "refusedOnB")) {
      JsonObject error = run.getJsonObject(refused).getJsonObject("error");
      assertEquals("FORBIDDEN", error.getString("code"), refused);
      assertEquals(until, error.getString("mutedUntil"), refused);
      assertTrue(error.getLong("retryAfterMs") > 500_000, refused);
    }
    assertEquals(2L, run.getJsonObject("unmuteAck").getLong("seq"));
    assertEquals(3L, run.getJsonObject("backAck").getLong("seq"), "the refused sends took no seq");
    assertEquals(4L, run.getJsonObject("banAck").getLong("seq"));
    for (Object event : run.getJsonArray("bannedEvents")) {
      assertEquals(true, ((JsonObject) event).getBoolean("wasMember"));
    }
    assertEquals(5L, run.getJsonObject("afterAck").getLong("seq"));

    JsonObject seen = run.getJsonObject("seen");
    List<String> sequenced = List.of("room-member-muted 1", "room-member-unmuted 2", "confirmed 3", "room-member-banned 4");
    assertEquals(sequenced, sequencedOf(seen, "carol"), "carol (A): the sender of 5 gets no confirmation of it");
    assertEquals(sequenced, sequencedOf(seen, "danPhone"), "dan's phone (B): the ban, then nothing more of the room");
    assertEquals(List.of("room-member-muted 1", "room-member-unmuted 2", "room-member-banned 4", "confirmed 5"),
        sequencedOf(seen, "bobLaptop"), "bob's laptop (B): no confirmation of his own message");
    for (String socket : List.of("alice", "carol", "bobPhone", "danPhone")) {
      assertTrue(seen.getJsonArray(socket).stream().map(String::valueOf).noneMatch(l -> l.startsWith("created spam")),
          socket + " saw no copy of bob's refused sends: " + seen.getJsonArray(socket));
      assertTrue(seen.getJsonArray(socket).stream().map(String::valueOf).noneMatch(l -> l.startsWith("failed")), socket);
    }
    assertEquals(List.of("room-member-muted 1", "room-member-unmuted 2"), seen.getJsonArray("bobTablet").getList(),
        "not in the room: told through his private room");
    assertEquals(List.of("room-member-banned 4"), seen.getJsonArray("danLaptop").getList(), "the same, on the other gateway");
    assertEquals("FORBIDDEN", run.getJsonObject("danTyping").getJsonObject("error").getString("code"), "out of the room");
    assertEquals("FORBIDDEN", run.getJsonObject("danJoin").getJsonObject("error").getString("code"), "banned");

    assertTrue(run.getJsonObject("blockAck").getBoolean("ok"));
    assertEquals(6L, run.getJsonObject("secretAck").getLong("seq"));
    for (Object placeholder : run.getJsonArray("hiddenEvents")) {
      JsonObject hidden = (JsonObject) placeholder;
      assertEquals(List.of("6", "", "true"), List.of(String.valueOf(hidden.getLong("seq")), hidden.getString("body"),
          String.valueOf(hidden.getBoolean("hidden"))), "bob's devices on both gateways: " + hidden.encode());
      assertTrue(hidden.getString("senderId").startsWith("carol-"), hidden.encode());
    }
    for (String bob : List.of("bobPhone", "bobLaptop")) {
      assertTrue(seen.getJsonArray(bob).stream().map(String::valueOf).noneMatch(l -> l.contains("not for bob")), bob);
    }
    assertTrue(seen.getJsonArray("alice").stream().map(String::valueOf).anyMatch(l -> l.equals("created not for bob")));
  }

  @Test
  @DisplayName("reactions across gateways: each change reaches every other socket of the room on both gateways once, with the reactions after it; repeats announce nothing; history and a catch-up carry them with the reader's own marked")
  void reactionsAcrossGateways() throws Exception {
    JsonObject run = NodeScript.run("reactions-scenario.mjs", 90_000, URLS[0], URLS[1], SECRET);

    JsonObject bobAck = run.getJsonObject("bobAck");
    assertEquals(true, bobAck.getBoolean("changed"), run.encode());
    assertEquals("👍", bobAck.getJsonArray("reactions").getJsonObject(0).getString("emoji"));
    assertEquals(true, bobAck.getJsonArray("reactions").getJsonObject(0).getBoolean("me"));
    assertEquals(1, bobAck.getInteger("version"));
    for (Object told : run.getJsonArray("told")) {
      JsonObject event = (JsonObject) told;
      assertEquals(1, event.getJsonArray("reactions").getJsonObject(0).getInteger("count"), event.encode());
      assertTrue(!event.getJsonArray("reactions").getJsonObject(0).containsKey("me"), "no reader's me in the room's event");
    }
    assertEquals(false, run.getJsonObject("bobAgain").getBoolean("changed"), "his laptop: the phone's reaction already");
    assertEquals(2, run.getJsonObject("carolAck").getJsonArray("reactions").getJsonObject(0).getInteger("count"));
    JsonArray afterRemove = run.getJsonObject("removeAck").getJsonArray("reactions");
    assertEquals("👍1 🎉1", counts(afterRemove));

    JsonObject seen = run.getJsonObject("seen");
    List<String> all = List.of("bob +👍 v1", "carol +👍 v2", "alice +🎉 v3", "bob -👍 v4");
    assertEquals(all.stream().filter(l -> !l.startsWith("alice")).toList(), seen.getJsonArray("alice").getList(), "alice (A)");
    assertEquals(all.stream().filter(l -> !l.startsWith("carol")).toList(), seen.getJsonArray("carol").getList(), "carol (B, durable)");
    assertEquals(all.stream().filter(l -> !l.equals("bob +👍 v1")).toList(), seen.getJsonArray("bobPhone").getList(),
        "bob's phone (A): not its own change");
    assertEquals(all.stream().filter(l -> !l.equals("bob -👍 v4")).toList(), seen.getJsonArray("bobLaptop").getList(),
        "bob's laptop (B): not its own change");

    JsonObject history = run.getJsonObject("history").getJsonArray("messages").getJsonObject(0);
    assertEquals("👍1* 🎉1", counts(history.getJsonArray("reactions")), "carol's own marked");
    assertEquals(4, history.getInteger("reactionsVersion"));
    JsonObject missed = run.getJsonObject("missed").getJsonArray("missed").getJsonObject(0);
    assertEquals("👍1* 🎉1", counts(missed.getJsonArray("reactions")));

    assertEquals("VALIDATION_ERROR", run.getJsonObject("badEmoji").getJsonObject("error").getString("code"));
    assertEquals("NOT_FOUND", run.getJsonObject("unknown").getJsonObject("error").getString("code"));
    assertEquals("NOT_FOUND", run.getJsonObject("deleted").getJsonObject("error").getString("code"));
  }

  @Test
  @DisplayName("calls across gateways: a call rings every device of the callee on both gateways, one answers; offer, answer and ICE reach the other party's socket only; busy, hang-up, decline, timeout and a dropped party end it for everyone")
  void callsAcrossGateways() throws Exception {
    JsonObject run = NodeScript.run("calls-scenario.mjs", 90_000, URLS[0], URLS[1], SECRET);

    String callId = run.getJsonObject("start").getString("callId");
    assertTrue(callId != null && run.getJsonObject("start").getJsonArray("ringing").size() == 1, run.encode());
    for (Object ring : run.getJsonArray("rings")) {
      assertEquals(callId, ((JsonObject) ring).getString("callId"), "both of bob's devices ring, one on each gateway");
    }
    String phone = run.getJsonArray("accepted").getJsonObject(0).getString("socketId");
    for (Object accepted : run.getJsonArray("accepted")) {
      assertEquals(phone, ((JsonObject) accepted).getString("socketId"), "alice and bob's laptop hear which socket answered");
    }
    assertEquals("FORBIDDEN", code(run, "laptopAccept"), "answered on his phone");
    assertEquals(List.of("offer", "v=0 offer"), List.of(run.getJsonObject("offer").getString("type"),
        run.getJsonObject("offer").getJsonObject("payload").getString("sdp")), "relayed from A to B");
    assertEquals("v=0 answer", run.getJsonObject("answer").getJsonObject("payload").getString("sdp"), "from B to A");
    assertEquals("0", run.getJsonObject("ice").getJsonObject("payload").getString("sdpMid"));
    assertEquals("FORBIDDEN", code(run, "toLaptop"), "to a socket not in the call");
    assertEquals("FORBIDDEN", code(run, "fromLaptop"), "from a socket not in the call");
    assertEquals("NOT_FOUND", code(run, "fromCarol"), "from a user not in the call");
    assertEquals(0, run.getInteger("laptopSignals"), "no signal reached the socket that did not answer");
    assertEquals("BUSY", code(run, "busy"), "bob is in a call, held by the other gateway");
    for (Object ended : run.getJsonArray("ended")) {
      assertEquals("hangup", ((JsonObject) ended).getString("reason"));
    }
    assertEquals("declined", run.getJsonObject("declined").getString("reason"));
    assertEquals("declined", run.getJsonObject("declineEnded").getString("reason"));
    for (Object ended : run.getJsonArray("timeoutEnded")) {
      assertEquals("timeout", ((JsonObject) ended).getString("reason"));
    }
    assertEquals("disconnected", run.getJsonObject("dropped").getString("reason"));
  }

  @Test
  @DisplayName("attachments across gateways with an object store: an image put to its presigned URL on one gateway reaches a member on the other with its dimensions and thumbnail; the member downloads both through their gateway; a non-member is refused")
  void attachmentsAcrossGateways() throws Exception {
    JsonObject run = NodeScript.run("attachments-scenario.mjs", 90_000, URLS[0], URLS[1], SECRET);

    JsonObject upload = run.getJsonObject("ticket").getJsonObject("upload");
    assertTrue(upload.getString("url").startsWith(s3.endpoint() + "/" + S3MockServer.BUCKET + "/"),
        "straight to the store, not through a gateway: " + run.encode());
    assertEquals(200, run.getJsonObject("put").getInteger("status"), "the presigned PUT");
    assertTrue(run.getJsonObject("sendAck").getLong("seq") >= 1, run.getJsonObject("sendAck").encode());

    String id = run.getJsonObject("ticket").getJsonObject("attachment").getString("id");
    JsonObject expected = new JsonObject().put("id", id).put("name", "gradient.png").put("contentType", "image/png")
        .put("size", run.getLong("imageSize")).put("width", 640).put("height", 480).put("thumbnail", true);
    JsonObject created = run.getJsonObject("bobCreated").getJsonObject("new");
    assertEquals("look", created.getString("body"));
    assertEquals(new JsonArray().add(expected), created.getJsonArray("attachments"), "bob on gateway B, durable");
    assertEquals(new JsonArray().add(expected),
        run.getJsonObject("bobHistory").getJsonArray("messages").getJsonObject(0).getJsonArray("attachments"), "history");

    JsonObject download = run.getJsonObject("download");
    assertEquals(302, download.getInteger("status"), download.encode());
    assertTrue(download.getString("location").startsWith(s3.endpoint() + "/"), "a presigned URL of the store");
    JsonObject file = run.getJsonObject("downloaded");
    assertEquals(List.of(200, "image/png", run.getString("imageSha256")),
        List.of(file.getInteger("status"), file.getString("contentType"), file.getString("sha256")), "the bytes Alice put");
    assertEquals(302, run.getJsonObject("thumbnail").getInteger("status"));
    JsonObject thumbnail = run.getJsonObject("thumbnailFile");
    assertEquals(List.of(200, true, 256, 192), List.of(thumbnail.getInteger("status"), thumbnail.getBoolean("png"),
        thumbnail.getInteger("width"), thumbnail.getInteger("height")), "a PNG of at most 256 pixels a side: " + thumbnail);

    for (String refused : List.of("carolDownload", "carolThumbnail")) {
      JsonObject answer = run.getJsonObject(refused);
      assertEquals(403, answer.getInteger("status"), refused + ": " + answer);
      assertEquals("FORBIDDEN", answer.getJsonObject("body").getJsonObject("error").getString("code"), refused);
      assertTrue(answer.getString("location") == null, "no URL of the store for her");
    }
    assertEquals(401, run.getJsonObject("noToken").getInteger("status"));
    assertEquals(404, run.getJsonObject("unknown").getInteger("status"));
    JsonObject attach = run.getJsonObject("carolAttach").getJsonObject("error");
    assertEquals("VALIDATION_ERROR", attach.getString("code"), "not her upload");
    assertEquals("attachments", attach.getJsonArray("details").getJsonObject(0).getString("field"));
  }

  private static String code(JsonObject run, String ack) {
    return run.getJsonObject(ack).getJsonObject("error").getString("code");
  }

  @Test
  @DisplayName("threads and search across gateways: a reply on one gateway updates the thread on the other; a thread holds its replies; a reply to another room's message is refused; each user's search finds their rooms' messages only")
  void threadsAndSearchAcrossGateways() throws Exception {
    JsonObject run = NodeScript.run("threads-scenario.mjs", 90_000, URLS[0], URLS[1], SECRET);

    String root = run.getJsonObject("root").getString("id");
    // An event per reply, each with the thread as read after its reply's commit (the first may already count both).
    List<JsonObject> updates = run.getJsonArray("updates").stream().map(u -> (JsonObject) u).toList();
    assertEquals(java.util.Set.of(run.getJsonObject("reply1").getString("id"), run.getJsonObject("reply2").getString("id")),
        java.util.Set.copyOf(updates.stream().map(u -> u.getString("replyId")).toList()), "on gateway A, from B: " + run.encode());
    assertEquals(2L, updates.stream().mapToLong(u -> u.getJsonObject("thread").getLong("replies")).max().orElse(0));
    JsonObject thread = run.getJsonObject("thread");
    assertEquals(root, thread.getJsonObject("root").getString("id"));
    assertEquals(2L, thread.getJsonObject("root").getJsonObject("thread").getLong("replies"));
    List<String> bodies = thread.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("body")).toList();
    assertEquals(2, bodies.size(), bodies.toString());
    assertEquals("I do", bodies.get(0));
    assertTrue(bodies.get(1).endsWith(" notes too"), bodies.toString());
    JsonObject first = run.getJsonObject("history").getJsonArray("messages").getJsonObject(0);
    assertEquals(run.getJsonObject("reply2").getLong("seq"), first.getJsonObject("thread").getLong("lastReplySeq"));
    assertEquals("VALIDATION_ERROR", run.getJsonObject("crossRoom").getJsonObject("error").getString("code"));

    assertEquals(3, run.getJsonObject("aliceSearch").getJsonArray("results").size(), "alice: her two rooms");
    assertEquals(2, run.getJsonObject("bobSearch").getJsonArray("results").size(), "bob: his room only");
    assertEquals(1, run.getJsonObject("carolSearch").getJsonArray("results").size(), "carol: hers");
    assertEquals("VALIDATION_ERROR", run.getJsonObject("tooLong").getJsonObject("error").getString("code"));
  }

  /** "emoji count" of each kind, with * where the reader is one of them. */
  private static String counts(JsonArray reactions) {
    return String.join(" ", reactions.stream().map(r -> (JsonObject) r)
        .map(r -> r.getString("emoji") + r.getInteger("count") + (Boolean.TRUE.equals(r.getBoolean("me")) ? "*" : "")).toList());
  }

  /** What a socket saw of the events that carry a seq, in arrival order. */
  private static List<String> sequencedOf(JsonObject seen, String socket) {
    return seen.getJsonArray(socket).stream().map(String::valueOf)
        .filter(l -> !l.startsWith("created") && !l.startsWith("failed") && !l.startsWith("hidden")).toList();
  }
}
