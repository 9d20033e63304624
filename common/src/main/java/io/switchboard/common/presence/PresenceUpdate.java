package io.switchboard.common.presence;

/**
 * One change a gateway node reports: a connection opened or closed, joined or left a room, or its
 * client said it is away or active again ({@code set-status}). {@code roomId} is null but for
 * joins and leaves; {@code at} is epoch milliseconds on the
 * gateway's clock. Updates travel in a {@link PresenceBatch}.
 */
public record PresenceUpdate(Kind kind, String connectionId, String tenant, String userId, String roomId, long at) {
  public enum Kind { CONNECTED, DISCONNECTED, JOINED, LEFT, AWAY, ACTIVE }
}
