package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.embedded.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two regions sharing one Postgres primary (docs/architecture.md, "Regions"): region A runs in this
 * machine's network namespace, next to the primary; region B in a network namespace of its own,
 * joined to it by a veth pair, the primary reached through a {@link LinkProxy} that adds
 * {@link #LINK_DELAY_MS} each way (this kernel has no {@code netem}). Each region is one Switchboard
 * process (gateway, message-service, presence-service) with its own embedded Redis; Alice uses
 * region A, Bob region B, each with the official client, in one room.
 *
 * <p>Needs root (namespaces and links), as the tests run here and in CI.
 */
class RegionsIT {
  static final long LINK_DELAY_MS = 25;
  private static final String SECRET = "regions-test-secret-0123456789abcdef-0123";
  private static final long PID = ProcessHandle.current().pid();
  private static final String NS = "sbregions" + PID;
  private static final String VETH_HOST = "sbr" + (PID % 10_000_000) + "a";
  private static final String VETH_NS = "sbr" + (PID % 10_000_000) + "b";
  private static String subnet;

  private static final Vertx vertx = Vertx.vertx();
  private static LinkProxy link;
  private static SwitchboardProcess regionA;
  private static SwitchboardProcess regionB;
  private static NodeScript.Running alice;
  private static NodeScript.Running bob;
  private static final AtomicInteger ids = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    subnet = freeSubnet();
    ip("netns", "add", NS);
    ip("link", "add", VETH_HOST, "type", "veth", "peer", "name", VETH_NS);
    ip("link", "set", VETH_NS, "netns", NS);
    ip("addr", "add", subnet + ".1/24", "dev", VETH_HOST);
    ip("link", "set", VETH_HOST, "up");
    ip("-n", NS, "addr", "add", subnet + ".2/24", "dev", VETH_NS);
    ip("-n", NS, "link", "set", VETH_NS, "up");
    ip("-n", NS, "link", "set", "lo", "up");

    URI primary = URI.create(TestServers.freshDatabase().replaceFirst("^postgresql:", "http:"));
    link = LinkProxy.start(vertx, subnet + ".1", primary.getHost(), primary.getPort(), LINK_DELAY_MS);
    String direct = "postgresql:" + primary.toString().substring("http:".length());
    String overLink = direct.replace(primary.getHost() + ":" + primary.getPort(), subnet + ".1:" + link.port());

    Map<String, String> common = Map.of("JWT_SECRET", SECRET, "PERSIST_DEADLINE_MS", "3000");
    Map<String, String> a = new HashMap<>(common);
    a.putAll(Map.of("PG_URL", direct, "REGION", "a"));
    Map<String, String> b = new HashMap<>(common);
    b.putAll(Map.of("PG_URL", overLink, "REGION", "b"));
    // Region A first: it migrates the schema, which region B then finds done.
    regionA = SwitchboardProcess.startSystem("region-a", a);
    regionB = SwitchboardProcess.startSystem("region-b", b, List.of("ip", "netns", "exec", NS));

    alice = NodeScript.start("region-client.mjs", regionA.url(), SECRET, "alice");
    bob = NodeScript.startWith(List.of("ip", "netns", "exec", NS), "region-client.mjs", regionB.url(), SECRET, "bob");
    alice.awaitPhase("ready", 30_000);
    bob.awaitPhase("ready", 30_000);
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeScript.Running client : new NodeScript.Running[] {alice, bob}) {
      if (client != null) {
        client.close();
      }
    }
    for (SwitchboardProcess region : new SwitchboardProcess[] {regionA, regionB}) {
      if (region != null) {
        region.close();
      }
    }
    if (link != null) {
      link.close();
    }
    Blocking.await(vertx.close(), 10_000, "test vert.x close");
    // Deleting the namespace deletes its end of the pair, and with it ours.
    run(List.of("ip", "netns", "delete", NS));
  }

  @Test
  @DisplayName("users of two regions chat live across them; with the link cut, the far region's sends fail with "
      + "PERSIST_FAILED and its reads with UNAVAILABLE while its presence works; once back, a catch-up from sinceSeq misses nothing")
  void twoRegions() throws Exception {
    String roomId = ok(ask(alice, "create-room", new JsonObject().put("name", "across regions").put("kind", "public")))
        .getJsonObject("room").getString("id");
    ok(ask(alice, "join-room", new JsonObject().put("roomId", roomId)));
    ok(ask(bob, "join-room", new JsonObject().put("roomId", roomId)));

    // Live across regions, each message once, durable, in order, with its seq.
    List<Long> aToB = new ArrayList<>();
    List<Long> bToA = new ArrayList<>();
    long lastSeq = 0;
    for (int i = 0; i < 5; i++) {
      Sent sent = send(alice, roomId, "from A " + i);
      JsonObject seen = awaitMessage(bob, sent.clientMsgId(), 20_000);
      assertEquals(false, seen.getJsonObject("payload").getJsonObject("new").getBoolean("optimistic"));
      assertEquals(sent.seq(), seen.getJsonObject("payload").getJsonObject("new").getLong("seq"));
      aToB.add(seen.getLong("at") - sent.sentAt());
      Sent back = send(bob, roomId, "from B " + i);
      bToA.add(awaitMessage(alice, back.clientMsgId(), 20_000).getLong("at") - back.sentAt());
      lastSeq = back.seq();
    }
    System.out.printf("regions: link %d ms each way; A -> B delivery %s ms, B -> A delivery %s ms%n", LINK_DELAY_MS, aToB, bToA);
    // Lower bound: the notice crosses the link and the relay's read goes over it and back.
    assertTrue(aToB.stream().allMatch(ms -> ms >= 3 * LINK_DELAY_MS && ms < 2_000), "A -> B " + aToB);
    assertTrue(bToA.stream().allMatch(ms -> ms >= 2 * LINK_DELAY_MS && ms < 2_000), "B -> A " + bToA);

    ip("link", "set", VETH_HOST, "down");
    try {
      // Region A goes on as before.
      List<String> whileCut = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        whileCut.add(send(alice, roomId, "while cut " + i).id());
      }
      // Region B: sends fail within PERSIST_DEADLINE_MS (and one write attempt), reads fail, presence answers.
      String retried = UUID.randomUUID().toString();
      JsonObject failed = ask(bob, "send-message", message(roomId, retried, "from B while cut"));
      assertEquals("PERSIST_FAILED", error(failed), failed.encode());
      assertTrue(failed.getLong("ms") < 10_000, failed.encode());
      JsonObject history = ask(bob, "fetch-history", new JsonObject().put("roomId", roomId));
      assertEquals("UNAVAILABLE", error(history), history.encode());
      JsonObject presence = ok(ask(bob, "get-presence", new JsonObject().put("roomId", roomId)));
      assertEquals(new JsonArray().add("bob"), presence.getJsonArray("online"), "presence is the region's own");

      ip("link", "set", VETH_HOST, "up");
      // Bob catches up as a client does after any gap: join-room from the last seq he holds.
      JsonObject join = ok(ask(bob, "join-room", new JsonObject().put("roomId", roomId).put("sinceSeq", lastSeq)));
      List<JsonObject> missed = join.getJsonArray("missed").stream().map(m -> (JsonObject) m).toList();
      assertEquals(whileCut, missed.stream().filter(m -> "alice".equals(m.getString("senderId"))).map(m -> m.getString("id")).toList(),
          "nothing Alice sent while the link was cut is lost");
      // Bob's failed send may still have been written when the link came back (its transaction was
      // on the wire): sent again with its client message id it is stored once, and Alice sees it.
      assertTrue(missed.stream().allMatch(m -> "alice".equals(m.getString("senderId")) || retried.equals(m.getString("clientMsgId"))),
          join.encode());
      JsonObject resent = ok(ask(bob, "send-message", message(roomId, retried, "from B while cut")));
      assertTrue(resent.getLong("seq") > lastSeq + 3, resent.encode());
      awaitMessage(alice, retried, 20_000);
      // And live delivery to region B resumes (the relay's connection is replaced if the cut broke it).
      Sent after = send(alice, roomId, "after the cut");
      awaitMessage(bob, after.clientMsgId(), 30_000);
    } finally {
      run(List.of("ip", "link", "set", VETH_HOST, "up"));
    }
  }

  private record Sent(String clientMsgId, String id, long seq, long sentAt) {}

  private static Sent send(NodeScript.Running client, String roomId, String body) throws Exception {
    String clientMsgId = UUID.randomUUID().toString();
    JsonObject reply = ask(client, "send-message", message(roomId, clientMsgId, body));
    JsonObject ack = ok(reply);
    return new Sent(clientMsgId, ack.getString("id"), ack.getLong("seq"), reply.getLong("sentAt"));
  }

  private static JsonObject message(String roomId, String clientMsgId, String body) {
    return new JsonObject().put("roomId", roomId).put("clientMsgId", clientMsgId).put("body", body);
  }

  /** The {@code room-message-created} of another region's client with this client message id. */
  private static JsonObject awaitMessage(NodeScript.Running client, String clientMsgId, long timeoutMs)
      throws InterruptedException {
    return client.awaitLine(0, line -> "event".equals(line.getString("phase"))
        && "room-message-created".equals(line.getString("name"))
        && clientMsgId.equals(line.getJsonObject("payload").getJsonObject("new").getString("tempId")),
        "message " + clientMsgId, timeoutMs);
  }

  /** Sends a request from the client and returns its reply line ({@code ack}, {@code sentAt}, {@code ms}). */
  private static JsonObject ask(NodeScript.Running client, String event, JsonObject payload) throws Exception {
    int id = ids.incrementAndGet();
    int mark = client.mark();
    client.tell(new JsonObject().put("id", id).put("event", event).put("payload", payload).encode());
    return client.awaitLine(mark, line -> "reply".equals(line.getString("phase")) && line.getInteger("id") == id,
        event + " reply", 40_000);
  }

  private static JsonObject ok(JsonObject reply) {
    JsonObject ack = reply.getJsonObject("ack");
    assertEquals(true, ack.getBoolean("ok"), reply.encode());
    return ack;
  }

  private static String error(JsonObject reply) {
    JsonObject ack = reply.getJsonObject("ack");
    return ack.getJsonObject("error") == null ? String.valueOf(ack.getValue("error")) : ack.getJsonObject("error").getString("code");
  }

  /** A /24 of 10.213.0.0/16 that no route of this machine uses yet (other test runs pick theirs the same way). */
  private static String freeSubnet() throws IOException {
    Process routes = new ProcessBuilder("ip", "-4", "route").redirectErrorStream(true).start();
    String table = new String(routes.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    for (long i = 0; i < 250; i++) {
      String candidate = "10.213." + (PID + i) % 250;
      if (!table.contains(candidate + ".")) {
        return candidate;
      }
    }
    throw new AssertionError("no free subnet in 10.213.0.0/16:\n" + table);
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    String output = run(command);
    if (output != null) {
      throw new AssertionError(String.join(" ", command) + " failed: " + output);
    }
  }

  /** Runs a command; null when it succeeded, its output otherwise. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.waitFor() == 0 ? null : output;
  }
}
