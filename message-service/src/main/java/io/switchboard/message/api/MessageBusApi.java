package io.switchboard.message.api;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.ServiceFailure;
import io.switchboard.common.chat.AttachmentAccess;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.UploadRequest;
import io.switchboard.message.attachments.Attachments;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.InviteChange;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.chat.MessageRules;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.message.store.CreatedRoom;
import io.switchboard.message.store.MessageStore;
import io.switchboard.message.store.PgRoomInvites;
import io.switchboard.message.store.RoomMembers;
import io.switchboard.message.store.RoomSettings;
import io.switchboard.message.store.Stored;
import io.switchboard.message.store.MessageSearch;
import io.switchboard.message.store.Reactions;
import io.switchboard.message.store.UserBlocks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.function.Function;

/**
 * The internal event-bus API of message-service: typed requests from gateways, answered with records
 * or with a failure whose code is the {@link io.switchboard.common.ErrorCode}'s bus code (a
 * {@link ServiceFailure} when the refusal has more to tell the client, such as a mute's end). With
 * several instances, each request goes to one of them (point-to-point). Whatever becomes durable is
 * announced to the room by {@link RoomAnnouncer} before the reply.
 */
public final class MessageBusApi {
  private final EventBus bus;
  private final MessageStore store;
  private final RoomMembers members;
  private final RoomSettings settings;
  private final PgRoomInvites invites;
  private final UserBlocks blocks;
  private final Reactions reactions;
  private final MessageSearch search;
  private final RoomAnnouncer announcer;
  private final Attachments attachments;

  public MessageBusApi(Vertx vertx, MessageStore store, RoomMembers members, RoomSettings settings, PgRoomInvites invites,
      UserBlocks blocks, Reactions reactions, MessageSearch search, Attachments attachments) {
    this.bus = vertx.eventBus();
    this.store = store;
    this.members = members;
    this.settings = settings;
    this.invites = invites;
    this.blocks = blocks;
    this.reactions = reactions;
    this.search = search;
    this.announcer = new RoomAnnouncer(bus);
    this.attachments = attachments;
  }

  /** The durable writes of messages: one instance per process takes them (see MessageServiceVerticle). */
  public Future<List<MessageConsumer<?>>> registerWrites() {
    return completed(List.of(bus.<PersistRequest>consumer(Addresses.MESSAGE_PERSIST, msg -> answer(msg, this::persist))));
  }

  /** Uploads, and the gateways' questions about attachments' bytes (docs/protocol.md, "Attachments"). */
  public Future<List<MessageConsumer<?>>> registerAttachments() {
    return completed(List.of(
        bus.<UploadRequest>consumer(Addresses.ATTACHMENT_CREATE, msg -> answer(msg, attachments::create)),
        bus.<AttachmentAccess>consumer(Addresses.ATTACHMENT_ACCESS, msg -> answer(msg, attachments::access))));
  }

  /** Everything else: rooms, members, joins, history, edits, deletes, reactions, search, read state, blocks. */
  public Future<List<MessageConsumer<?>>> registerRequests() {
    return completed(List.of(
        bus.<CreateRoomRequest>consumer(Addresses.ROOM_CREATE, msg -> answer(msg, req -> store.createRoom(req)
            .onSuccess(announcer::created).map(CreatedRoom::room))),
        bus.<JoinRequest>consumer(Addresses.ROOM_JOIN, msg -> answer(msg, store::join)),
        bus.<RoomListRequest>consumer(Addresses.ROOM_LIST, msg -> answer(msg, store::rooms)),
        bus.<RoomSearchRequest>consumer(Addresses.ROOM_SEARCH, msg -> answer(msg, store::searchRooms)),
        bus.<MemberChange>consumer(Addresses.ROOM_MEMBER_CHANGE, msg -> answer(msg, req -> members.change(req)
            .onSuccess(announcer::membership))),
        bus.<MemberListRequest>consumer(Addresses.ROOM_MEMBER_LIST, msg -> answer(msg, members::members)),
        bus.<InviteChange>consumer(Addresses.ROOM_INVITE, msg -> answer(msg, req -> invites.change(req)
            .onSuccess(result -> {
              if (result.joined() != null) {
                announcer.membership(result.joined());
              }
            }))),
        bus.<RoomChange>consumer(Addresses.ROOM_CHANGE, msg -> answer(msg, req -> settings.change(req)
            .onSuccess(announcer::roomChanged))),
        bus.<BlockChange>consumer(Addresses.USER_BLOCK, msg -> answer(msg, req -> blocks.change(req)
            .onSuccess(list -> announcer.blocks(req.user(), list)))),
        bus.<MessageEdit>consumer(Addresses.MESSAGE_EDIT, msg -> answer(msg, req -> store.edit(req)
            .onSuccess(change -> announcer.updated(change, req.user().tenant(), req.originSocketId())))),
        bus.<MessageDelete>consumer(Addresses.MESSAGE_DELETE, msg -> answer(msg, req -> store.delete(req)
            .onSuccess(change -> announcer.deleted(change, req.user().tenant(), req.originSocketId())))),
        bus.<ReactionChange>consumer(Addresses.MESSAGE_REACT, msg -> answer(msg, req -> reactions.change(req)
            .onSuccess(result -> announcer.reacted(req, result)))),
        bus.<MessageSearchRequest>consumer(Addresses.MESSAGE_SEARCH, msg -> answer(msg, search::search)),
        bus.<ThreadRequest>consumer(Addresses.MESSAGE_THREAD, msg -> answer(msg, store::thread)),
        bus.<HistoryRequest>consumer(Addresses.MESSAGE_HISTORY, msg -> answer(msg, store::history)),
        bus.<MarkRead>consumer(Addresses.ROOM_MARK_READ, msg -> answer(msg, req -> store.markRead(req)
            .onSuccess(state -> announcer.read(state, req.user()))))));
  }

  private static Future<List<MessageConsumer<?>>> completed(List<MessageConsumer<?>> consumers) {
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).map(v -> consumers);
  }

  private Future<PersistResult> persist(PersistRequest request) {
    if (!complete(request)) {
      // Checked before the writer: a batch carries every message's fields to Postgres.
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR,
          "a message needs a sender with a user id, a room id, a client message id and a body"));
    }
    return persistAndAnnounce(store, announcer, attachments, request, Envelope.Source.GATEWAY).map(Stored::result);
  }

  private static boolean complete(PersistRequest r) {
    return r != null && r.sender() != null && r.sender().userId() != null && r.roomId() != null
        && r.clientMsgId() != null && r.body() != null && (r.replyTo() == null || MessageRules.validUuid(r.replyTo()));
  }

  /**
   * Attachments are checked and completed first ({@link Attachments#resolve}); a refusal there is
   * announced as any other, so an optimistic copy already shown fails.
   */
  static Future<Stored> persistAndAnnounce(MessageStore store, RoomAnnouncer announcer, Attachments attachments,
      PersistRequest request, Envelope.Source source) {
    Future<PersistRequest> resolved = request.attachments().isEmpty() ? Future.succeededFuture(request)
        : attachments == null ? Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, "attachments are not taken here"))
        : attachments.resolve(request);
    return resolved.compose(ready -> store.persist(ready, source))
        .onSuccess(stored -> {
          announcer.stored(request, stored, source);
          ChatMessage reply = stored.result().message();
          if (reply.replyTo() != null && !stored.result().duplicate()) {
            store.threadOf(reply.roomId(), reply.replyTo()).onSuccess(thread -> announcer.threadUpdated(reply, thread));
          }
        })
        .onFailure(failure -> announcer.failed(request, failure));
  }

  static <T, R> void answer(Message<T> msg, Function<T, Future<R>> handler) {
    Future<R> result;
    try {
      result = handler.apply(msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(msg::reply, failure -> {
      if (failure instanceof ServiceException refusal && refusal.extra() != null) {
        // More than a code and a message (a mute's end, a wait): a failure that carries them.
        msg.reply(ServiceFailure.of(refusal));
      } else {
        msg.fail(ServiceException.codeOf(failure).busCode(), failure.getMessage() == null ? failure.toString() : failure.getMessage());
      }
    });
  }
}
