package io.switchboard.socketio.namespace;

import io.switchboard.socketio.parser.EncodedPacket;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The packets a namespace keeps for connection state recovery, oldest first, within a time window,
 * a number of packets and a number of bytes; the oldest make room for new ones.
 *
 * <p>Why a byte budget: bounded by count alone, 10,000 packets of a client that fills each message
 * up to the frame limit (1 MB) would be gigabytes, and every socket of the gateway would pay for one
 * client. A packet's size is counted as two bytes per character (the most a Java string holds) plus
 * its attachments and targets, so the budget is an upper bound of what the log holds. A packet
 * larger than the whole budget is not logged; like a dropped one, no client is recovered across it.
 *
 * <p>Thread-safe: emits come from every event loop. A recovering socket's entries are picked under
 * the lock and matched after it.
 */
final class RecoveryLog {
  private record Entry(long seq, long at, Set<String> rooms, Set<String> except, EncodedPacket packet, long bytes) {}

  private final long windowMs;
  private final int maxEntries;
  private final long maxBytes;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long bytes;
  /** The highest seq dropped from the log (or never in it): a client that missed it cannot be recovered. */
  private long prunedThrough;

  /** Keeps packets for {@code windowMs}, at most {@code maxEntries} of them in {@code maxBytes}. */
  RecoveryLog(long windowMs, int maxEntries, long maxBytes) {
    this.windowMs = windowMs;
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  synchronized void append(long seq, long now, Set<String> rooms, Set<String> except, EncodedPacket packet) {
    prune(now);
    long size = sizeOf(rooms, except, packet);
    if (size > maxBytes) {
      prunedThrough = Math.max(prunedThrough, seq);
      return;
    }
    while (entries.size() >= maxEntries || bytes + size > maxBytes) {
      dropOldest();
    }
    entries.addLast(new Entry(seq, now, rooms, except, packet, size));
    bytes += size;
  }

  /** Drops the entries logged more than the window before {@code now}. */
  synchronized void prune(long now) {
    while (!entries.isEmpty() && entries.peekFirst().at() + windowMs < now) {
      dropOldest();
    }
  }

  private void dropOldest() {
    Entry oldest = entries.removeFirst();
    bytes -= oldest.bytes();
    prunedThrough = Math.max(prunedThrough, oldest.seq());
  }

  /**
   * The packets logged after seq {@code from} that target a socket in {@code rooms}, in order; null
   * when the log no longer reaches back to {@code from}.
   */
  List<EncodedPacket> since(long from, Set<String> rooms) {
    List<Entry> after = new ArrayList<>();
    synchronized (this) {
      if (prunedThrough > from) {
        return null;
      }
      for (Entry e : entries) {
        if (e.seq() > from) {
          after.add(e);
        }
      }
    }
    List<EncodedPacket> missed = new ArrayList<>();
    for (Entry e : after) {
      if ((e.rooms().isEmpty() || RoomIndex.inAny(rooms, e.rooms())) && !RoomIndex.inAny(rooms, e.except())) {
        missed.add(e.packet());
      }
    }
    return missed;
  }

  synchronized int size() {
    return entries.size();
  }

  private static long sizeOf(Set<String> rooms, Set<String> except, EncodedPacket packet) {
    long size = 64 + sizeOf(rooms) + sizeOf(except);
    for (Object frame : packet.frames()) {
      size += 16 + (frame instanceof Buffer buffer ? buffer.length() : 2L * ((String) frame).length());
    }
    return size;
  }

  private static long sizeOf(Set<String> names) {
    long size = 0;
    for (String name : names) {
      size += 40 + 2L * name.length();
    }
    return size;
  }
}
