package io.switchboard.socketio.namespace;

import io.switchboard.socketio.parser.EncodedPacket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection state recovery for one namespace (Socket.IO 4.6+ semantics, in memory, this node only).
 *
 * <p>Every event emitted without an ack to a socket that asked for recovery (it has a pid) gets an
 * offset: a per-namespace sequence number, sent in base 36 as the packet's last argument; sockets
 * that did not ask get the event without it, and are not held. The packets stay in a {@link RecoveryLog} for the recovery
 * window (at most {@code logLimit} of them, in {@code logBytes}). A socket that drops for a
 * recoverable reason is held for the window with its id, rooms and data; when the client reconnects
 * with its pid and last offset, every logged packet after that offset that targeted one of its rooms
 * is sent again, in order. If the log no longer reaches back to that offset the client is not
 * recovered (it connects as a new socket): a recovered client never misses a packet silently,
 * though it may see one twice when two threads emitted concurrently.
 */
final class RecoveryStore {

  /** A disconnected socket kept for recovery; {@code owner} is who may take it back (null: anyone). */
  record Held(String pid, String socketId, Set<String> rooms, Map<String, Object> data, Object owner, long connectSeq,
      long disconnectedAt) {}

  record Restored(Held held, List<EncodedPacket> missed) {}

  private final long windowMs;
  private final AtomicLong seq = new AtomicLong();
  private final RecoveryLog log;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  RecoveryStore(long windowMs, int logLimit, int logBytes) {
    this.windowMs = windowMs;
    this.log = new RecoveryLog(windowMs, logLimit, logBytes);
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

  void append(long seq, Set<String> rooms, Set<String> except, EncodedPacket packet) {
    log.append(seq, System.currentTimeMillis(), rooms, except, packet);
  }

  void hold(Held session) {
    held.put(session.pid(), session);
  }

  /**
   * The held sessions in room {@code in} leave {@code room}: recovered, they do not rejoin it, and the
   * packets logged for it (only for it) are not theirs to replay.
   */
  void leave(String in, String room) {
    held.replaceAll((pid, h) -> h.rooms().contains(in) && h.rooms().contains(room)
        ? new Held(h.pid(), h.socketId(), without(h.rooms(), room), h.data(), h.owner(), h.connectSeq(), h.disconnectedAt())
        : h);
  }

  private static Set<String> without(Set<String> rooms, String room) {
    Set<String> rest = new java.util.HashSet<>(rooms);
    rest.remove(room);
    return Set.copyOf(rest);
  }

  /** Whether a disconnected socket is held for recovery now. */
  boolean holdsSessions() {
    return !held.isEmpty();
  }

  /** The socket id of the session held for this pid, or null. */
  String heldSocketId(String pid) {
    Held session = held.get(pid);
    return session == null ? null : session.socketId();
  }

  /**
   * Takes the held session of this pid if it can be fully recovered from {@code offset}, else null.
   * With {@code ownerRequired}, only a claimant whose {@code owner} equals the session's takes it;
   * anyone else leaves it in place for its owner.
   */
  Restored restore(String pid, String offset, Object owner, boolean ownerRequired) {
    Held session = held.get(pid);
    long now = System.currentTimeMillis();
    if (session == null || (ownerRequired && (owner == null || !owner.equals(session.owner())))
        || !held.remove(pid, session) || session.disconnectedAt() + windowMs < now) {
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
    List<EncodedPacket> missed = log.since(from, session.rooms());
    return missed == null ? null : new Restored(session, missed);
  }

  /** Periodic sweep: drops logged packets older than the window, forgets held sessions whose window is over. */
  void sweep(long now) {
    log.prune(now);
    held.values().removeIf(h -> h.disconnectedAt() + windowMs < now);
  }

  int heldCount() {
    return held.size();
  }
}
