package io.switchboard.socketio.namespace;

import io.switchboard.socketio.parser.EncodedPacket;
import io.switchboard.socketio.parser.TextBytes;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The packets a namespace keeps for connection state recovery, oldest first, within a time window,
 * a number of packets and a number of bytes; the oldest make room for new ones.
 *
 * <p>Why bytes: bounded by count alone, 10,000 packets of a client that fills each message up to the
 * frame limit (1 MB) would be gigabytes, and every socket of the gateway would pay for one client.
 * A packet larger than the whole budget is not logged; like a dropped one, no client is recovered
 * across it.
 *
 * <p>Why packed: at a busy node the log is thousands of packets that each live a few seconds, just
 * long enough to survive a young collection or two. Kept as objects (an entry, its room sets, the
 * packet, its frames and strings), every young pause copied all of them, a large share of a busy
 * gateway's pause. Packed into one byte array, with the
 * bookkeeping in parallel primitive arrays, they cost the collector nothing. The arrays grow as the
 * log fills, up to the budget, and are let go when the window empties the log.
 *
 * <p>Thread-safe: emits come from every event loop.
 */
final class RecoveryLog {
  private static final int INITIAL_ENTRIES = 64;
  private static final int INITIAL_BYTES = 64 * 1024;
  private static final byte[] NO_BYTES = new byte[0];
  private static final long[] NO_LONGS = new long[0];
  private static final int[] NO_INTS = new int[0];

  private final long windowMs;
  private final int maxEntries;
  private final int maxBytes;
  /** The records, a ring: each is contiguous, [start, start + length). */
  private byte[] data = NO_BYTES;
  /** Per entry, a ring from {@code head}: its seq, when it was logged, where its record is. */
  private long[] seqs = NO_LONGS;
  private long[] ats = NO_LONGS;
  private int[] starts = NO_INTS;
  private int[] lengths = NO_INTS;
  private int head;
  private int size;
  /** Byte position after the newest record. */
  private int end;
  /** The highest seq dropped from the log (or never in it): a client that missed it cannot be recovered. */
  private long prunedThrough;

  /** Keeps packets for {@code windowMs}, at most {@code maxEntries} of them in {@code maxBytes}. */
  RecoveryLog(long windowMs, int maxEntries, int maxBytes) {
    if (maxEntries < 1 || maxBytes < 64) {
      throw new IllegalArgumentException("recovery log too small: " + maxEntries + " entries, " + maxBytes + " bytes");
    }
    this.windowMs = windowMs;
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  void append(long seq, long now, Set<String> rooms, Set<String> except, EncodedPacket packet) {
    // Encoded before taking the lock, written into the ring under it.
    byte[][] targets = utf8(rooms);
    byte[][] excepted = utf8(except);
    byte[][] frames = new byte[packet.frames().size()][];
    for (int f = 0; f < frames.length; f++) {
      frames[f] = f == 0 ? TextBytes.utf8(packet.text()) : ((Buffer) packet.frames().get(f)).getBytes();
    }
    long length = 4 + partsLength(targets) + 4 + partsLength(excepted) + 4 + partsLength(frames);
    synchronized (this) {
      prune(now);
      if (length > maxBytes) {
        prunedThrough = Math.max(prunedThrough, seq);
        return;
      }
      if (size == maxEntries) {
        dropOldest();
      } else if (size == seqs.length) {
        growEntries();
      }
      int bytes = (int) length;
      int at = reserve(bytes);
      ByteBuffer record = ByteBuffer.wrap(data, at, bytes);
      put(record, targets);
      put(record, excepted);
      put(record, frames);
      int i = (head + size) % seqs.length;
      seqs[i] = seq;
      ats[i] = now;
      starts[i] = at;
      lengths[i] = bytes;
      end = at + bytes;
      size++;
    }
  }

  /**
   * Where a record of {@code length} bytes can go: after the newest record or, wrapping, before the
   * oldest; else in a larger ring while the budget allows; else the oldest records make room.
   */
  private int reserve(int length) {
    while (size > 0) {
      int first = starts[head];
      if (end > first) {
        // Not wrapped: the records fill [first, end).
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
      if (data.length < maxBytes) {
        int used = end > first ? end - first : data.length - (first - end);
        growData((long) used + length);
      } else {
        dropOldest();
      }
    }
    if (data.length < length) {
      data = new byte[(int) Math.min(maxBytes, Math.max(INITIAL_BYTES, 2L * length))];
    }
    return 0;
  }

  /** A larger ring holding at least {@code needed} bytes, the records moved to its start in order. */
  private void growData(long needed) {
    long capacity = Math.max(INITIAL_BYTES, 2L * data.length);
    while (capacity < needed) {
      capacity *= 2;
    }
    byte[] grown = new byte[(int) Math.min(maxBytes, capacity)];
    int at = 0;
    for (int n = 0; n < size; n++) {
      int i = (head + n) % seqs.length;
      System.arraycopy(data, starts[i], grown, at, lengths[i]);
      starts[i] = at;
      at += lengths[i];
    }
    data = grown;
    end = at;
  }

  private void growEntries() {
    int capacity = (int) Math.min(maxEntries, Math.max(INITIAL_ENTRIES, 2L * seqs.length));
    long[] newSeqs = new long[capacity];
    long[] newAts = new long[capacity];
    int[] newStarts = new int[capacity];
    int[] newLengths = new int[capacity];
    for (int n = 0; n < size; n++) {
      int i = (head + n) % seqs.length;
      newSeqs[n] = seqs[i];
      newAts[n] = ats[i];
      newStarts[n] = starts[i];
      newLengths[n] = lengths[i];
    }
    seqs = newSeqs;
    ats = newAts;
    starts = newStarts;
    lengths = newLengths;
    head = 0;
  }

  private void dropOldest() {
    prunedThrough = Math.max(prunedThrough, seqs[head]);
    head = (head + 1) % seqs.length;
    size--;
    if (size == 0) {
      end = 0;
    }
  }

  /** Drops the entries logged more than the window before {@code now}; an emptied log lets its arrays go. */
  synchronized void prune(long now) {
    if (size == 0) {
      return;
    }
    while (size > 0 && ats[head] + windowMs < now) {
      dropOldest();
    }
    if (size == 0) {
      data = NO_BYTES;
      seqs = NO_LONGS;
      ats = NO_LONGS;
      starts = NO_INTS;
      lengths = NO_INTS;
      head = 0;
    }
  }

  /**
   * The packets logged after seq {@code from} that target a socket in {@code rooms}, in order; null
   * when the log no longer reaches back to {@code from}. Room names are compared as bytes, so a scan
   * decodes only what it returns.
   */
  List<EncodedPacket> since(long from, Set<String> rooms) {
    byte[][] names = utf8(rooms);
    List<EncodedPacket> missed = new ArrayList<>();
    synchronized (this) {
      if (prunedThrough > from) {
        return null;
      }
      for (int n = 0; n < size; n++) {
        int i = (head + n) % seqs.length;
        if (seqs[i] <= from) {
          continue;
        }
        ByteBuffer record = ByteBuffer.wrap(data, starts[i], lengths[i]);
        int targets = record.getInt();
        boolean targeted = targets == 0 || anyIn(record, targets, names);
        boolean excepted = anyIn(record, record.getInt(), names);
        if (targeted && !excepted) {
          missed.add(readPacket(record));
        }
      }
    }
    return missed;
  }

  synchronized int size() {
    return size;
  }

  /** Bytes of the arrays the log holds now, for tests. */
  synchronized long footprint() {
    return data.length + 8L * (seqs.length + ats.length) + 4L * (starts.length + lengths.length);
  }

  // A record: the target rooms, the except rooms and the frames, each a count and then length-prefixed
  // bytes (names as UTF-8; the first frame is the packet's text, the others its binary attachments).

  private static byte[][] utf8(Set<String> names) {
    byte[][] bytes = new byte[names.size()][];
    int k = 0;
    for (String name : names) {
      bytes[k++] = name.getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  private static long partsLength(byte[][] parts) {
    long length = 0;
    for (byte[] part : parts) {
      length += 4 + part.length;
    }
    return length;
  }

  private static void put(ByteBuffer record, byte[][] parts) {
    record.putInt(parts.length);
    for (byte[] part : parts) {
      record.putInt(part.length).put(part);
    }
  }

  /** Reads {@code count} names; whether any of them is one of {@code names}. */
  private static boolean anyIn(ByteBuffer record, int count, byte[][] names) {
    boolean found = false;
    for (int n = 0; n < count; n++) {
      int length = record.getInt();
      int at = record.position();
      for (int k = 0; k < names.length && !found; k++) {
        found = Arrays.equals(record.array(), at, at + length, names[k], 0, names[k].length);
      }
      record.position(at + length);
    }
    return found;
  }

  private static EncodedPacket readPacket(ByteBuffer record) {
    int count = record.getInt();
    List<Object> frames = new ArrayList<>(count);
    for (int f = 0; f < count; f++) {
      byte[] bytes = new byte[record.getInt()];
      record.get(bytes);
      frames.add(f == 0 ? new String(bytes, StandardCharsets.UTF_8) : Buffer.buffer(bytes));
    }
    return new EncodedPacket(List.copyOf(frames));
  }
}
