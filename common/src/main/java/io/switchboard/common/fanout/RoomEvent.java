package io.switchboard.common.fanout;

import java.util.List;

/**
 * One event for the sockets of one room (or of one user's private room {@code user:<tenant>:<id>}, or
 * of every socket when {@code room} is null), on every gateway node. {@code exceptSocketId} skips the
 * sending socket. {@code data} is any JSON value; received from another cluster member, it is that
 * value's JSON text as a Jackson {@code RawValue} ({@link RoomEventCodec}). {@code sentAt} (epoch ms)
 * is when it was published, for the delivery-latency histogram. {@code moreRooms} widens the target
 * to further rooms; a socket in several of the rooms receives the event once.
 *
 * <p>{@code seq} is the room's message seq for the events that make a message durable in the room
 * (its {@code room-message-confirmed}, or its {@code room-message-created} with {@code optimistic:
 * false}); 0 for every other event. Several message-service instances publish these events, so
 * they may arrive out of order; the receiving gateway node puts them back in seq order per room.
 * Absent from the JSON of an older sender, it reads as 0: not sequenced.
 *
 * <p>{@code exceptRoom}, when set, skips the sockets of that room too: the sockets of a chat room
 * that receive its messages durable only ({@link io.switchboard.common.chat.ClientEvents#durableRoom})
 * get neither its optimistic copies nor their confirmations. Absent from an older sender: none.
 *
 * <p>{@code from}, when set, is the private room ({@link io.switchboard.common.chat.ClientEvents#userRoom})
 * of the user whose message the event carries or concerns (its optimistic copy, confirmation, stored
 * copy, failure, edit, deletion, their typing): a gateway hides it from the sockets of users who
 * block them (docs/protocol.md, "Blocks"). Absent from an older sender: none, shown to all.
 */
public record RoomEvent(String room, String event, Object data, String exceptSocketId, long sentAt, List<String> moreRooms,
    long seq, String exceptRoom, String from) {

  /**
   * Not a client event, never emitted to a socket: each gateway node makes its sockets that are in
   * any of the private rooms named by {@code data} (a JSON array) leave {@code room}. message-service
   * publishes it right after the {@code room-member-removed} it follows, with the same seq, so each
   * node acts on it in the room's order, after the removed member's sockets got that event.
   */
  public static final String SOCKETS_LEAVE = "$sockets-leave";

  public RoomEvent {
    moreRooms = moreRooms == null ? List.of() : List.copyOf(moreRooms);
  }

  public RoomEvent(String room, String event, Object data, String exceptSocketId, long sentAt, List<String> moreRooms,
      long seq, String exceptRoom) {
    this(room, event, data, exceptSocketId, sentAt, moreRooms, seq, exceptRoom, null);
  }

  public RoomEvent(String room, String event, Object data, String exceptSocketId, long sentAt, List<String> moreRooms) {
    this(room, event, data, exceptSocketId, sentAt, moreRooms, 0, null);
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

  /** The {@link #SOCKETS_LEAVE} order for the sockets of {@code userRooms} in {@code room}, at {@code seq}. */
  public static RoomEvent socketsLeave(String room, List<String> userRooms, long seq) {
    return new RoomEvent(room, SOCKETS_LEAVE, new io.vertx.core.json.JsonArray(List.copyOf(userRooms)), null).withSeq(seq);
  }

  /** The same event, carrying the room seq of the message it makes durable. */
  public RoomEvent withSeq(long seq) {
    return new RoomEvent(room, event, data, exceptSocketId, sentAt, moreRooms, seq, exceptRoom, from);
  }

  /** The same event, not for the sockets of {@code room}. */
  public RoomEvent except(String room) {
    return new RoomEvent(this.room, event, data, exceptSocketId, sentAt, moreRooms, seq, room, from);
  }

  /** The same event, carrying a message of (or about) the user whose private room is {@code userRoom}. */
  public RoomEvent from(String userRoom) {
    return new RoomEvent(room, event, data, exceptSocketId, sentAt, moreRooms, seq, exceptRoom, userRoom);
  }

  /** Whether the event has a place in its room's seq order. */
  public boolean sequenced() {
    return seq > 0 && room != null && moreRooms.isEmpty();
  }
}
