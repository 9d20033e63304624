package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.Json;
import io.switchboard.common.chat.Attachment;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.UploadRequest;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.MentionListRequest;
import io.switchboard.common.chat.NotificationPolicyRequest;
import io.switchboard.common.chat.PushSubscriptionRequest;
import io.switchboard.common.chat.NotificationPolicyState;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.Reaction;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.MessageRules;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.moderation.BlockLists;
import io.switchboard.gateway.moderation.RoomModeration;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.gateway.presence.PresenceReporter;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The answers to the client requests of docs/protocol.md section 3, one method per request, each
 * taking the connection and the request's record, decoded and validated at the edge (see
 * {@link Requests}), and returning the ack payload; failures are {@link ServiceException}s, answered
 * by the dispatcher. What becomes durable is announced to the room by message-service; the gateway
 * itself only sends what needs no storage (optimistic copies, typing).
 */
public final class ChatHandlers {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatHandlers.class);
  private static final int DEFAULT_HISTORY_PAGE = 50;
  private static final int DEFAULT_ROOM_LIST = 200;

  private final ChatServices services;
  private final ModerationHandlers moderationHandlers;
  private final MembershipHandlers membershipHandlers;
  private final CallHandlers callHandlers;
  private final RoomModeration moderation;
  private final BlockLists blocks;
  private final Fanout fanout;
  private final PresenceReporter presence;
  private final TokenVerifier tokens;
  private final GatewayMetrics metrics;
  private final Limits limits;

  /** What the handlers bound beyond the schemas, from the configuration. */
  public record Limits(int maxBodyChars, int maxMetaBytes, int recoveryMaxMessages, int maxRoomsPerSocket) {}

  /** {@code requestTimeoutMs}: how long a request waits for message-service before {@code UNAVAILABLE}. */
  public ChatHandlers(EventBus bus, long requestTimeoutMs, Fanout fanout, PresenceReporter presence,
      TokenVerifier tokens, GatewayMetrics metrics, Limits limits, RoomModeration moderation, BlockLists blocks,
      io.switchboard.gateway.calls.Calls calls) {
    this.services = new ChatServices(bus, requestTimeoutMs);
    this.callHandlers = new CallHandlers(services, calls);
    this.moderationHandlers = new ModerationHandlers(services);
    this.membershipHandlers = new MembershipHandlers(services, moderation);
    this.moderation = moderation;
    this.blocks = blocks;
    this.fanout = fanout;
    this.presence = presence;
    this.tokens = tokens;
    this.metrics = metrics;
    this.limits = limits;
  }

  /** The moderation requests (mute, ...). */
  ModerationHandlers moderation() {
    return moderationHandlers;
  }

  /** The call requests. */
  CallHandlers calls() {
    return callHandlers;
  }

  /** The requests that change a room's members and settings, and its invitations. */
  MembershipHandlers membership() {
    return membershipHandlers;
  }

  /**
   * Authorizes the join (and makes the user a member of a public room), puts the socket in the room,
   * and only then, with {@code sinceSeq}, reads what it missed. A message that becomes durable while
   * the join is under way is thus in {@code missed}, or delivered live, or both (clients recognise it
   * by id), never neither: reading first and joining after lost the confirmations that arrived in
   * between (found by ScaleOutIT when clients rejoined after their gateway died).
   */
  Future<JsonObject> joinRoom(Connection c, Requests.JoinRoom req) {
    // The socket's own id and its user's private room are rooms too.
    if (!c.inRoom(req.roomId()) && c.socket().rooms().size() - 2 >= limits.maxRoomsPerSocket()) {
      throw Replies.invalid("roomId",
          "a socket may be in at most " + limits.maxRoomsPerSocket() + " rooms; leave one first");
    }
    Future<RoomPresence> online = presence.onlineNow(c.user().tenant(), req.roomId());
    return services.join(new JoinRequest(c.user(), req.roomId(), null, limits.recoveryMaxMessages()))
        .compose(result -> {
          c.joined(req.roomId(), result.delivery());
          // Known before the socket is in the room: its next send is refused here if it would be there.
          moderation.muted(req.roomId(), c.user().userId(), result.mutedUntil());
          // Whom the user blocks, before the socket gets anything of the room.
          blocks.joined(c.socket(), c.userRoom(), c.user().tenant(), result.blocked());
          // Every member's socket keeps the room's names for as long as it stays: interned, the
          // members of a room share one copy of each (once a room exists, which the join checked)
          // where each request made its own.
          String roomId = req.roomId().intern();
          c.socket().join(ClientEvents.chatRoom(roomId).intern());
          String durableRoom = ClientEvents.durableRoom(roomId);
          boolean durable = Receive.of(req.receive(), c.receive()) == Receive.DURABLE;
          if (durable) {
            c.socket().join(durableRoom.intern());
          } else {
            c.socket().leave(durableRoom);
          }
          presence.joined(c.id(), c.user(), roomId);
          metrics.joined();
          Future<HistoryPage> missed = req.sinceSeq() == null
              ? Future.succeededFuture(new HistoryPage(List.of(), false))
              : services.history(new HistoryRequest(c.user(), req.roomId(), null, req.sinceSeq(),
                  limits.recoveryMaxMessages()));
          return missed.map(page -> {
            long lastSeq = page.messages().isEmpty() ? result.lastSeq()
                : Math.max(result.lastSeq(), page.messages().get(page.messages().size() - 1).seq());
            // This node now has a member in the room: it orders the room's confirmations from here.
            fanout.joined(ClientEvents.chatRoom(req.roomId()), lastSeq);
            if (durable) {
              fanout.joined(durableRoom, lastSeq);
            }
            JsonObject ack = Replies.ok().put("roomId", result.roomId()).put("lastSeq", lastSeq)
                .put("unread", result.unread()).put("unreadMentions", result.unreadMentions()).put("members", result.members())
                .put("missed", messages(page.messages())).put("truncated", page.hasMore());
            if (result.slowMode() > 0) {
              ack.put("slowMode", result.slowMode());
            }
            if (result.expiredSeq() > 0) {
              ack.put("expiredSeq", result.expiredSeq());
            }
            return result.mutedUntil() == null ? ack : ack.put("mutedUntil", result.mutedUntil());
          });
        })
        .compose(ack -> PresenceReporter.withOnlineCount(ack, c.user(), online));
  }

  Future<JsonObject> leaveRoom(Connection c, Requests.LeaveRoom req) {
    if (c.inRoom(req.roomId())) {
      c.socket().leave(ClientEvents.chatRoom(req.roomId()));
      c.socket().leave(ClientEvents.durableRoom(req.roomId()));
      presence.left(c.id(), c.user(), req.roomId());
    }
    return Future.succeededFuture(Replies.ok());
  }

  /**
   * In an optimistic room the others see {@code room-message-created} at once; the sender's ack comes
   * when the message is durable, and message-service then announces the confirmation (or, in a
   * persist-first room, the message itself). When message-service cannot be reached at all, the
   * gateway announces the failure. A send this node knows message-service would refuse (a muted
   * member's, one too early in slow mode) is refused here, before anyone sees a copy;
   * message-service decides the rest.
   */
  Future<JsonObject> sendMessage(Connection c, Requests.SendMessage req) {
    long start = System.nanoTime();
    String body = validBody(req.body());
    requireSmallMeta(req.meta());
    requireJoined(c, req.roomId());
    ServiceException moderated = moderation.refusal(req.roomId(), c.user().userId());
    if (moderated != null) {
      throw moderated;
    }
    metrics.messageReceived();
    if (c.delivery(req.roomId()) == Delivery.OPTIMISTIC) {
      JsonObject optimistic = new JsonObject()
          .put("tempId", req.clientMsgId()).put("roomId", req.roomId())
          .put("senderId", c.user().userId()).put("senderName", c.user().name())
          .put("body", body).put("replyTo", req.replyTo()).put("meta", req.meta())
          .put("createdAt", Instant.now().toString()).put("optimistic", true);
      if (!req.attachments().isEmpty()) {
        // By id only: the confirmation brings their descriptors (docs/protocol.md, "Attachments").
        JsonArray ids = new JsonArray();
        req.attachments().forEach(id -> ids.add(new JsonObject().put("id", id)));
        optimistic.put("attachments", ids);
      }
      fanout.publish(new RoomEvent(ClientEvents.chatRoom(req.roomId()), ClientEvents.MESSAGE_CREATED,
          Envelope.insert(optimistic, Envelope.Source.GATEWAY), c.id()).except(ClientEvents.durableRoom(req.roomId()))
          .from(c.userRoom()));
    }
    String correlationId = c.id() + "/" + req.clientMsgId();
    LOG.atDebug().setMessage("message.received").addKeyValue("correlationId", correlationId)
        .addKeyValue("connectionId", c.id()).addKeyValue("roomId", req.roomId()).log();
    PersistRequest persist = new PersistRequest(c.user(), req.roomId(), req.clientMsgId(), body, req.replyTo(),
        req.meta(), c.id(), correlationId, req.attachments().stream().map(Attachment::ref).toList());
    return services.persist(persist)
        .onFailure(failure -> {
          moderation.refused(req.roomId(), c.user().userId(), failure);
          if (!answeredByService(failure)) {
            fanout.publish(new RoomEvent(ClientEvents.chatRoom(req.roomId()), ClientEvents.MESSAGE_FAILED, new JsonObject()
                .put("roomId", req.roomId()).put("tempId", req.clientMsgId())
                .put("code", ServiceException.codeOf(failure).name()), c.id()).except(ClientEvents.durableRoom(req.roomId()))
                .from(c.userRoom()));
          }
        })
        .recover(failure -> Future.failedFuture(persistFailure(failure)))
        .onFailure(failure -> {
          metrics.messageFailed(ServiceException.codeOf(failure));
          LOG.atInfo().setMessage("message.failed").addKeyValue("correlationId", correlationId)
              .addKeyValue("code", ServiceException.codeOf(failure)).log();
        })
        .onSuccess(result -> {
          metrics.messageAcked(start);
          if (!result.duplicate()) {
            moderation.sent(req.roomId(), c.user().userId(), result.message().createdAt(), result.slowMode());
          }
        })
        .map(result -> {
          JsonObject ack = Replies.ok().put("id", result.message().id()).put("seq", result.message().seq())
              .put("createdAt", result.message().createdAt());
          return result.duplicate() ? ack.put("duplicate", true) : ack;
        });
  }

  /**
   * {@code create-upload}: message-service checks the room, size and type and says where the bytes
   * go (docs/protocol.md, "Attachments"); the gateway only relays.
   */
  Future<JsonObject> createUpload(Connection c, Requests.CreateUpload req) {
    return services.createUpload(new UploadRequest(c.user(), req.roomId(), req.name(), req.contentType(), req.size()))
        .map(ticket -> Replies.ok().put("attachment", Json.toJson(ticket.attachment())).put("upload", new JsonObject()
            .put("url", ticket.url()).put("method", ticket.method()).put("headers", new JsonObject(new java.util.HashMap<>(ticket.headers())))
            .put("expiresAt", ticket.expiresAt())));
  }

  /** A send that message-service could not answer is, for the sender, a message not made durable. */
  private static Throwable persistFailure(Throwable failure) {
    ErrorCode code = ServiceException.codeOf(failure);
    return code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL
        ? ServiceException.of(ErrorCode.PERSIST_FAILED, "the message could not be made durable; send it again")
        : failure;
  }

  private static boolean answeredByService(Throwable failure) {
    return failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE;
  }

  Future<JsonObject> editMessage(Connection c, Requests.EditMessage req) {
    String body = validBody(req.body());
    return services.edit(new MessageEdit(c.user(), req.roomId(), req.id(), body, c.id()))
        .map(change -> Replies.ok().put("message", Json.toJson(change.after())));
  }

  Future<JsonObject> deleteMessage(Connection c, Requests.DeleteMessage req) {
    return services.delete(new MessageDelete(c.user(), req.roomId(), req.id(), c.id())).map(change -> Replies.ok());
  }

  Future<JsonObject> react(Connection c, Requests.React req, boolean add) {
    String problem = Reaction.emojiProblem(req.emoji());
    if (problem != null) {
      throw Replies.invalid("emoji", problem.substring(problem.indexOf(':') + 2));
    }
    return services.react(new ReactionChange(c.user(), req.roomId(), req.messageId(), req.emoji(), add, c.id()))
        .map(result -> Replies.ok().put("changed", result.changed()).put("reactions", Json.toJsonArray(result.reactions()))
            .put("version", result.version()));
  }

  Future<JsonObject> fetchHistory(Connection c, Requests.FetchHistory req) {
    if (req.beforeSeq() != null && req.afterSeq() != null && req.beforeSeq() <= req.afterSeq()) {
      throw Replies.invalid("beforeSeq", "must be greater than afterSeq");
    }
    int limit = req.limit() == null ? DEFAULT_HISTORY_PAGE : req.limit();
    return services.history(new HistoryRequest(c.user(), req.roomId(), req.beforeSeq(), req.afterSeq(), limit))
        .map(page -> Replies.ok().put("messages", messages(page.messages())).put("hasMore", page.hasMore()));
  }

  Future<JsonObject> fetchThread(Connection c, Requests.FetchThread req) {
    if (req.beforeSeq() != null && req.afterSeq() != null && req.beforeSeq() <= req.afterSeq()) {
      throw Replies.invalid("beforeSeq", "must be greater than afterSeq");
    }
    int limit = req.limit() == null ? DEFAULT_HISTORY_PAGE : req.limit();
    return services.thread(new ThreadRequest(c.user(), req.roomId(), req.messageId(), req.beforeSeq(), req.afterSeq(), limit))
        .map(page -> Replies.ok().put("root", Json.toJson(page.root())).put("messages", messages(page.messages()))
            .put("hasMore", page.hasMore()));
  }

  Future<JsonObject> markRead(Connection c, Requests.MarkRead req) {
    return services.markRead(new MarkRead(c.user(), req.roomId(), req.seq()))
        .map(state -> Replies.ok().put("unread", state.unread()).put("lastReadSeq", state.lastReadSeq()));
  }

  Future<JsonObject> createRoom(Connection c, Requests.CreateRoom req) {
    List<String> others = req.members().stream().filter(m -> !m.equals(c.user().userId())).toList();
    if (RoomKind.DIRECT.wire().equals(req.kind()) && others.size() != 1) {
      throw Replies.invalid("members", "a direct room has exactly one other member");
    }
    return services.createRoom(new CreateRoomRequest(c.user(), req.name(), req.kind(), req.delivery(), others))
        .map(room -> Replies.ok().put("room", Json.toJson(room)));
  }

  /** {@code list-rooms {limit?}}: the user's rooms with unread counts, then the tenant's public rooms. */
  Future<JsonObject> listRooms(Connection c, Requests.ListRooms req) {
    int limit = req.limit() == null ? DEFAULT_ROOM_LIST : req.limit();
    return services.rooms(new RoomListRequest(c.user(), limit))
        .map(list -> Replies.ok().put("rooms", new JsonArray(list.rooms().stream().map(Json::toJson).toList())));
  }

  /**
   * {@code search-rooms {query?, after?, limit?}}: a page of the tenant's public rooms by name
   * ({@link RoomSearchRequest#of}: the cursor {@code after}).
   */
  Future<JsonObject> searchMessages(Connection c, Requests.SearchMessages req) {
    String problem = MessageSearchRequest.queryProblem(req.query());
    if (problem != null) {
      throw Replies.invalid("query", problem.substring(problem.indexOf(':') + 2));
    }
    MessageSearchRequest request;
    try {
      request = MessageSearchRequest.of(c.user(), req.query(), req.roomId(), req.after(), req.limit());
    } catch (IllegalArgumentException notACursor) {
      throw Replies.invalid("after", notACursor.getMessage());
    }
    return services.searchMessages(request).map(page -> {
      JsonArray results = new JsonArray();
      page.hits().forEach(hit -> results.add(new JsonObject().put("message", Json.toJson(hit.message())).put("rank", hit.rank())));
      JsonObject ack = Replies.ok().put("results", results);
      return page.next() == null ? ack : ack.put("next", page.next());
    });
  }

  /** {@code get-notification-policy {roomId?}}: the user's default, or a room's, as stored and as it applies. */
  Future<JsonObject> notificationPolicy(Connection c, Requests.GetNotificationPolicy req) {
    return policyAck(services.notificationPolicy(NotificationPolicyRequest.get(c.user(), req.roomId())));
  }

  /** {@code set-notification-policy {roomId?, level?, mutedUntil?}}: changes the fields given; answers as the get. */
  Future<JsonObject> notificationPolicy(Connection c, Requests.SetNotificationPolicy req) {
    return policyAck(services.notificationPolicy(new NotificationPolicyRequest(c.user(), req.roomId(), true, req.setLevel(),
        req.level(), req.setMute(), req.mutedUntil())));
  }

  /** {@code get-push-key {}}: the VAPID public key a browser subscribes with. */
  Future<JsonObject> push(Connection c, Requests.GetPushKey req) {
    return services.push(new PushSubscriptionRequest(c.user(), PushSubscriptionRequest.KEY, null, null, null))
        .map(state -> Replies.ok().put("publicKey", state.publicKey()));
  }

  /** {@code register-push {endpoint, keys}}: a browser's subscription, the user's from now on. */
  Future<JsonObject> push(Connection c, Requests.RegisterPush req) {
    return services.push(new PushSubscriptionRequest(c.user(), PushSubscriptionRequest.REGISTER, req.endpoint(), req.p256dh(),
        req.auth())).map(state -> Replies.ok().put("publicKey", state.publicKey()));
  }

  /** {@code unregister-push {endpoint}}: the user's subscription gone, if they had it. */
  Future<JsonObject> push(Connection c, Requests.UnregisterPush req) {
    return services.push(new PushSubscriptionRequest(c.user(), PushSubscriptionRequest.UNREGISTER, req.endpoint(), null, null))
        .map(state -> Replies.ok().put("removed", state.removed()));
  }

  private static Future<JsonObject> policyAck(Future<NotificationPolicyState> state) {
    return state.map(p -> {
      JsonObject effective = new JsonObject().put("level", p.effectiveLevel());
      if (p.effectiveMutedUntil() != null) {
        effective.put("mutedUntil", p.effectiveMutedUntil());
      }
      JsonObject ack = Replies.ok().put("level", p.level()).put("effective", effective);
      if (p.roomId() != null) {
        ack.put("roomId", p.roomId());
      }
      return p.mutedUntil() == null ? ack : ack.put("mutedUntil", p.mutedUntil());
    });
  }

  /** {@code list-mentions {roomId?, after?, limit?}}: the messages that mention the user, newest first. */
  Future<JsonObject> listMentions(Connection c, Requests.ListMentions req) {
    MentionListRequest request;
    try {
      request = MentionListRequest.of(c.user(), req.roomId(), req.after(), req.limit());
    } catch (IllegalArgumentException notACursor) {
      throw Replies.invalid("after", notACursor.getMessage());
    }
    return services.mentions(request).map(page -> {
      JsonArray mentions = new JsonArray();
      page.mentions().forEach(m -> mentions.add(new JsonObject().put("message", Json.toJson(m.message())).put("unread", m.unread())));
      JsonObject ack = Replies.ok().put("mentions", mentions);
      return page.next() == null ? ack : ack.put("next", page.next());
    });
  }

  Future<JsonObject> searchRooms(Connection c, Requests.SearchRooms req) {
    RoomSearchRequest request;
    try {
      request = RoomSearchRequest.of(c.user(), req.query(), req.after(), req.limit());
    } catch (IllegalArgumentException notACursor) {
      throw Replies.invalid("after", notACursor.getMessage());
    }
    return services.searchRooms(request).map(page -> {
      JsonObject ack = Replies.ok().put("rooms", new JsonArray(page.rooms().stream().map(Json::toJson).toList()));
      if (page.more()) {
        ack.put("next", RoomSearchRequest.next(page.rooms().get(page.rooms().size() - 1)));
      }
      return ack;
    });
  }

  Future<JsonObject> typing(Connection c, Requests.Typing req) {
    requireJoined(c, req.roomId());
    presence.typing(c.id(), c.user(), req.roomId(), req.isTyping());
    return Future.succeededFuture(Replies.ok());
  }

  Future<JsonObject> getPresence(Connection c, Requests.GetPresence req) {
    requireJoined(c, req.roomId());
    return presence.online(c.user().tenant(), req.roomId())
        .map(p -> Replies.ok().put("online", new JsonArray(p.online())).put("count", p.online().size())
            .put("away", new JsonArray(p.online().stream().filter(p.away()::containsKey).toList())));
  }

  /**
   * {@code set-status {status: away|online}}: this socket's client is away (hidden, idle) or active
   * again. The user is away once every connection of theirs is; presence announces the change.
   */
  Future<JsonObject> setStatus(Connection c, Requests.SetStatus req) {
    presence.status(c.id(), c.user(), req.away());
    return Future.succeededFuture(Replies.ok());
  }

  /**
   * {@code refresh-token {token}}: a new token for the same user and tenant extends the session
   * without reconnecting; its expiry replaces the old one.
   */
  Future<JsonObject> refreshToken(Connection c, Requests.RefreshToken req) {
    return tokens.verify(req.token()).compose(principal -> {
      Sender now = principal.sender();
      if (!now.userId().equals(c.user().userId()) || !now.tenant().equals(c.user().tenant())) {
        return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "the new token is for another user"));
      }
      c.expiresAt(principal.expiresAt());
      return Future.succeededFuture(Replies.ok().put("expiresAt", principal.expiresAt()));
    });
  }

  /** Joining checked membership and tenant once; what needs the room on the hot path relies on that. */
  private static void requireJoined(Connection c, String roomId) {
    if (!c.inRoom(roomId)) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "join the room first");
    }
  }

  private String validBody(String raw) {
    String body = MessageRules.normalizeBody(raw);
    if (!MessageRules.validBody(body, limits.maxBodyChars())) {
      throw Replies.invalid("body", "must be 1 to " + limits.maxBodyChars() + " characters after trimming");
    }
    return body;
  }

  /**
   * The schema bounds meta's properties, not their size: without this a client could fill every
   * message up to the frame limit (1 MB), stored and sent to every member.
   */
  private void requireSmallMeta(JsonObject meta) {
    if (meta != null && !MessageRules.metaFits(meta, limits.maxMetaBytes())) {
      throw Replies.invalid("meta", "must be at most " + limits.maxMetaBytes() + " bytes as JSON");
    }
  }

  private static JsonArray messages(List<ChatMessage> messages) {
    JsonArray array = new JsonArray();
    messages.forEach(m -> array.add(Json.toJson(m)));
    return array;
  }
}
