package io.switchboard.loadtest.scenario;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The bookkeeping of the failover scenario, as a client that keeps messages by {@code seq} sees it:
 * which messages were sent (by {@code clientMsgId}), which were acked and with what seq (the message
 * is stored), which seqs every socket holds (received live, recovered by {@code join-room {sinceSeq}},
 * or its own, known from its ack), and from that:
 * <ul>
 *   <li><b>missed</b>: an acked message that a socket of its room (other than its sender's) that is in
 *       the room at the end does not hold;</li>
 *   <li><b>duplicates</b>: a seq of another member's message received again by a socket that already
 *       held it (a client that dedups by seq shows it once: not an error, but reported);</li>
 *   <li><b>unacked</b>: a message sent and never acked (nor re-sent into an ack): not missed;</li>
 *   <li><b>unreachable</b>: deliveries that were due to sockets that never came back (not rejoined):
 *       not missed either, but reported.</li>
 * </ul>
 * Each socket is in one room; seqs of a room start after the socket's baseline (the {@code lastSeq} of
 * its first join). Thread-safe (one lock: a few thousand calls a second).
 */
final class FailoverLedger {
  /** How many missed deliveries the summary names one by one. */
  static final int SAMPLES = 20;

  private static final class Socket {
    final int id;
    final int room;
    final long baseline;
    /** Seqs held: everything up to the baseline, its own acked messages, and every seq received. */
    final BitSet held = new BitSet();
    /** Seqs received although already held (own messages included; filtered in the summary). */
    final List<Long> repeats = new ArrayList<>();
    boolean active = true;

    Socket(int id, int room, long baseline) {
      this.id = id;
      this.room = room;
      this.baseline = baseline;
      held.set(0, (int) baseline + 1);
    }
  }

  private static final class Message {
    final int room;
    final int sender;
    long seq = -1;

    Message(int room, int sender) {
      this.room = room;
      this.sender = sender;
    }
  }

  private final Map<Integer, Socket> sockets = new HashMap<>();
  private final Map<Integer, List<Integer>> roomMembers = new TreeMap<>();
  /** Per room: acked seq to its message. */
  private final Map<Integer, TreeMap<Long, Message>> acked = new HashMap<>();
  private final Map<String, Message> messages = new HashMap<>();
  private long seqConflicts;
  private long unknownAcks;

  /** Registers socket {@code socket} as a member of {@code room} that joined when its last seq was {@code baseline}. */
  synchronized void member(int socket, int room, long baseline) {
    if (sockets.putIfAbsent(socket, new Socket(socket, room, baseline)) == null) {
      roomMembers.computeIfAbsent(room, r -> new ArrayList<>()).add(socket);
    }
  }

  /** A new message, before it is emitted. */
  synchronized void sent(String clientMsgId, int room, int sender) {
    messages.putIfAbsent(clientMsgId, new Message(room, sender));
  }

  /**
   * The ack of {@code clientMsgId} said it is stored as {@code seq} (a first ack, or the duplicate ack
   * of a re-send). The sender holds it from then on. Returns false when the message already had
   * another seq (idempotency broken) or is unknown.
   */
  synchronized boolean acked(String clientMsgId, long seq) {
    Message m = messages.get(clientMsgId);
    if (m == null || seq < 1) {
      unknownAcks++;
      return false;
    }
    if (m.seq >= 0 && m.seq != seq) {
      seqConflicts++;
      return false;
    }
    Message other = acked.computeIfAbsent(m.room, r -> new TreeMap<>()).putIfAbsent(seq, m);
    if (other != null && other != m) {
      // Two messages stored under one seq: the room's sequence is broken.
      seqConflicts++;
      return false;
    }
    m.seq = seq;
    Socket s = sockets.get(m.sender);
    if (s != null) {
      s.held.set((int) seq);
    }
    return true;
  }

  /**
   * Socket {@code socket} received the stored message {@code seq} of its room (live or recovered).
   * Returns true when it is new to the socket, false when it already held it.
   */
  synchronized boolean received(int socket, long seq) {
    Socket s = sockets.get(socket);
    if (s == null || seq < 1) {
      return false;
    }
    if (s.held.get((int) seq)) {
      if (seq > s.baseline) {
        s.repeats.add(seq);
      }
      return false;
    }
    s.held.set((int) seq);
    return true;
  }

  /**
   * What socket {@code socket} asks for after a reconnect as {@code sinceSeq}: the highest seq it holds
   * with every lower one held too (not the highest seen: a gap below it would never be recovered).
   */
  synchronized long sinceSeq(int socket) {
    Socket s = sockets.get(socket);
    return s == null ? 0 : s.held.nextClearBit(0) - 1L;
  }

  /** The socket did not come back: deliveries due to it are unreachable, not missed. */
  synchronized void lost(int socket) {
    Socket s = sockets.get(socket);
    if (s != null) {
      s.active = false;
    }
  }

  /** Messages sent and not acked (yet). */
  synchronized long unacked() {
    return messages.values().stream().filter(m -> m.seq < 0).count();
  }

  /** Deliveries still missing now, over the sockets in their room. */
  synchronized long missing() {
    return tally(null, null).missed;
  }

  /** The accounting as it stands. */
  synchronized Summary summary() {
    return summary(socket -> "");
  }

  /**
   * The accounting as it stands; {@code note} adds what the scenario knows of a receiver (its last
   * rejoin) to the missed samples, after the receiver's number.
   */
  synchronized Summary summary(IntFunction<String> note) {
    List<String> samples = new ArrayList<>();
    Tally t = tally(samples, note);
    long ackedMessages = messages.values().stream().filter(m -> m.seq >= 0).count();
    long duplicates = 0;
    for (Socket s : sockets.values()) {
      TreeMap<Long, Message> roomAcked = acked.getOrDefault(s.room, new TreeMap<>());
      for (long seq : s.repeats) {
        Message m = roomAcked.get(seq);
        if (m == null || m.sender != s.id) {
          duplicates++;
        }
      }
    }
    long storedUnacked = 0;
    for (Map.Entry<Integer, List<Integer>> room : roomMembers.entrySet()) {
      BitSet seen = new BitSet();
      for (int member : room.getValue()) {
        Socket s = sockets.get(member);
        seen.or(s.held);
        seen.clear(0, (int) s.baseline + 1);
      }
      for (long seq : acked.getOrDefault(room.getKey(), new TreeMap<>()).keySet()) {
        seen.clear((int) seq);
      }
      storedUnacked += seen.cardinality();
    }
    return new Summary(messages.size(), ackedMessages, messages.size() - ackedMessages, t.expected, t.delivered,
        t.missed, duplicates, t.unreachable, storedUnacked, seqConflicts, unknownAcks, List.copyOf(samples));
  }

  private record Tally(long expected, long delivered, long missed, long unreachable) {}

  private Tally tally(List<String> samples, IntFunction<String> note) {
    long expected = 0;
    long delivered = 0;
    long missed = 0;
    long unreachable = 0;
    for (Map.Entry<Integer, List<Integer>> room : roomMembers.entrySet()) {
      TreeMap<Long, Message> roomAcked = acked.get(room.getKey());
      if (roomAcked == null) {
        continue;
      }
      for (int member : room.getValue()) {
        Socket s = sockets.get(member);
        for (Map.Entry<Long, Message> m : roomAcked.tailMap(s.baseline, false).entrySet()) {
          int sender = m.getValue().sender;
          if (sender == member) {
            continue;
          }
          if (!s.active) {
            unreachable++;
            continue;
          }
          expected++;
          if (s.held.get((int) (long) m.getKey())) {
            delivered++;
          } else {
            missed++;
            if (samples != null && samples.size() < SAMPLES) {
              samples.add("room " + room.getKey() + " seq " + m.getKey() + " from socket " + sender
                  + " not at socket " + member + note.apply(member));
            }
          }
        }
      }
    }
    return new Tally(expected, delivered, missed, unreachable);
  }

  /**
   * @param sent distinct messages sent (by clientMsgId; a re-send is the same message)
   * @param acked messages acked with their seq (stored, as their sender knows)
   * @param unacked messages never acked
   * @param expectedDeliveries acked messages times the other members of their room that are in it at the end
   * @param delivered of those, held by the member
   * @param missed of those, not held
   * @param duplicates receipts of another member's message a socket already held
   * @param unreachable deliveries due to members that never rejoined
   * @param storedUnacked seqs some member received that no ack named (stored, the sender never learned it)
   * @param seqConflicts acks that named another seq for a message already acked (idempotency broken), or a
   *     seq already acked for another message (the room's sequence broken)
   * @param unknownAcks acks for no message sent, or without a seq
   * @param missedSamples the first few missed deliveries, for a human to look up
   */
  record Summary(long sent, long acked, long unacked, long expectedDeliveries, long delivered, long missed,
      long duplicates, long unreachable, long storedUnacked, long seqConflicts, long unknownAcks,
      List<String> missedSamples) {

    JsonObject toJson() {
      return new JsonObject().put("sent", sent).put("acked", acked).put("unacked", unacked)
          .put("expectedDeliveries", expectedDeliveries).put("delivered", delivered).put("missed", missed)
          .put("duplicates", duplicates).put("unreachable", unreachable).put("storedUnacked", storedUnacked)
          .put("seqConflicts", seqConflicts).put("unknownAcks", unknownAcks)
          .put("missedSamples", new JsonArray(new ArrayList<>(missedSamples)));
    }
  }
}
