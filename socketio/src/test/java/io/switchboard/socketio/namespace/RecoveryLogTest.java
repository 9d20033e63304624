package io.switchboard.socketio.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.parser.EncodedPacket;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecoveryLogTest {
  private static final long WINDOW = 120_000;

  private static EncodedPacket text(String frame) {
    return new EncodedPacket(List.of(frame));
  }

  private static List<String> texts(List<EncodedPacket> packets) {
    return packets.stream().map(EncodedPacket::text).toList();
  }

  @Test
  @DisplayName("A socket gets back, in order, the packets after its offset that targeted one of its rooms")
  void replaysWhatTargetedTheRooms() {
    RecoveryLog log = new RecoveryLog(WINDOW, 100, 4096);
    log.append(1, 0, Set.of("r1"), Set.of(), text("42[\"a\"]"));
    log.append(2, 0, Set.of("r1"), Set.of(), text("42[\"b\"]"));
    log.append(3, 0, Set.of("r2"), Set.of(), text("42[\"other room\"]"));
    log.append(4, 0, Set.of(), Set.of(), text("42[\"everyone\"]"));
    log.append(5, 0, Set.of("r1"), Set.of("sock-1"), text("42[\"not echoed to its sender\"]"));
    log.append(6, 0, Set.of("r1", "r2"), Set.of(), text("42[\"ünïcødé ✓\"]"));

    assertEquals(List.of("42[\"b\"]", "42[\"everyone\"]", "42[\"ünïcødé ✓\"]"),
        texts(log.since(1, Set.of("sock-1", "r1"))));
    assertEquals(List.of("42[\"b\"]", "42[\"everyone\"]", "42[\"not echoed to its sender\"]", "42[\"ünïcødé ✓\"]"),
        texts(log.since(1, Set.of("sock-2", "r1"))));
    assertEquals(List.of(), texts(log.since(6, Set.of("r1"))));
  }

  @Test
  @DisplayName("Past its entry limit the log drops the oldest, and a socket that missed a dropped one is not recovered")
  void dropsOldestByCount() {
    RecoveryLog log = new RecoveryLog(WINDOW, 3, 4096);
    for (int seq = 1; seq <= 5; seq++) {
      log.append(seq, 0, Set.of("r"), Set.of(), text("42[" + seq + "]"));
    }
    assertEquals(3, log.size());
    assertNull(log.since(1, Set.of("r")), "seq 2 was dropped");
    assertEquals(List.of("42[3]", "42[4]", "42[5]"), texts(log.since(2, Set.of("r"))));
  }

  @Test
  @DisplayName("Past its byte budget the log drops the oldest and keeps the newest packets whole")
  void dropsOldestByBytes() {
    RecoveryLog log = new RecoveryLog(WINDOW, 1_000, 10_000);
    for (int seq = 1; seq <= 500; seq++) {
      log.append(seq, 0, Set.of("room-" + seq % 7), Set.of(), text("42[\"" + "x".repeat(seq % 97) + seq + "\"]"));
    }
    int kept = log.size();
    assertTrue(kept > 5 && kept < 500, "kept " + kept);
    List<String> replayed = texts(log.since(500 - kept, Set.of(
        "room-0", "room-1", "room-2", "room-3", "room-4", "room-5", "room-6")));
    List<String> expected = IntStream.rangeClosed(501 - kept, 500)
        .mapToObj(seq -> "42[\"" + "x".repeat(seq % 97) + seq + "\"]").toList();
    assertEquals(expected, replayed);
    assertNull(log.since(499 - kept, Set.of("room-0")));
  }

  @Test
  @DisplayName("Packets older than the window are dropped")
  void prunesByAge() {
    RecoveryLog log = new RecoveryLog(3_000, 100, 4096);
    log.append(1, 1_000, Set.of("r"), Set.of(), text("42[1]"));
    log.append(2, 3_500, Set.of("r"), Set.of(), text("42[2]"));
    assertEquals(2, log.size());
    log.prune(4_500);
    assertEquals(1, log.size());
    assertNull(log.since(0, Set.of("r")));
    assertEquals(List.of("42[2]"), texts(log.since(1, Set.of("r"))));
  }

  @Test
  @DisplayName("A packet with binary attachments comes back with the same frames")
  void keepsAttachments() {
    RecoveryLog log = new RecoveryLog(WINDOW, 100, 256);
    Buffer file = Buffer.buffer(new byte[] {1, 2, 0, -1});
    log.append(1, 0, Set.of("r"), Set.of(), new EncodedPacket(List.of("451-[\"file\",{\"_placeholder\":true,\"num\":0}]", file)));
    List<EncodedPacket> replayed = log.since(0, Set.of("r"));
    assertEquals(1, replayed.size());
    assertEquals(List.of("451-[\"file\",{\"_placeholder\":true,\"num\":0}]", file), replayed.get(0).frames());
  }

  @Test
  @DisplayName("A packet larger than the whole log is not kept, and no socket recovers across it")
  void refusesPacketsLargerThanTheLog() {
    RecoveryLog log = new RecoveryLog(WINDOW, 100, 256);
    log.append(1, 0, Set.of("r"), Set.of(), text("42[1]"));
    log.append(2, 0, Set.of("r"), Set.of(), text("42[\"" + "y".repeat(1_000) + "\"]"));
    log.append(3, 0, Set.of("r"), Set.of(), text("42[3]"));
    assertNull(log.since(1, Set.of("r")));
    assertEquals(List.of("42[3]"), texts(log.since(2, Set.of("r"))));
  }

  @Test
  @DisplayName("Through growing, wrapping and dropping, the log replays exactly the newest packets it kept, in order")
  void keepsTheNewestPacketsIntact() {
    RecoveryLog log = new RecoveryLog(WINDOW, 50, 256 * 1024);
    Random random = new Random(7);
    List<String> appended = new ArrayList<>();
    for (int seq = 1; seq <= 3_000; seq++) {
      // Mostly small packets, some up to 20k characters, some not Latin-1.
      int length = random.nextInt(10) == 0 ? random.nextInt(20_000) : random.nextInt(600);
      String body = (random.nextBoolean() ? "x" : "ж").repeat(length);
      String frame = "42[\"" + seq + body + "\"]";
      appended.add(frame);
      log.append(seq, 0, Set.of("room-" + seq % 3), Set.of(), text(frame));
      int kept = log.size();
      assertTrue(kept >= 1 && kept <= 50, "kept " + kept);
      assertEquals(appended.subList(seq - kept, seq), texts(log.since(seq - kept, Set.of("room-0", "room-1", "room-2"))));
      if (kept < seq) {
        assertNull(log.since(seq - kept - 1, Set.of("room-0")));
      }
    }
  }

  @Test
  @DisplayName("The log holds no memory until it is used, at most its budget while in use, and none once the window empties it")
  void memoryFollowsWhatItHolds() {
    RecoveryLog log = new RecoveryLog(3_000, 10_000, 1024 * 1024);
    assertEquals(0, log.footprint());
    for (int seq = 1; seq <= 5_000; seq++) {
      log.append(seq, 1_000, Set.of("room"), Set.of(), text("42[\"" + "m".repeat(500) + "\"]"));
    }
    assertTrue(log.size() > 1_000 && log.size() < 5_000, "kept " + log.size());
    assertTrue(log.footprint() <= 1024 * 1024 + 24 * 4_096, "holds " + log.footprint());
    log.prune(4_001);
    assertEquals(0, log.size());
    assertEquals(0, log.footprint());
    log.append(5_001, 4_001, Set.of("room"), Set.of(), text("42[\"after\"]"));
    assertEquals(List.of("42[\"after\"]"), texts(log.since(5_000, Set.of("room"))));
  }

  @Test
  @DisplayName("Emits from several threads at once keep the log within its limit, each thread's packets in order")
  void concurrentAppends() throws Exception {
    RecoveryLog log = new RecoveryLog(WINDOW, 1_000, 1024 * 1024);
    AtomicLong seqs = new AtomicLong();
    int threads = 4;
    int perThread = 5_000;
    List<Thread> writers = IntStream.range(0, threads).mapToObj(t -> new Thread(() -> {
      for (int n = 0; n < perThread; n++) {
        long seq = seqs.incrementAndGet();
        log.append(seq, 0, Set.of("r"), Set.of(), text("42[" + t + "," + n + ",\"" + "z".repeat(n % 200) + "\"]"));
      }
    })).toList();
    writers.forEach(Thread::start);
    for (Thread writer : writers) {
      writer.join();
    }
    // A seq is taken before its append, so the dropped (first appended) entries have seqs at most
    // threads - 1 above their count.
    assertEquals(1_000, log.size());
    List<EncodedPacket> kept = log.since(seqs.get() - log.size() + threads, Set.of("r"));
    assertNotNull(kept);
    assertTrue(kept.size() > 100, "kept " + kept.size());
    int[] last = new int[threads];
    Arrays.fill(last, -1);
    for (EncodedPacket packet : kept) {
      String[] parts = packet.text().substring(3, packet.text().length() - 1).split(",", 3);
      int t = Integer.parseInt(parts[0]);
      int n = Integer.parseInt(parts[1]);
      assertEquals("\"" + "z".repeat(n % 200) + "\"", parts[2], "packet intact");
      assertTrue(n > last[t], "thread " + t + " in order");
      last[t] = n;
    }
  }
}
