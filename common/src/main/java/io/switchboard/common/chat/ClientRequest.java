package io.switchboard.common.chat;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The client-to-server requests of docs/protocol.md section 3, by wire name: the one list of them.
 * The gateway binds each to its payload record, rate class and handler; a test holds the documented
 * table to this list. Any other event is answered {@code UNKNOWN_EVENT}.
 */
public enum ClientRequest {
  CREATE_ROOM("create-room"),
  JOIN_ROOM("join-room"),
  LEAVE_ROOM("leave-room"),
  SEND_MESSAGE("send-message"),
  CREATE_UPLOAD("create-upload"),
  EDIT_MESSAGE("edit-message"),
  DELETE_MESSAGE("delete-message"),
  ADD_REACTION("add-reaction"),
  REMOVE_REACTION("remove-reaction"),
  FETCH_HISTORY("fetch-history"),
  FETCH_THREAD("fetch-thread"),
  MARK_READ("mark-read"),
  TYPING("typing"),
  GET_PRESENCE("get-presence"),
  SET_STATUS("set-status"),
  LIST_ROOMS("list-rooms"),
  SEARCH_ROOMS("search-rooms"),
  SEARCH_MESSAGES("search-messages"),
  LIST_MENTIONS("list-mentions"),
  GET_NOTIFICATION_POLICY("get-notification-policy"),
  SET_NOTIFICATION_POLICY("set-notification-policy"),
  GET_PUSH_KEY("get-push-key"),
  REGISTER_PUSH("register-push"),
  UNREGISTER_PUSH("unregister-push"),
  LIST_MEMBERS("list-members"),
  ADD_MEMBERS("add-members"),
  REMOVE_MEMBER("remove-member"),
  SET_MEMBER_ROLE("set-member-role"),
  QUIT_ROOM("quit-room"),
  BAN_MEMBER("ban-member"),
  UNBAN_MEMBER("unban-member"),
  MUTE_MEMBER("mute-member"),
  UNMUTE_MEMBER("unmute-member"),
  UPDATE_ROOM("update-room"),
  ARCHIVE_ROOM("archive-room"),
  UNARCHIVE_ROOM("unarchive-room"),
  DELETE_ROOM("delete-room"),
  CREATE_INVITE("create-invite"),
  REVOKE_INVITE("revoke-invite"),
  ACCEPT_INVITE("accept-invite"),
  BLOCK_USER("block-user"),
  UNBLOCK_USER("unblock-user"),
  LIST_BLOCKS("list-blocks"),
  CALL_START("call-start"),
  CALL_ACCEPT("call-accept"),
  CALL_DECLINE("call-decline"),
  CALL_SIGNAL("call-signal"),
  CALL_HANGUP("call-hangup"),
  REFRESH_TOKEN("refresh-token");

  private static final Map<String, ClientRequest> BY_WIRE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ClientRequest::wire, Function.identity()));

  private final String wire;

  ClientRequest(String wire) {
    this.wire = wire;
  }

  /** The event name a client emits. */
  public String wire() {
    return wire;
  }

  /** The request a client names with {@code event}, or null for an event the server does not know. */
  public static ClientRequest fromWire(String event) {
    return event == null ? null : BY_WIRE.get(event);
  }
}
