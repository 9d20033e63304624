package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The messaging core through real sockets: the packaged system with two message-service instances
 * writing to the same Postgres, driven by the official socket.io-client.
 */
class MessagingIT {
  private static SwitchboardProcess app;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    app = SwitchboardProcess.startSystem("messaging", Map.of("MESSAGE_INSTANCES", "2"));
    url = app.url();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) {
      app.terminate(60_000);
    }
  }

  @Test
  @DisplayName("a socket that receives durable (asked at CONNECT or at join-room) gets each other member's message once, stored, in seq order; the default gets the optimistic copy and its confirmation; the sender neither")
  void receivers() throws Exception {
    JsonObject run = NodeScript.run("receive-scenario.mjs", 60_000, url);
    JsonArray acks = run.getJsonArray("acks");
    JsonArray durable = new JsonArray();
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < acks.size(); i++) {
      long seq = acks.getJsonObject(i).getLong("seq");
      seqs.add(seq);
      durable.add(new JsonObject().put("event", "created").put("optimistic", false).put("seq", seq).put("body", "m" + (i + 1)));
    }
    JsonObject seen = run.getJsonObject("seen");
    assertEquals(durable, seen.getJsonArray("bob"), "durable asked at CONNECT");
    assertEquals(durable, seen.getJsonArray("carol"), "durable asked at join-room");
    List<JsonObject> dave = seen.getJsonArray("dave").stream().map(JsonObject.class::cast).toList();
    assertEquals(6, dave.size(), dave.toString());
    assertEquals(List.of(true, true, true), dave.stream().filter(e -> "created".equals(e.getString("event")))
        .map(e -> e.getBoolean("optimistic")).toList(), "the default: optimistic copies");
    assertEquals(seqs, dave.stream().filter(e -> "confirmed".equals(e.getString("event")))
        .map(e -> e.getLong("seq")).toList(), "then their confirmations, in seq order");
    assertEquals(new JsonArray(), seen.getJsonArray("alice"), "the sender has its acks");
  }

  @Test
  @DisplayName("50 users on 3 connections each send into one room at once: every message stored once, seq 1..N without gap, every ack carries the stored seq")
  void concurrentSenders() throws Exception {
    JsonObject run = NodeScript.run("concurrent-senders.mjs", 120_000, url);
    JsonArray acks = run.getJsonArray("acks");
    JsonArray history = run.getJsonArray("history");
    int n = acks.size() + 1;
    assertEquals(300, acks.size());
    List<Long> stored = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < history.size(); i++) {
      stored.add(history.getJsonObject(i).getLong("seq"));
      ids.add(history.getJsonObject(i).getString("id"));
    }
    assertEquals(LongStream.rangeClosed(1, n).boxed().toList(), stored, "seq 1..N, no gap, each once");
    assertEquals(n, ids.size(), "one row per message");
    for (int i = 0; i < acks.size(); i++) {
      JsonObject ack = acks.getJsonObject(i);
      assertEquals(true, ack.getBoolean("ok"), ack.encode());
      JsonObject row = history.getJsonObject(ack.getInteger("seq") - 1);
      assertEquals(row.getString("id"), ack.getString("id"), "the ack's seq is where the message is stored");
    }
    JsonArray retries = run.getJsonArray("retryAcks");
    assertEquals(retries.getJsonObject(0).getString("id"), retries.getJsonObject(1).getString("id"),
        "the same clientMsgId from two connections at once is one message");
    assertTrue(retries.getJsonObject(0).getBoolean("duplicate", false) ^ retries.getJsonObject(1).getBoolean("duplicate", false),
        "exactly one of the two acks is marked duplicate");
    Set<Long> confirmed = new HashSet<>(run.getJsonArray("observerConfirmed").getList());
    assertEquals(n, confirmed.size(), "an observer in the room saw every message confirmed");
  }

  @Test
  @DisplayName("edit, delete, history, read receipts, tenant isolation and persist-first delivery behave as the contract says")
  void messagingOperations() throws Exception {
    JsonObject run = NodeScript.run("messaging-scenario.mjs", 90_000, url);
    assertEquals("FORBIDDEN", run.getJsonObject("carolEdit").getJsonObject("error").getString("code"));
    assertEquals("FORBIDDEN", run.getJsonObject("carolDelete").getJsonObject("error").getString("code"));
    JsonObject edited = run.getJsonObject("bobEdit");
    assertEquals("final text", edited.getJsonObject("message").getString("body"));
    assertNotNull(edited.getJsonObject("message").getString("editedAt"));
    JsonObject update = run.getJsonObject("updatedAtAlice");
    assertEquals("UPDATE", update.getString("eventType"));
    assertEquals("first draft", update.getJsonObject("old").getString("body"));
    assertEquals("final text", update.getJsonObject("new").getString("body"));
    assertEquals(true, run.getJsonObject("aliceDelete").getBoolean("ok"), "the room admin may delete");
    JsonObject deleted = run.getJsonObject("deletedAtCarol");
    assertEquals("DELETE", deleted.getString("eventType"));
    assertEquals(run.getJsonObject("sent").getString("id"), deleted.getJsonObject("old").getString("id"));

    JsonArray latest = run.getJsonObject("latestPage").getJsonArray("messages");
    assertEquals(List.of(4L, 5L, 6L), List.of(latest.getJsonObject(0).getLong("seq"), latest.getJsonObject(1).getLong("seq"),
        latest.getJsonObject(2).getLong("seq")));
    assertTrue(run.getJsonObject("latestPage").getBoolean("hasMore"));
    JsonArray older = run.getJsonObject("olderPage").getJsonArray("messages");
    assertEquals(3, older.size());
    assertEquals(1L, older.getJsonObject(0).getLong("seq"));
    assertTrue(older.getJsonObject(0).getBoolean("deleted"), "the deleted message keeps its place in history");
    assertFalse(run.getJsonObject("olderPage").getBoolean("hasMore"));

    assertEquals(2L, run.getJsonObject("markRead").getLong("unread"));
    JsonObject receipt = run.getJsonObject("receipt");
    assertEquals("carol", receipt.getString("userId"));
    assertEquals(4L, receipt.getLong("seq"));
    assertEquals(2L, run.getJsonObject("rejoinCarol").getLong("unread"));

    assertEquals("NOT_FOUND", run.getJsonObject("eveJoin").getJsonObject("error").getString("code"));
    assertEquals("FORBIDDEN", run.getJsonObject("eveSend").getJsonObject("error").getString("code"));
    assertEquals("NOT_FOUND", run.getJsonObject("eveHistory").getJsonObject("error").getString("code"));
    assertFalse(run.getJsonObject("eveJoin").encode().contains("team"), "nothing of the room leaks to another tenant");

    JsonObject durable = run.getJsonObject("durableCreated").getJsonObject("new");
    assertEquals(1L, durable.getLong("seq"));
    assertEquals(false, durable.getBoolean("optimistic"));
    assertEquals(run.getJsonObject("durableAck").getString("id"), durable.getString("id"));
    assertEquals(0, run.getInteger("durableConfirms"));
  }
}
