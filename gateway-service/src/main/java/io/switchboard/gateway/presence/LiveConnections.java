package io.switchboard.gateway.presence;

import io.switchboard.common.chat.Sender;
import io.switchboard.common.presence.PresenceBatch.LiveConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's connections and their rooms as reported to presence: the source of a sync. Updated
 * from every event loop, each connection only from its own; always updated <em>before</em> the
 * matching update is queued, so a snapshot never misses what the queue has already dropped.
 */
final class LiveConnections {
  private record Live(Sender user, long since, Set<String> rooms) {}

  private final Map<String, Live> byId = new ConcurrentHashMap<>();

  void connected(String id, Sender user, long at) {
    byId.put(id, new Live(user, at, ConcurrentHashMap.newKeySet()));
  }

  void disconnected(String id) {
    byId.remove(id);
  }

  void joined(String id, String roomId) {
    Live live = byId.get(id);
    if (live != null) {
      live.rooms().add(roomId);
    }
  }

  void left(String id, String roomId) {
    Live live = byId.get(id);
    if (live != null) {
      live.rooms().remove(roomId);
    }
  }

  List<LiveConnection> snapshot() {
    List<LiveConnection> out = new ArrayList<>(byId.size());
    byId.forEach((id, live) -> out.add(new LiveConnection(id, live.user().tenant(), live.user().userId(), live.since(),
        List.copyOf(live.rooms()))));
    return out;
  }
}
