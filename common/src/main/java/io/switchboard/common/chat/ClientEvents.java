package io.switchboard.common.chat;

/** Names of the server-to-client events of PROTOCOL.md section 4, for every service that emits them. */
public final class ClientEvents {
  private ClientEvents() {}

  public static final String MESSAGE_CREATED = "room-message-created";
  public static final String MESSAGE_CONFIRMED = "room-message-confirmed";
  public static final String MESSAGE_FAILED = "room-message-failed";
  public static final String MESSAGE_UPDATED = "room-message-updated";
  public static final String MESSAGE_DELETED = "room-message-deleted";
  public static final String USER_TYPING = "user-typing";
  public static final String READ_RECEIPT = "read-receipt";
  public static final String USER_STATUS_CHANGED = "user-status-changed";

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
}
