package io.switchboard.gateway.presence;

import io.switchboard.common.chat.Sender;
import io.switchboard.common.presence.PresenceBatch.LiveConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * This node's connections and their rooms as reported to presence: the source of a sync. Updated
 * from every event loop, each connection only from its own; always updated <em>before</em> the
 * matching update is queued, so a snapshot never misses what the queue has already dropped.
 */
final class LiveConnections {
  /** Rooms: immutable, replaced by its connection's loop, read by a snapshot from any thread. */
  private static final class Live {
    final Sender user;
    final long since;
    volatile Set<String> rooms = Set.of();
    /** Since when its client says it is away (epoch ms), 0 while active. */
    volatile long awaySince;

    Live(Sender user, long since) {
      this.user = user;
      this.since = since;
    }
  }

  private final Map<String, Live> byId = new ConcurrentHashMap<>();

  void connected(String id, Sender user, long at) {
    byId.put(id, new Live(user, at));
  }

  void disconnected(String id) {
    byId.remove(id);
  }

  void joined(String id, String roomId) {
    Live live = byId.get(id);
    if (live != null && !live.rooms.contains(roomId)) { // one writer: the connection's own loop
      String[] rooms = live.rooms.toArray(new String[live.rooms.size() + 1]);
      rooms[rooms.length - 1] = roomId;
      live.rooms = Set.of(rooms);
    }
  }

  void left(String id, String roomId) {
    Live live = byId.get(id);
    if (live != null && live.rooms.contains(roomId)) {
      live.rooms = live.rooms.stream().filter(r -> !r.equals(roomId)).collect(Collectors.toUnmodifiableSet());
    }
  }

  void away(String id, boolean away, long at) {
    Live live = byId.get(id);
    if (live != null && away != (live.awaySince != 0)) {
      live.awaySince = away ? at : 0;
    }
  }

  List<LiveConnection> snapshot() {
    List<LiveConnection> out = new ArrayList<>(byId.size());
    byId.forEach((id, live) -> out.add(new LiveConnection(id, live.user.tenant(), live.user.userId(), live.since,
        List.copyOf(live.rooms), live.awaySince)));
    return out;
  }
}
