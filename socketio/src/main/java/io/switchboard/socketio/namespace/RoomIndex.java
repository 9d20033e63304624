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
 */
final class RoomIndex {
  private final Map<String, Set<SocketImpl>> rooms = new ConcurrentHashMap<>();

  void add(String room, SocketImpl socket) {
    rooms.compute(room, (r, set) -> {
      Set<SocketImpl> s = set != null ? set : ConcurrentHashMap.newKeySet(4);
      s.add(socket);
      return s;
    });
  }

  void remove(String room, SocketImpl socket) {
    rooms.computeIfPresent(room, (r, set) -> {
      set.remove(socket);
      return set.isEmpty() ? null : set;
    });
  }

  Set<String> names() {
    return Set.copyOf(rooms.keySet());
  }

  int size(String room) {
    Set<SocketImpl> set = rooms.get(room);
    return set == null ? 0 : set.size();
  }

  /** Sockets in any of {@code targetRooms} (all of {@code everyone} when empty), minus those in any of {@code except}. */
  Collection<SocketImpl> resolve(Set<String> targetRooms, Set<String> except, Collection<SocketImpl> everyone) {
    Collection<SocketImpl> candidates;
    if (targetRooms.isEmpty()) {
      candidates = everyone;
    } else if (targetRooms.size() == 1) {
      Set<SocketImpl> set = rooms.get(targetRooms.iterator().next());
      candidates = set == null ? List.of() : set;
    } else {
      Set<SocketImpl> union = Collections.newSetFromMap(new IdentityHashMap<>());
      for (String room : targetRooms) {
        Set<SocketImpl> set = rooms.get(room);
        if (set != null) {
          union.addAll(set);
        }
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
