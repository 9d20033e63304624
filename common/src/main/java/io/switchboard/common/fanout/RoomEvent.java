package io.switchboard.common.fanout;

/**
 * One event for the sockets of one room (or of one user's private room {@code user:<id>}, or of every
 * socket when {@code room} is null), on every gateway node. {@code exceptSocketId} skips the sending
 * socket. {@code data} is any JSON value.
 */
public record RoomEvent(String room, String event, Object data, String exceptSocketId) {
  public static RoomEvent toRoom(String room, String event, Object data) {
    return new RoomEvent(room, event, data, null);
  }

  public static RoomEvent toAll(String event, Object data) {
    return new RoomEvent(null, event, data, null);
  }
}
