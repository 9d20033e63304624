package io.switchboard.common.presence;

/**
 * A change a gateway reports: a connection opened or closed, or a connection joined or left a room.
 * {@code roomId} is null for connection events. {@code at} is epoch milliseconds.
 */
public record PresenceUpdate(
    Kind kind, String nodeId, String connectionId, String tenant, String userId, String roomId, long at) {
  public enum Kind { CONNECTED, DISCONNECTED, JOINED, LEFT }
}
