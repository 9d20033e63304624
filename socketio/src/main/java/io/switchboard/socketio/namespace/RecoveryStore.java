package io.switchboard.socketio.namespace;

import io.switchboard.socketio.parser.EncodedPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection state recovery for one namespace (Socket.IO 4.6+ semantics, in memory, this node only).
 *
 * <p>Every event emitted without an ack gets an offset: a per-namespace sequence number, sent in
 * base 36 as the packet's last argument. The packets stay in a log for the recovery window (and at
 * most {@code logLimit} of them). A socket that drops for a recoverable reason is held for the window
 * with its id, rooms and data; when the client reconnects with its pid and last offset, every logged
 * packet after that offset that targeted one of its rooms is sent again, in order. If the log no
 * longer reaches back to that offset the client is not recovered (it connects as a new socket): a
 * recovered client never misses a packet silently, though it may see one twice when two threads
 * emitted concurrently.
 */
final class RecoveryStore {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryStore.class);

  record Entry(long seq, long at, Set<String> rooms, Set<String> except, Supplier<EncodedPacket> packet) {}

  /** A packet encoded on first use, once, from whichever thread asks first. */
  static final class Deferred implements Supplier<EncodedPacket> {
    private Supplier<EncodedPacket> encoder;
    private EncodedPacket packet;

    Deferred(Supplier<EncodedPacket> encoder) {
      this.encoder = encoder;
    }

    @Override
    public synchronized EncodedPacket get() {
      if (packet == null) {
        packet = encoder.get();
        encoder = null;
      }
      return packet;
    }
  }

  record Held(String pid, String socketId, Set<String> rooms, Map<String, Object> data, long connectSeq, long disconnectedAt) {}

  record Restored(Held held, List<EncodedPacket> missed) {}

  private final long windowMs;
  private final int logLimit;
  private final AtomicLong seq = new AtomicLong();
  private final ConcurrentLinkedDeque<Entry> log = new ConcurrentLinkedDeque<>();
  private final AtomicInteger logSize = new AtomicInteger();
  private final AtomicLong prunedThrough = new AtomicLong();
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  RecoveryStore(long windowMs, int logLimit) {
    this.windowMs = windowMs;
    this.logLimit = logLimit;
  }

  long nextSeq() {
    return seq.incrementAndGet();
  }

  long currentSeq() {
    return seq.get();
  }

  static String offset(long seq) {
    return Long.toString(seq, 36);
  }

  void append(long seq, Set<String> rooms, Set<String> except, Supplier<EncodedPacket> packet) {
    long now = System.currentTimeMillis();
    log.add(new Entry(seq, now, rooms, except, packet));
    logSize.incrementAndGet();
    prune(now);
  }

  void hold(Held session) {
    held.put(session.pid(), session);
  }

  /** Takes the held session of this pid if it can be fully recovered from {@code offset}, else null. */
  Restored restore(String pid, String offset) {
    Held session = held.remove(pid);
    long now = System.currentTimeMillis();
    if (session == null || session.disconnectedAt() + windowMs < now) {
      return null;
    }
    long from;
    if (offset == null) {
      from = session.connectSeq();
    } else {
      try {
        from = Long.parseLong(offset, 36);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (prunedThrough.get() > from) {
      return null;
    }
    List<EncodedPacket> missed = new ArrayList<>();
    for (Entry e : log) {
      if (e.seq() > from && matches(e, session.rooms())) {
        try {
          missed.add(e.packet().get());
        } catch (IllegalArgumentException unencodable) {
          // Only a deferred packet fails here (an eager one failed its emit): its data has no JSON form.
          LOG.warn("sio.recovery_unencodable seq={}", e.seq(), unencodable);
        }
      }
    }
    return new Restored(session, missed);
  }

  private static boolean matches(Entry e, Set<String> rooms) {
    boolean targeted = e.rooms().isEmpty() || RoomIndex.inAny(rooms, e.rooms());
    return targeted && !RoomIndex.inAny(rooms, e.except());
  }

  /** Drops logged packets older than the window or beyond the limit; run on every append. */
  void prune(long now) {
    Entry head;
    while ((head = log.peekFirst()) != null && (head.at() + windowMs < now || logSize.get() > logLimit)) {
      if (log.remove(head)) {
        logSize.decrementAndGet();
        prunedThrough.accumulateAndGet(head.seq(), Math::max);
      }
    }
  }

  /** Periodic sweep: also forgets held sessions whose window is over. */
  void sweep(long now) {
    prune(now);
    held.values().removeIf(h -> h.disconnectedAt() + windowMs < now);
  }

  int heldCount() {
    return held.size();
  }
}
