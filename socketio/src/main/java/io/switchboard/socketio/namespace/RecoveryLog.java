package io.switchboard.socketio.namespace;

import io.switchboard.socketio.parser.EncodedPacket;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The packets a namespace keeps for connection state recovery, oldest first, in a fixed number of
 * bytes: their targets and frames packed into one array allocated once and used as a ring, with
 * the bookkeeping in parallel primitive arrays. The oldest packets make room for new ones.
 *
 * <p>Why bytes: the log must hold a bounded amount of memory whatever clients send. Bounded by count
 * alone, 10,000 packets of a client that fills each message up to the frame limit (1 MB) would be
 * gigabytes, and every socket of the gateway would pay for one client. A packet larger than the
 * whole ring is not logged; like a dropped one, no client is recovered across it.
 *
 * <p>Thread-safe: emits come from every event loop.
 */
final class RecoveryLog {
  private static final byte TEXT = 0;
  private static final byte BINARY = 1;

  private final byte[] data;
  private final long[] seqs;
  private final long[] ats;
  private final int[] starts;
  private final int[] lengths;
  private int head;
  private int size;
  /** Byte position after the newest entry. */
  private int end;
  /** The highest seq dropped from the log (or never in it): a client that missed it cannot be recovered. */
  private long prunedThrough;

  RecoveryLog(int maxEntries, int maxBytes) {
    if (maxEntries < 1 || maxBytes < 64) {
      throw new IllegalArgumentException("recovery log too small: " + maxEntries + " entries, " + maxBytes + " bytes");
    }
    data = new byte[maxBytes];
    seqs = new long[maxEntries];
    ats = new long[maxEntries];
    starts = new int[maxEntries];
    lengths = new int[maxEntries];
  }

  void append(long seq, long now, Set<String> rooms, Set<String> except, EncodedPacket packet) {
    byte[] record = encode(rooms, except, packet);
    synchronized (this) {
      if (record == null) {
        prunedThrough = Math.max(prunedThrough, seq);
        return;
      }
      if (size == seqs.length) {
        dropOldest();
      }
      int at = reserve(record.length);
      System.arraycopy(record, 0, data, at, record.length);
      int i = (head + size) % seqs.length;
      seqs[i] = seq;
      ats[i] = now;
      starts[i] = at;
      lengths[i] = record.length;
      end = at + record.length;
      size++;
    }
  }

  /** Where a record of {@code length} bytes can go, dropping the oldest entries until it fits. */
  private int reserve(int length) {
    while (size > 0) {
      int first = starts[head];
      if (end > first) {
        // Not wrapped: the entries fill [first, end).
        if (data.length - end >= length) {
          return end;
        }
        if (first >= length) {
          return 0;
        }
      } else if (first - end >= length) {
        // Wrapped: [end, first) is free.
        return end;
      }
      dropOldest();
    }
    return 0;
  }

  private void dropOldest() {
    prunedThrough = Math.max(prunedThrough, seqs[head]);
    head = (head + 1) % seqs.length;
    size--;
    if (size == 0) {
      end = 0;
    }
  }

  /** Drops the entries logged more than {@code windowMs} before {@code now}. */
  synchronized void prune(long now, long windowMs) {
    while (size > 0 && ats[head] + windowMs < now) {
      dropOldest();
    }
  }

  /**
   * The packets logged after seq {@code from} that target a socket in {@code rooms}, in order; null
   * when the log no longer reaches back to {@code from}.
   */
  synchronized List<EncodedPacket> since(long from, Set<String> rooms) {
    if (prunedThrough > from) {
      return null;
    }
    List<EncodedPacket> missed = new ArrayList<>();
    for (int n = 0; n < size; n++) {
      int i = (head + n) % seqs.length;
      if (seqs[i] <= from) {
        continue;
      }
      ByteBuffer record = ByteBuffer.wrap(data, starts[i], lengths[i]);
      Set<String> targets = readSet(record);
      Set<String> except = readSet(record);
      if ((targets.isEmpty() || RoomIndex.inAny(rooms, targets)) && !RoomIndex.inAny(rooms, except)) {
        missed.add(readPacket(record));
      }
    }
    return missed;
  }

  synchronized int size() {
    return size;
  }

  // A record: rooms and except (each a count, then length-prefixed UTF-8 names), then the frames
  // (a count, then each as a kind byte and length-prefixed bytes).

  /** The record, or null when it would not fit in the ring. */
  private byte[] encode(Set<String> rooms, Set<String> except, EncodedPacket packet) {
    List<byte[]> parts = new ArrayList<>(rooms.size() + except.size() + packet.frames().size());
    long length = 4 + 4 + 4;
    for (Set<String> set : List.of(rooms, except)) {
      for (String name : set) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        parts.add(bytes);
        length += 4 + bytes.length;
      }
    }
    for (Object frame : packet.frames()) {
      byte[] bytes = frame instanceof Buffer buffer ? buffer.getBytes() : ((String) frame).getBytes(StandardCharsets.UTF_8);
      parts.add(bytes);
      length += 1 + 4 + bytes.length;
    }
    if (length > data.length) {
      return null;
    }
    ByteBuffer out = ByteBuffer.allocate((int) length);
    int p = 0;
    for (Set<String> set : List.of(rooms, except)) {
      out.putInt(set.size());
      for (int n = 0; n < set.size(); n++) {
        byte[] bytes = parts.get(p++);
        out.putInt(bytes.length).put(bytes);
      }
    }
    out.putInt(packet.frames().size());
    for (Object frame : packet.frames()) {
      byte[] bytes = parts.get(p++);
      out.put(frame instanceof Buffer ? BINARY : TEXT).putInt(bytes.length).put(bytes);
    }
    return out.array();
  }

  private static Set<String> readSet(ByteBuffer record) {
    int count = record.getInt();
    if (count == 0) {
      return Set.of();
    }
    Set<String> set = new HashSet<>(count * 2);
    for (int n = 0; n < count; n++) {
      set.add(new String(readBytes(record), StandardCharsets.UTF_8));
    }
    return set;
  }

  private static EncodedPacket readPacket(ByteBuffer record) {
    int count = record.getInt();
    List<Object> frames = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      byte kind = record.get();
      byte[] bytes = readBytes(record);
      frames.add(kind == BINARY ? Buffer.buffer(bytes) : new String(bytes, StandardCharsets.UTF_8));
    }
    return new EncodedPacket(List.copyOf(frames));
  }

  private static byte[] readBytes(ByteBuffer record) {
    byte[] bytes = new byte[record.getInt()];
    record.get(bytes);
    return bytes;
  }
}
