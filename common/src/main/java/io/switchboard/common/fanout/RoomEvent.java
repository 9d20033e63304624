package io.switchboard.common.fanout;

import java.util.List;

/**
 * One event for the sockets of one room (or of one user's private room {@code user:<tenant>:<id>}, or
 * of every socket when {@code room} is null), on every gateway node. {@code exceptSocketId} skips the
 * sending socket. {@code data} is any JSON value. {@code sentAt} (epoch ms) is when it was published,
 * for the delivery-latency histogram. {@code moreRooms} widens the target to further rooms; a socket
 * in several of the rooms receives the event once.
 */
public record RoomEvent(String room, String event, Object data, String exceptSocketId, long sentAt, List<String> moreRooms) {

  public RoomEvent {
    moreRooms = moreRooms == null ? List.of() : List.copyOf(moreRooms);
  }

  public RoomEvent(String room, String event, Object data, String exceptSocketId, long sentAt) {
    this(room, event, data, exceptSocketId, sentAt, List.of());
  }

  public RoomEvent(String room, String event, Object data, String exceptSocketId) {
    this(room, event, data, exceptSocketId, System.currentTimeMillis());
  }

  public static RoomEvent toRoom(String room, String event, Object data) {
    return new RoomEvent(room, event, data, null);
  }

  /** To the sockets of any of these rooms (at least one), once each. */
  public static RoomEvent toRooms(List<String> rooms, String event, Object data) {
    return new RoomEvent(rooms.get(0), event, data, null, System.currentTimeMillis(), rooms.subList(1, rooms.size()));
  }

  public static RoomEvent toAll(String event, Object data) {
    return new RoomEvent(null, event, data, null);
  }
}
