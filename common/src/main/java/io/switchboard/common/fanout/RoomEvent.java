package io.switchboard.common.fanout;

/**
 * One event for the sockets of one room (or of one user's private room {@code user:<tenant>:<id>}, or
 * of every socket when {@code room} is null), on every gateway node. {@code exceptSocketId} skips the
 * sending socket. {@code data} is any JSON value. {@code sentAt} (epoch ms) is when it was published,
 * for the delivery-latency histogram.
 */
public record RoomEvent(String room, String event, Object data, String exceptSocketId, long sentAt) {

  public RoomEvent(String room, String event, Object data, String exceptSocketId) {
    this(room, event, data, exceptSocketId, System.currentTimeMillis());
  }

  public static RoomEvent toRoom(String room, String event, Object data) {
    return new RoomEvent(room, event, data, null);
  }

  public static RoomEvent toAll(String event, Object data) {
    return new RoomEvent(null, event, data, null);
  }
}
