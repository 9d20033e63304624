package io.switchboard.common.presence;

import java.util.List;
import java.util.Map;

/**
 * The distinct users with at least one connection in a room, cluster-wide ({@code online}), and those
 * of them whose every connection is away, with since when (epoch ms).
 */
public record RoomPresence(String roomId, List<String> online, Map<String, Long> away) {
  public RoomPresence {
    online = List.copyOf(online);
    away = away == null ? Map.of() : Map.copyOf(away);
  }
}
