package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The result of {@code resilience-scenario.mjs}: every room's history read at the end, every send
 * with its outcome, and what each client holds, with the checks the resilience tests share. Each
 * check compares the clients' view with the stored history, so a lost, duplicated or misplaced
 * message fails it.
 */
final class ChatRun {
  private final JsonObject result;

  ChatRun(JsonObject result) {
    this.result = result;
  }

  Map<String, List<JsonObject>> history() {
    Map<String, List<JsonObject>> rooms = new TreeMap<>();
    result.getJsonObject("rooms").forEach(e -> rooms.put(e.getKey(), objects((JsonArray) e.getValue())));
    return rooms;
  }

  List<JsonObject> sends() {
    return objects(result.getJsonArray("sends"));
  }

  List<JsonObject> clients() {
    return objects(result.getJsonArray("clients"));
  }

  /** The clientMsgId a message was sent with (the scenario puts it last in the body). */
  static String clientMsgId(JsonObject message) {
    String body = message.getString("body");
    return body.substring(body.lastIndexOf(' ') + 1);
  }

  /**
   * In every room: seq 1..N without gap, one row per id and per clientMsgId, no row that nobody
   * sent; every send either acknowledged with the id and seq it is stored at, or reported failed.
   */
  void assertDurableExactlyOnce() {
    Map<String, JsonObject> stored = new HashMap<>();
    Map<String, String> roomOf = new HashMap<>();
    history().forEach((room, messages) -> {
      List<Long> seqs = messages.stream().map(m -> m.getLong("seq")).toList();
      assertEquals(LongStream.rangeClosed(1, messages.size()).boxed().toList(), seqs, room + ": seq 1..N, each once");
      assertEquals(messages.size(), messages.stream().map(m -> m.getString("id")).distinct().count(), room + ": one row per id");
      for (JsonObject m : messages) {
        assertNull(stored.put(clientMsgId(m), m), "one row for clientMsgId " + clientMsgId(m));
        roomOf.put(clientMsgId(m), room);
      }
    });
    Set<String> sent = new HashSet<>();
    for (JsonObject send : sends()) {
      sent.add(send.getString("clientMsgId"));
      JsonObject ack = send.getJsonObject("ack");
      if (ack == null) {
        assertNotNull(send.getString("failed"), "a send neither acknowledged nor reported failed: " + send.encode());
        continue;
      }
      JsonObject row = stored.get(send.getString("clientMsgId"));
      assertNotNull(row, "an acknowledged message is missing from the history: " + send.encode());
      assertEquals(row.getString("id"), ack.getString("id"), "the ack names the stored message");
      assertEquals(row.getLong("seq"), ack.getLong("seq"), "the ack carries the stored seq");
      assertEquals(send.getString("roomId"), roomOf.get(send.getString("clientMsgId")), "stored in the room it was sent to");
    }
    for (String id : stored.keySet()) {
      assertTrue(sent.contains(id), "a stored message nobody sent: " + id);
    }
  }

  /** Sends reported failed (after their deadline, or refused for good). */
  List<JsonObject> failedSends() {
    return sends().stream().filter(s -> s.getString("failed") != null).toList();
  }

  /**
   * Every client is connected, its rooms joined again, and holds each room's history exactly: the
   * same ids at the same seqs, none missing, none extra, never one id at two seqs.
   */
  void assertEveryClientCaughtUp() {
    Map<String, List<JsonObject>> history = history();
    for (JsonObject client : clients()) {
      String name = client.getString("name");
      assertNull(client.getString("fatal"), name + " gave up: " + client.getString("fatal"));
      assertTrue(client.getBoolean("connected") && client.getBoolean("ready"), name + " ends connected with its rooms joined");
      client.getJsonObject("rooms").forEach(e -> {
        JsonObject room = (JsonObject) e.getValue();
        assertEquals(List.of(), room.getJsonArray("conflicts").getList(), name + " saw an id at two seqs or two ids at one seq");
        Map<Long, String> expected = new TreeMap<>();
        history.get(e.getKey()).forEach(m -> expected.put(m.getLong("seq"), m.getString("id")));
        Map<Long, String> held = new TreeMap<>();
        room.getJsonArray("held").forEach(pair -> held.put(((JsonArray) pair).getLong(0), ((JsonArray) pair).getString(1)));
        if (!expected.equals(held)) {
          Set<Long> missing = new HashSet<>(expected.keySet());
          missing.removeAll(held.keySet());
          fail(name + " in room " + e.getKey() + " holds " + held.size() + " of " + expected.size()
              + " messages; missing seqs " + new TreeMap<>(expected).keySet().stream().filter(missing::contains).toList()
              + "; how they came: " + room.getJsonObject("via").encode() + "; its disconnects: "
              + client.getJsonArray("disconnects").encode());
        }
      });
    }
    assertTrue(result.getBoolean("converged"), "the clients converged within the scenario's bound");
  }

  /** Keeps the whole result beside the build's other reports, for a look after a failure. */
  ChatRun save(String name) throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("switchboard.jar")).resolveSibling("scale-runs");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve(name + ".json"), result.encode());
    return this;
  }

  /**
   * With no failure on the way: each client received, for each message of another member of its
   * rooms, exactly one optimistic {@code room-message-created} and one {@code room-message-confirmed},
   * and none for its own messages.
   */
  void assertLiveDeliveryExactlyOnce() {
    Map<String, List<JsonObject>> history = history();
    for (JsonObject client : clients()) {
      String name = client.getString("name");
      client.getJsonObject("rooms").forEach(e -> {
        JsonObject room = (JsonObject) e.getValue();
        List<JsonObject> others = history.get(e.getKey()).stream().filter(m -> !name.equals(m.getString("senderId"))).toList();
        Map<String, Object> expectedCreated = others.stream().collect(Collectors.toMap(ChatRun::clientMsgId, m -> 1));
        Map<String, Object> expectedConfirmed = others.stream().collect(Collectors.toMap(m -> m.getString("id"), m -> 1));
        assertEquals(expectedCreated, room.getJsonObject("created").getMap(),
            name + " got each other member's optimistic copy exactly once (by clientMsgId: count)");
        assertEquals(expectedConfirmed, room.getJsonObject("confirmed").getMap(),
            name + " got each other member's confirmation exactly once (by id: count)");
        assertEquals(0, room.getInteger("ownEchoes"), name + " got no copy of its own messages");
      });
    }
  }

  /**
   * Rooms in which a client received a {@code room-message-confirmed} after one of a higher seq,
   * repeats of a seq it had already received aside, as "client room: seq 4 after 8". Each gateway
   * node puts a room's confirmations back in seq order, whichever message-service sent them.
   */
  List<String> confirmationsOutOfOrder() {
    List<String> out = new ArrayList<>();
    for (JsonObject client : clients()) {
      for (Map.Entry<String, Object> e : client.getJsonObject("rooms")) {
        Set<Long> seen = new HashSet<>();
        List<Long> firsts = new ArrayList<>();
        for (Object seq : ((JsonObject) e.getValue()).getJsonArray("liveSeqs")) {
          if (seen.add(((Number) seq).longValue())) {
            firsts.add(((Number) seq).longValue());
          }
        }
        for (int i = 1; i < firsts.size(); i++) {
          if (firsts.get(i) < firsts.get(i - 1)) {
            out.add(client.getString("name") + " " + e.getKey().substring(0, 8) + ": seq " + firsts.get(i) + " after "
                + firsts.get(i - 1));
            break;
          }
        }
      }
    }
    return out;
  }

  /** Confirmations that arrived after one with a higher seq, over all clients and rooms. */
  int seqInversions() {
    int inversions = 0;
    for (JsonObject client : clients()) {
      for (Map.Entry<String, Object> e : client.getJsonObject("rooms")) {
        long max = 0;
        for (Object seq : ((JsonObject) e.getValue()).getJsonArray("liveSeqs")) {
          long s = ((Number) seq).longValue();
          if (s < max) {
            inversions++;
          }
          max = Math.max(max, s);
        }
      }
    }
    return inversions;
  }

  /** Seqs that a client only got by filling a gap from history, as "client room: [seqs]". */
  List<String> gapFills() {
    List<String> fills = new ArrayList<>();
    for (JsonObject client : clients()) {
      for (Map.Entry<String, Object> e : client.getJsonObject("rooms")) {
        JsonArray filled = ((JsonObject) e.getValue()).getJsonArray("filled");
        if (!filled.isEmpty()) {
          fills.add(client.getString("name") + " " + e.getKey().substring(0, 8) + ": " + filled.encode());
        }
      }
    }
    return fills;
  }

  /** Clients that lost their connection at least once. */
  long clientsDisconnected() {
    return clients().stream().filter(c -> !c.getJsonArray("disconnects").isEmpty()).count();
  }

  /** One line for the test log: how much happened and how the clients got their messages. */
  String summary() {
    int messages = history().values().stream().mapToInt(List::size).sum();
    List<JsonObject> sends = sends();
    long retried = sends.stream().filter(s -> s.getInteger("attempts") > 1).count();
    long duplicates = sends.stream().filter(s -> s.getJsonObject("ack") != null && s.getJsonObject("ack").getBoolean("duplicate")).count();
    Map<String, Integer> via = new TreeMap<>();
    Map<String, Integer> dropped = new TreeMap<>();
    Map<String, Integer> reasons = new TreeMap<>();
    Map<String, Integer> refusals = new TreeMap<>();
    for (JsonObject client : clients()) {
      client.getJsonArray("disconnects").forEach(r -> reasons.merge(String.valueOf(r), 1, Integer::sum));
      client.getJsonArray("refusals").forEach(r -> refusals.merge(String.valueOf(r), 1, Integer::sum));
      for (Map.Entry<String, Object> e : client.getJsonObject("rooms")) {
        JsonObject room = (JsonObject) e.getValue();
        room.getJsonObject("via").forEach(v -> via.merge(v.getKey(), ((Number) v.getValue()).intValue(), Integer::sum));
        room.getJsonObject("dropped").forEach(v -> dropped.merge(v.getKey(), ((Number) v.getValue()).intValue(), Integer::sum));
      }
    }
    List<Long> ms = new ArrayList<>(sends.stream().filter(s -> s.getJsonObject("ack") != null).map(s -> s.getLong("ms")).sorted().toList());
    return "messages=" + messages + " sends=" + sends.size() + " retried=" + retried + " duplicateAcks=" + duplicates
        + " failed=" + failedSends().size() + " ackMs(p50/p99/max)=" + percentile(ms, 50) + "/" + percentile(ms, 99) + "/"
        + (ms.isEmpty() ? 0 : ms.get(ms.size() - 1)) + " disconnects=" + reasons + " connectErrors=" + refusals + " held via=" + via + " recognised again=" + dropped
        + " seqInversions=" + seqInversions() + " gapFills=" + gapFills() + " settleMs=" + result.getLong("settleMs") + " scenarioMs=" + result.getLong("ms");
  }

  private static long percentile(List<Long> sorted, int p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>(array.size());
    array.forEach(o -> list.add((JsonObject) o));
    return list;
  }
}
