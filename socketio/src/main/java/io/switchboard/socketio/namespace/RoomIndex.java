package io.switchboard.socketio.namespace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Room membership of one namespace on this node: room name to sockets. Thread-safe; joins and leaves
 * are atomic per room, so an emptied room disappears without losing a concurrent join.
 *
 * <p>A room's value is the socket itself while it is the only member, a concurrent set once there are
 * more. Every socket is alone in the room of its own id (and, in the gateway, of its user): a set
 * for each of those was about 170 bytes per room.
 */
final class RoomIndex {
  private final Map<String, Object> rooms = new ConcurrentHashMap<>();

  void add(String room, SocketImpl socket) {
    rooms.compute(room, (r, current) -> {
      if (current == null || current == socket) {
        return socket;
      }
      Set<SocketImpl> set = current instanceof SocketImpl only ? newSet(only) : members(current);
      set.add(socket);
      return set;
    });
  }

  void remove(String room, SocketImpl socket) {
    rooms.computeIfPresent(room, (r, current) -> {
      if (current instanceof SocketImpl only) {
        return only == socket ? null : only;
      }
      Set<SocketImpl> set = members(current);
      set.remove(socket);
      return set.isEmpty() ? null : set;
    });
  }

  private static Set<SocketImpl> newSet(SocketImpl first) {
    Set<SocketImpl> set = ConcurrentHashMap.newKeySet(4);
    set.add(first);
    return set;
  }

  @SuppressWarnings("unchecked")
  private static Set<SocketImpl> members(Object value) {
    return (Set<SocketImpl>) value;
  }

  /** The sockets of a room value: none, the only one, or the set. */
  private static Collection<SocketImpl> sockets(Object value) {
    return value == null ? List.of() : value instanceof SocketImpl only ? List.of(only) : members(value);
  }

  Set<String> names() {
    return Set.copyOf(rooms.keySet());
  }

  int size(String room) {
    return sockets(rooms.get(room)).size();
  }

  /** Sockets in any of {@code targetRooms} (all of {@code everyone} when empty), minus those in any of {@code except}. */
  Collection<SocketImpl> resolve(Set<String> targetRooms, Set<String> except, Collection<SocketImpl> everyone) {
    Collection<SocketImpl> candidates;
    if (targetRooms.isEmpty()) {
      candidates = everyone;
    } else if (targetRooms.size() == 1) {
      candidates = sockets(rooms.get(targetRooms.iterator().next()));
    } else {
      Set<SocketImpl> union = Collections.newSetFromMap(new IdentityHashMap<>());
      for (String room : targetRooms) {
        union.addAll(sockets(rooms.get(room)));
      }
      candidates = union;
    }
    List<SocketImpl> result = new ArrayList<>(candidates.size());
    for (SocketImpl socket : candidates) {
      if (!inAny(socket.roomSet(), except)) {
        result.add(socket);
      }
    }
    return result;
  }

  static boolean inAny(Set<String> socketRooms, Set<String> rooms) {
    for (String room : rooms) {
      if (socketRooms.contains(room)) {
        return true;
      }
    }
    return false;
  }
}
