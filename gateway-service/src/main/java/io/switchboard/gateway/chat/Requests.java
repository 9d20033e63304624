package io.switchboard.gateway.chat;

import io.switchboard.common.chat.ClientRequest;
import io.switchboard.gateway.admission.RateClass;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The client requests of docs/protocol.md section 3, each bound once: its payload record and how the
 * arguments become one, its rate class, and the {@link ChatHandlers} method that answers it. Wire
 * names are {@link ClientRequest}'s; the dispatcher decodes at the edge, so handlers take records.
 */
final class Requests {
  private Requests() {}

  private static final Map<String, Route<?>> BY_WIRE = bind(List.of(
      schema(ClientRequest.CREATE_ROOM, RateClass.JOINS, CreateRoom.class, ChatHandlers::createRoom),
      schema(ClientRequest.JOIN_ROOM, RateClass.JOINS, JoinRoom.class, ChatHandlers::joinRoom),
      schema(ClientRequest.LEAVE_ROOM, RateClass.JOINS, LeaveRoom.class, ChatHandlers::leaveRoom),
      schema(ClientRequest.SEND_MESSAGE, RateClass.MESSAGES, SendMessage::from, ChatHandlers::sendMessage),
      schema(ClientRequest.CREATE_UPLOAD, RateClass.MESSAGES, CreateUpload.class, ChatHandlers::createUpload),
      schema(ClientRequest.EDIT_MESSAGE, RateClass.MESSAGES, EditMessage.class, ChatHandlers::editMessage),
      schema(ClientRequest.DELETE_MESSAGE, RateClass.MESSAGES, DeleteMessage.class, ChatHandlers::deleteMessage),
      schema(ClientRequest.ADD_REACTION, RateClass.MESSAGES, React.class, (chat, c, req) -> chat.react(c, req, true)),
      schema(ClientRequest.REMOVE_REACTION, RateClass.MESSAGES, React.class, (chat, c, req) -> chat.react(c, req, false)),
      schema(ClientRequest.FETCH_HISTORY, RateClass.READS, FetchHistory.class, ChatHandlers::fetchHistory),
      schema(ClientRequest.FETCH_THREAD, RateClass.READS, FetchThread.class, ChatHandlers::fetchThread),
      schema(ClientRequest.MARK_READ, RateClass.READS, MarkRead.class, ChatHandlers::markRead),
      schema(ClientRequest.TYPING, RateClass.TYPING, Typing.class, ChatHandlers::typing),
      schema(ClientRequest.GET_PRESENCE, RateClass.READS, GetPresence.class, ChatHandlers::getPresence),
      schema(ClientRequest.SET_STATUS, RateClass.OTHER, SetStatus.class, ChatHandlers::setStatus),
      schema(ClientRequest.LIST_ROOMS, RateClass.OTHER, ListRooms.class, ChatHandlers::listRooms),
      schema(ClientRequest.SEARCH_ROOMS, RateClass.READS, SearchRooms.class, ChatHandlers::searchRooms),
      schema(ClientRequest.SEARCH_MESSAGES, RateClass.READS, SearchMessages.class, ChatHandlers::searchMessages),
      schema(ClientRequest.LIST_MENTIONS, RateClass.READS, ListMentions.class, ChatHandlers::listMentions),
      schema(ClientRequest.GET_NOTIFICATION_POLICY, RateClass.READS, GetNotificationPolicy.class, ChatHandlers::notificationPolicy),
      schema(ClientRequest.SET_NOTIFICATION_POLICY, RateClass.OTHER, SetNotificationPolicy::from, ChatHandlers::notificationPolicy),
      schema(ClientRequest.GET_PUSH_KEY, RateClass.READS, GetPushKey.class, ChatHandlers::push),
      schema(ClientRequest.REGISTER_PUSH, RateClass.OTHER, RegisterPush::from, ChatHandlers::push),
      schema(ClientRequest.UNREGISTER_PUSH, RateClass.OTHER, UnregisterPush.class, ChatHandlers::push),
      schema(ClientRequest.LIST_MEMBERS, RateClass.READS, ListMembers.class, (chat, c, req) -> chat.membership().listMembers(c, req)),
      schema(ClientRequest.ADD_MEMBERS, RateClass.JOINS, AddMembers.class, (chat, c, req) -> chat.membership().addMembers(c, req)),
      schema(ClientRequest.REMOVE_MEMBER, RateClass.JOINS, RemoveMember.class, (chat, c, req) -> chat.membership().removeMember(c, req)),
      schema(ClientRequest.SET_MEMBER_ROLE, RateClass.JOINS, SetMemberRole.class, (chat, c, req) -> chat.membership().setMemberRole(c, req)),
      schema(ClientRequest.QUIT_ROOM, RateClass.JOINS, QuitRoom.class, (chat, c, req) -> chat.membership().quitRoom(c, req)),
      schema(ClientRequest.BAN_MEMBER, RateClass.JOINS, BanMember.class, (chat, c, req) -> chat.membership().banMember(c, req)),
      schema(ClientRequest.UNBAN_MEMBER, RateClass.JOINS, UnbanMember.class, (chat, c, req) -> chat.membership().unbanMember(c, req)),
      schema(ClientRequest.MUTE_MEMBER, RateClass.JOINS, MuteMember.class, (chat, c, req) -> chat.moderation().muteMember(c, req)),
      schema(ClientRequest.UNMUTE_MEMBER, RateClass.JOINS, UnmuteMember.class,
          (chat, c, req) -> chat.moderation().unmuteMember(c, req)),
      schema(ClientRequest.UPDATE_ROOM, RateClass.JOINS, UpdateRoom.class, (chat, c, req) -> chat.membership().updateRoom(c, req)),
      schema(ClientRequest.ARCHIVE_ROOM, RateClass.JOINS, ArchiveRoom.class, (chat, c, req) -> chat.membership().archiveRoom(c, req)),
      schema(ClientRequest.UNARCHIVE_ROOM, RateClass.JOINS, UnarchiveRoom.class, (chat, c, req) -> chat.membership().unarchiveRoom(c, req)),
      schema(ClientRequest.DELETE_ROOM, RateClass.JOINS, DeleteRoom.class, (chat, c, req) -> chat.membership().deleteRoom(c, req)),
      schema(ClientRequest.CREATE_INVITE, RateClass.JOINS, CreateInvite.class, (chat, c, req) -> chat.membership().createInvite(c, req)),
      schema(ClientRequest.REVOKE_INVITE, RateClass.JOINS, RevokeInvite.class, (chat, c, req) -> chat.membership().revokeInvite(c, req)),
      schema(ClientRequest.ACCEPT_INVITE, RateClass.JOINS, AcceptInvite.class, (chat, c, req) -> chat.membership().acceptInvite(c, req)),
      schema(ClientRequest.BLOCK_USER, RateClass.JOINS, BlockUser.class, (chat, c, req) -> chat.moderation().blockUser(c, req)),
      schema(ClientRequest.UNBLOCK_USER, RateClass.JOINS, UnblockUser.class,
          (chat, c, req) -> chat.moderation().unblockUser(c, req)),
      schema(ClientRequest.LIST_BLOCKS, RateClass.READS, ListBlocks.class, (chat, c, req) -> chat.moderation().listBlocks(c, req)),
      schema(ClientRequest.CALL_START, RateClass.CALLS, CallStart.class, (chat, c, req) -> chat.calls().start(c, req)),
      schema(ClientRequest.CALL_ACCEPT, RateClass.CALLS, CallId.class, (chat, c, req) -> chat.calls().accept(c, req)),
      schema(ClientRequest.CALL_DECLINE, RateClass.CALLS, CallId.class, (chat, c, req) -> chat.calls().decline(c, req)),
      schema(ClientRequest.CALL_SIGNAL, RateClass.CALLS, CallSignal::from, (chat, c, req) -> chat.calls().signal(c, req)),
      schema(ClientRequest.CALL_HANGUP, RateClass.CALLS, CallId.class, (chat, c, req) -> chat.calls().hangup(c, req)),
      new Route<>(ClientRequest.REFRESH_TOKEN, RateClass.OTHER, RefreshToken::from, ChatHandlers::refreshToken)));

  /** Every request's binding by the event name a client sends. */
  static Map<String, Route<?>> byWire() {
    return BY_WIRE;
  }

  /** Answers a decoded request: the ack payload, or a failure coded with a {@code ServiceException}. */
  @FunctionalInterface
  interface Handler<T> {
    Future<JsonObject> answer(ChatHandlers chat, Connection connection, T request);
  }

  /** One request bound: {@code payload} turns the event's arguments into its record. */
  record Route<T>(ClientRequest request, RateClass rate, Function<List<Object>, T> payload, Handler<T> handler) {
    /** Decodes (a {@code VALIDATION_ERROR} is thrown) and answers. */
    Future<JsonObject> answer(ChatHandlers chat, Connection connection, List<Object> args) {
      return handler.answer(chat, connection, payload.apply(args));
    }
  }

  private static <T> Route<T> schema(ClientRequest request, RateClass rate, Class<T> type, Handler<T> handler) {
    return new Route<>(request, rate, RequestDecoder.validated(request.wire(), type), handler);
  }

  private static <T> Route<T> schema(ClientRequest request, RateClass rate, Function<JsonObject, T> mapping,
      Handler<T> handler) {
    return new Route<>(request, rate, RequestDecoder.validated(request.wire(), mapping), handler);
  }

  /**
   * Fails the gateway's start (the dispatcher reads the table when it is made), not a client's
   * request, when a request is bound twice or not at all.
   */
  private static Map<String, Route<?>> bind(List<Route<?>> routes) {
    Map<ClientRequest, Route<?>> bound = new EnumMap<>(ClientRequest.class);
    routes.forEach(route -> {
      if (bound.put(route.request(), route) != null) {
        throw new IllegalStateException(route.request() + " is bound twice");
      }
    });
    Map<String, Route<?>> byWire = new HashMap<>();
    for (ClientRequest request : ClientRequest.values()) {
      if (!bound.containsKey(request)) {
        throw new IllegalStateException(request + " has no handler");
      }
      byWire.put(request.wire(), bound.get(request));
    }
    return Map.copyOf(byWire);
  }

  record JoinRoom(String roomId, Long sinceSeq, String receive) {}

  record LeaveRoom(String roomId) {}

  record SendMessage(String roomId, String clientMsgId, String body, String replyTo, JsonObject meta, List<String> attachments) {
    SendMessage {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /**
     * From a payload its schema has passed (so every field has its type). Mapped by hand for the
     * hottest event: Jackson's tree-to-record mapping costs several times as much, on every message.
     */
    static SendMessage from(JsonObject json) {
      io.vertx.core.json.JsonArray attachments = json.getJsonArray("attachments");
      return new SendMessage(json.getString("roomId"), json.getString("clientMsgId"), json.getString("body"),
          json.getString("replyTo"), json.getJsonObject("meta"),
          attachments == null ? List.of() : attachments.stream().map(String.class::cast).toList());
    }
  }

  record CreateUpload(String roomId, String name, String contentType, long size) {}

  record CreateRoom(String name, String kind, String delivery, List<String> members) {
    CreateRoom {
      members = members == null ? List.of() : List.copyOf(members);
      delivery = delivery == null ? "optimistic" : delivery;
    }
  }

  record EditMessage(String roomId, String id, String body) {}

  record DeleteMessage(String roomId, String id) {}

  /** {@code add-reaction} and {@code remove-reaction}. */
  record React(String roomId, String messageId, String emoji) {}

  record FetchHistory(String roomId, Long beforeSeq, Long afterSeq, Integer limit) {}

  record FetchThread(String roomId, String messageId, Long beforeSeq, Long afterSeq, Integer limit) {}

  record MarkRead(String roomId, long seq) {}

  record Typing(String roomId, boolean isTyping) {}

  record GetPresence(String roomId) {}

  /** {@code status}: "away" or "online" (the schema's enum). */
  record SetStatus(String status) {
    boolean away() {
      return "away".equals(status);
    }
  }

  record ListRooms(Integer limit) {}

  record SearchRooms(String query, String after, Integer limit) {}

  record SearchMessages(String query, String roomId, String after, Integer limit) {}

  record ListMentions(String roomId, String after, Integer limit) {}

  record GetNotificationPolicy(String roomId) {}

  /** A field given as null (a room's level: as the default; the mute: none) differs from one left out (unchanged). */
  record SetNotificationPolicy(String roomId, boolean setLevel, String level, boolean setMute, String mutedUntil) {
    static SetNotificationPolicy from(JsonObject json) {
      return new SetNotificationPolicy(json.getString("roomId"), json.containsKey("level"), json.getString("level"),
          json.containsKey("mutedUntil"), json.getString("mutedUntil"));
    }
  }

  record GetPushKey() {}

  /** A browser's {@code PushSubscription.toJSON()}: the keys nested as the browser gives them. */
  record RegisterPush(String endpoint, String p256dh, String auth) {
    static RegisterPush from(JsonObject json) {
      JsonObject keys = json.getJsonObject("keys");
      return new RegisterPush(json.getString("endpoint"), keys.getString("p256dh"), keys.getString("auth"));
    }
  }

  record UnregisterPush(String endpoint) {}

  record ListMembers(String roomId) {}

  record QuitRoom(String roomId) {}

  record BanMember(String roomId, String userId) {}

  record UnbanMember(String roomId, String userId) {}

  record MuteMember(String roomId, String userId, long durationSeconds) {}

  record UnmuteMember(String roomId, String userId) {}

  record BlockUser(String userId) {}

  record UnblockUser(String userId) {}

  record ListBlocks() {}

  record UpdateRoom(String roomId, String name, String topic, Integer slowMode, Integer retentionDays) {}

  record ArchiveRoom(String roomId) {}

  record UnarchiveRoom(String roomId) {}

  record DeleteRoom(String roomId) {}

  record CreateInvite(String roomId, Long expiresInSeconds, Integer maxUses) {}

  record RevokeInvite(String roomId, String token) {}

  record AcceptInvite(String token) {}

  record AddMembers(String roomId, List<String> userIds) {
    AddMembers {
      userIds = userIds == null ? List.of() : List.copyOf(userIds);
    }
  }

  record RemoveMember(String roomId, String userId) {}

  record CallStart(String roomId, List<String> media) {
    CallStart {
      media = media == null ? List.of() : List.copyOf(media);
    }
  }

  /** {@code call-accept}, {@code call-decline}, {@code call-hangup}. */
  record CallId(String callId) {}

  record CallSignal(String callId, String toSocketId, String type, JsonObject payload) {
    static CallSignal from(JsonObject json) {
      return new CallSignal(json.getString("callId"), json.getString("toSocketId"), json.getString("type"),
          json.getJsonObject("payload"));
    }
  }

  record SetMemberRole(String roomId, String userId, String role) {}

  /**
   * {@code token}: whatever the client sent there. No schema: the verifier judges it, and anything
   * but a valid token of the same user is {@code AUTH_FAILED}, {@code TOKEN_EXPIRED} or {@code FORBIDDEN}.
   */
  record RefreshToken(Object token) {
    static RefreshToken from(List<Object> args) {
      Object payload = args.isEmpty() ? null : args.get(0);
      return new RefreshToken(payload instanceof JsonObject json ? json.getValue("token") : null);
    }
  }
}
