package io.switchboard.common.presence;

import java.util.List;

/** The distinct users with at least one connection in a room, cluster-wide. */
public record RoomPresence(String roomId, List<String> online) {
  public RoomPresence {
    online = List.copyOf(online);
  }
}
