package io.switchboard.common.presence;

/**
 * One change a gateway node reports: a connection opened or closed, or a connection joined or left
 * a room. {@code roomId} is null for connection events; {@code at} is epoch milliseconds on the
 * gateway's clock. Updates travel in a {@link PresenceBatch}.
 */
public record PresenceUpdate(Kind kind, String connectionId, String tenant, String userId, String roomId, long at) {
  public enum Kind { CONNECTED, DISCONNECTED, JOINED, LEFT }
}
