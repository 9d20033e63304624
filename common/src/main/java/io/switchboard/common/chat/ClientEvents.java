package io.switchboard.common.chat;

/**
 * Names of the server-to-client events (docs/protocol.md sections 3 and 4), for every service that
 * emits them; a test holds the documented events to this list.
 */
public final class ClientEvents {
  private ClientEvents() {}

  public static final String MESSAGE_CREATED = "room-message-created";
  public static final String MESSAGE_CONFIRMED = "room-message-confirmed";
  public static final String MESSAGE_FAILED = "room-message-failed";
  public static final String MESSAGE_UPDATED = "room-message-updated";
  public static final String MESSAGE_DELETED = "room-message-deleted";
  public static final String USER_TYPING = "user-typing";
  public static final String READ_RECEIPT = "read-receipt";
  /** A reaction was added to or removed from a message (to the room). */
  public static final String MESSAGE_REACTION = "message-reaction";
  /** A reply was stored in a message's thread (to the room). */
  public static final String THREAD_UPDATED = "thread-updated";
  /** A room was created: {@code {room}}, to the private room of each of its members (the creator's too). */
  public static final String ROOM_CREATED = "room-created";
  /** Users were added to a room (to the room and to each added user's private room). */
  public static final String MEMBER_ADDED = "room-member-added";
  /** A member was removed or left (to the room and to that user's private room). */
  public static final String MEMBER_REMOVED = "room-member-removed";
  /** The room's name or topic changed (to the room). */
  public static final String ROOM_UPDATED = "room-updated";
  /** The room was archived: read-only from then on (to the room). */
  public static final String ROOM_ARCHIVED = "room-archived";
  /** The room takes messages again (to the room). */
  public static final String ROOM_UNARCHIVED = "room-unarchived";
  /** A user was banned: removed if a member, kept out until unbanned (to the room, and to them if they were a member). */
  public static final String MEMBER_BANNED = "room-member-banned";
  /** A user may join or be added again (to the room). */
  public static final String MEMBER_UNBANNED = "room-member-unbanned";
  /** A member may send nothing in the room until {@code mutedUntil} (to the room and to them). */
  public static final String MEMBER_MUTED = "room-member-muted";
  /** A member's mute was lifted before its end (to the room and to them). */
  public static final String MEMBER_UNMUTED = "room-member-unmuted";
  /** The room was deleted with its messages (to the room and its former members' private rooms). */
  public static final String ROOM_DELETED = "room-deleted";
  /** Members' roles changed (to the room). */
  public static final String MEMBER_ROLE_CHANGED = "room-member-role-changed";
  public static final String USER_STATUS_CHANGED = "user-status-changed";
  /** Whom a user blocks now, after a change of theirs (to their private room). */
  public static final String USER_BLOCKS_CHANGED = "user-blocks-changed";
  /** An upload through the gateway's local store is under way: to the uploader's private room. */
  public static final String UPLOAD_PROGRESS = "upload-progress";
  /** A call rings a callee's devices (to their private room). */
  public static final String CALL_RING = "call-ring";
  /** A callee's device answered a call (to the private rooms of everyone in the call). */
  public static final String CALL_ACCEPTED = "call-accepted";
  /** A callee declined, was busy or did not answer in time (to the private rooms of everyone in the call). */
  public static final String CALL_DECLINED = "call-declined";
  /** An offer, answer or ICE candidate of a party, relayed to one socket of the call. */
  public static final String CALL_SIGNAL = "call-signal";
  /** A party left a call that goes on (to the private rooms of everyone in the call). */
  public static final String CALL_LEFT = "call-left";
  /** A call ended (to the private rooms of everyone in the call). */
  public static final String CALL_ENDED = "call-ended";
  /** A request without an ack failed validation: {@code {event, errors}}. */
  public static final String VALIDATION_ERROR = "validation-error";
  /** A request without an ack was rate limited: {@code {event, retryAfterMs}}. */
  public static final String RATE_LIMITED = "rate-limited";
  /** A request without an ack failed otherwise: {@code {event, code, message}}. */
  public static final String ERROR = "error";
  /** The session's token expired without a refresh; the server disconnects next: {@code {code, message}}. */
  public static final String TOKEN_EXPIRED = "token-expired";

  /** Every event name above, for the docs test. */
  public static final java.util.List<String> ALL = java.util.List.of(MESSAGE_CREATED, MESSAGE_CONFIRMED, MESSAGE_FAILED,
      MESSAGE_UPDATED, MESSAGE_DELETED, USER_TYPING, READ_RECEIPT, MESSAGE_REACTION, THREAD_UPDATED, ROOM_CREATED, MEMBER_ADDED, MEMBER_REMOVED, MEMBER_ROLE_CHANGED, MEMBER_BANNED, MEMBER_UNBANNED,
      MEMBER_MUTED, MEMBER_UNMUTED, ROOM_UPDATED, ROOM_ARCHIVED, ROOM_UNARCHIVED, ROOM_DELETED, USER_STATUS_CHANGED, USER_BLOCKS_CHANGED, UPLOAD_PROGRESS,
      CALL_RING, CALL_ACCEPTED, CALL_DECLINED, CALL_SIGNAL, CALL_LEFT, CALL_ENDED, VALIDATION_ERROR, RATE_LIMITED,
      ERROR, TOKEN_EXPIRED);

  /**
   * The socket room of a user's private room {@code user:<id>} (PROTOCOL.md section 2). User ids are
   * only unique within a tenant, so the tenant is part of the name.
   */
  public static String userRoom(String tenant, String userId) {
    return "user:" + tenant + ":" + userId;
  }

  /** The socket room of a chat room. Room ids are assigned by the server and unique across tenants. */
  public static String chatRoom(String roomId) {
    return "room:" + roomId;
  }

  /**
   * The socket room of the sockets of a chat room that receive its messages durable only
   * (docs/protocol.md, "Receiving"): they are in {@link #chatRoom} too, and skipped by its optimistic
   * copies, confirmations and failures.
   */
  public static String durableRoom(String roomId) {
    return "durable:" + roomId;
  }
}
