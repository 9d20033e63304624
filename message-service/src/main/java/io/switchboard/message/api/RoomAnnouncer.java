package io.switchboard.message.api;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.Json;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.MessageChange;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.Reaction;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.ReactionResult;
import io.switchboard.common.chat.ReadState;
import io.switchboard.common.chat.ThreadSummary;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.common.chat.Room;
import io.switchboard.message.store.CreatedRoom;
import io.switchboard.message.store.Moderation;
import io.switchboard.message.store.Stored;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Tells rooms what became durable, once it is: confirmations (or the message itself in
 * persist-first rooms), failures, edits, deletes and read receipts. Published on the gateways'
 * fan-out address right after the commit, in commit order for the messages of one room written by
 * this instance. The events that make a message or a change of members durable carry its seq ({@link RoomEvent#seq}):
 * another instance may write the same room, so the two streams interleave, and each gateway node
 * restores the room's seq order from it.
 */
final class RoomAnnouncer {
  private static final Set<ErrorCode> REFUSALS =
      EnumSet.of(ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.VALIDATION_ERROR, ErrorCode.SLOW_MODE);

  private final EventBus bus;

  RoomAnnouncer(EventBus bus) {
    this.bus = bus;
  }

  void stored(PersistRequest request, Stored stored, Envelope.Source source) {
    var message = stored.result().message();
    String room = ClientEvents.chatRoom(message.roomId());
    String from = from(request.sender());
    if (stored.delivery() == Delivery.PERSIST_FIRST || request.originSocketId() == null) {
      // Nobody saw an optimistic copy: the room gets the message itself, once.
      if (!stored.result().duplicate()) {
        JsonObject created = Json.toJson(message).put("tempId", request.clientMsgId()).put("optimistic", false);
        publish(new RoomEvent(room, ClientEvents.MESSAGE_CREATED, Envelope.insert(created, source), request.originSocketId())
            .withSeq(message.seq()).from(from));
      }
      return;
    }
    // Repeated for a duplicate too: a retry made the room see the optimistic copy again.
    String durableRoom = ClientEvents.durableRoom(message.roomId());
    JsonObject confirmed = new JsonObject()
        .put("roomId", message.roomId()).put("tempId", request.clientMsgId()).put("id", message.id())
        .put("seq", message.seq()).put("createdAt", message.createdAt());
    if (!message.attachments().isEmpty()) {
      // The optimistic copy named the attachments by id only: here are their descriptors.
      confirmed.put("attachments", Json.toJsonArray(message.attachments()));
    }
    if (message.mentions() != null) {
      // Decided when it was stored (the optimistic copy could not know who is a member).
      confirmed.put("mentions", Json.toJson(message.mentions()));
    }
    publish(new RoomEvent(room, ClientEvents.MESSAGE_CONFIRMED, confirmed, request.originSocketId())
        .withSeq(message.seq()).except(durableRoom).from(from));
    // The sockets that receive durable only saw no copy: they get the message itself, once. A
    // gateway node with none of them in the room drops it unencoded.
    if (!stored.result().duplicate()) {
      JsonObject created = Json.toJson(message).put("tempId", request.clientMsgId()).put("optimistic", false);
      publish(new RoomEvent(durableRoom, ClientEvents.MESSAGE_CREATED, Envelope.insert(created, source),
          request.originSocketId()).withSeq(message.seq()).from(from));
    }
  }

  /**
   * A message another region stored (docs/architecture.md, "Regions"): nobody here saw an optimistic
   * copy, so the room gets the message itself, once, as in a persist-first room, with its seq.
   */
  void relayed(ChatMessage message, String tenant) {
    Envelope.Source source = Sender.SYSTEM_ID.equals(message.senderId()) ? Envelope.Source.SYSTEM : Envelope.Source.GATEWAY;
    JsonObject created = Json.toJson(message).put("tempId", message.clientMsgId()).put("optimistic", false);
    publish(new RoomEvent(ClientEvents.chatRoom(message.roomId()), ClientEvents.MESSAGE_CREATED, Envelope.insert(created, source),
        null).withSeq(message.seq()).from(from(tenant, message.senderId())));
  }

  /**
   * Not for a refused message (a sender who may not post there, a room not found, invalid input):
   * nobody in the room saw an optimistic copy of it, since the gateways relay only what joined
   * sockets send, and announcing it would let a request put events into any room. But a member's
   * send from a socket refused by moderation (muted, slow mode) or for its reply (to no message of the
   * room) may have been shown as an optimistic copy by a gateway that could not know: its failure is
   * told, since only a socket in the room has its sends relayed.
   */
  void failed(PersistRequest request, Throwable failure) {
    ErrorCode code = ServiceException.codeOf(failure);
    if (REFUSALS.contains(code) && !(Moderation.decidedAfterCopies(failure) && request.originSocketId() != null)) {
      return;
    }
    publish(new RoomEvent(ClientEvents.chatRoom(request.roomId()), ClientEvents.MESSAGE_FAILED, new JsonObject()
        .put("roomId", request.roomId()).put("tempId", request.clientMsgId()).put("code", code.name()),
        request.originSocketId()).except(ClientEvents.durableRoom(request.roomId())).from(from(request.sender())));
  }

  /** An edit; {@code tenant}: the room's, of the editor. Hidden from those who block the message's sender. */
  void updated(MessageChange change, String tenant, String originSocketId) {
    publish(new RoomEvent(ClientEvents.chatRoom(change.after().roomId()), ClientEvents.MESSAGE_UPDATED,
        Envelope.update(Json.toJson(change.after()), Json.toJson(change.before()), Envelope.Source.GATEWAY), originSocketId)
        .from(from(tenant, change.before().senderId())));
  }

  void deleted(MessageChange change, String tenant, String originSocketId) {
    publish(new RoomEvent(ClientEvents.chatRoom(change.before().roomId()), ClientEvents.MESSAGE_DELETED,
        Envelope.delete(Json.toJson(change.before()), Envelope.Source.GATEWAY), originSocketId)
        .from(from(tenant, change.before().senderId())));
  }

  /**
   * A reaction's change, to the room but the reacting socket (its ack tells it): the message's reactions after it as the room sees them (no
   * reader's {@code me}) with their version, by which clients order two changes' events. Not hidden
   * from those who block the reactor (docs/protocol.md, "Reactions").
   */
  void reacted(ReactionChange change, ReactionResult result) {
    if (!result.changed()) {
      return;
    }
    JsonArray reactions = Json.toJsonArray(result.reactions().stream().map(Reaction::forRoom).toList());
    publish(new RoomEvent(ClientEvents.chatRoom(result.roomId()), ClientEvents.MESSAGE_REACTION, new JsonObject()
        .put("roomId", result.roomId()).put("messageId", result.messageId()).put("userId", change.user().userId())
        .put("emoji", change.emoji()).put("added", change.add()).put("reactions", reactions)
        .put("version", result.version()), change.originSocketId()));
  }

  /**
   * A reply stored in the thread of {@code rootId}: the thread as it is now, to the room. Read after
   * the reply's commit, so it counts that reply; two replies' events may cross (clients keep the
   * highest {@code lastReplySeq}).
   */
  void threadUpdated(ChatMessage reply, ThreadSummary thread) {
    if (thread == null) {
      return;
    }
    publish(new RoomEvent(ClientEvents.chatRoom(reply.roomId()), ClientEvents.THREAD_UPDATED, new JsonObject()
        .put("roomId", reply.roomId()).put("messageId", reply.replyTo()).put("thread", Json.toJson(thread))
        .put("replyId", reply.id()).put("replySenderId", reply.senderId()), null));
  }

  /**
   * A room just created, to the private rooms of all its members (the creator's too, so that their
   * other devices learn it; the creating socket gets it besides its ack): {@code {room}}, the room
   * object of the ack. Not for a direct room that existed already. A new room has no seq yet (no
   * message): nothing to order it after.
   */
  void created(CreatedRoom result) {
    if (!result.created()) {
      return;
    }
    Room room = result.room();
    List<String> userRooms = room.members().stream().map(u -> ClientEvents.userRoom(room.tenant(), u)).toList();
    publish(RoomEvent.toRooms(userRooms, ClientEvents.ROOM_CREATED, new JsonObject().put("room", Json.toJson(room))));
  }

  /** A change of whom a user blocks, to their devices: the whole list, which every gateway filters by. */
  void blocks(Sender user, BlockList list) {
    if (list.changed()) {
      publish(RoomEvent.toRoom(ClientEvents.userRoom(user.tenant(), user.userId()), ClientEvents.USER_BLOCKS_CHANGED,
          new JsonObject().put("blocked", new io.vertx.core.json.JsonArray(list.userIds()))));
    }
  }

  /** The private room of a message's sender, whom a reader may block; null for the system, whom nobody blocks. */
  private static String from(Sender sender) {
    return from(sender.tenant(), sender.userId());
  }

  private static String from(String tenant, String userId) {
    return userId == null || Sender.SYSTEM_ID.equals(userId) ? null
        : ClientEvents.userRoom(io.switchboard.common.chat.Tenants.orDefault(tenant), userId);
  }

  void read(ReadState state, Sender user) {
    publish(new RoomEvent(ClientEvents.chatRoom(state.roomId()), ClientEvents.READ_RECEIPT, new JsonObject()
        .put("roomId", state.roomId()).put("userId", user.userId()).put("seq", state.lastReadSeq()), null));
  }

  /**
   * A committed change of members or roles, in the room's seq order: its event to the room (with the
   * system message that records it); to the private rooms of the users added, so that their other
   * devices learn the room; for a removal (and a mute), to the removed user's private room but their
   * sockets in the room (which get it from the room); for a removal, then the order that their sockets leave the room, with the
   * same seq so that each gateway node acts on it right after the event.
   */
  void membership(MemberChangeResult result) {
    if (!result.changed()) {
      return;
    }
    String room = ClientEvents.chatRoom(result.roomId());
    JsonObject data = changeEvent(result.message());
    String event = result.message().meta().getString("event");
    publish(new RoomEvent(room, event, data, null).withSeq(result.seq()));
    List<String> userRooms = result.members().stream().map(m -> ClientEvents.userRoom(result.tenant(), m.userId())).toList();
    switch (result.action()) {
      case ADD -> publish(RoomEvent.toRooms(userRooms, event, data));
      case REMOVE, LEAVE -> {
        publish(RoomEvent.toRooms(userRooms, event, data).except(room));
        publish(RoomEvent.socketsLeave(room, userRooms, result.seq()));
      }
      case BAN -> {
        if (result.members().get(0).previous() != null) {
          // A member banned is removed: as above.
          publish(RoomEvent.toRooms(userRooms, event, data).except(room));
          publish(RoomEvent.socketsLeave(room, userRooms, result.seq()));
        }
      }
      // The muted member's devices that are not in the room learn it too.
      case MUTE, UNMUTE -> publish(RoomEvent.toRooms(userRooms, event, data).except(room));
      case SET_ROLE, UNBAN -> {
        // The members hear it in the room; nobody outside it needs to.
      }
    }
  }

  /** A committed change of the room's name, topic or archive, to the room in its seq order. */
  void roomChanged(RoomChangeResult result) {
    if (result.changed() && result.action() == RoomChange.Action.DELETE) {
      // No message: the history went with the room. Ordered after its last message; then every
      // socket leaves it (a chat room is its own "private room" here), and the former members'
      // other devices learn it through their private rooms.
      String room = ClientEvents.chatRoom(result.roomId());
      JsonObject data = new JsonObject().put("roomId", result.roomId()).put("seq", result.seq())
          .put("actorId", result.actorId());
      publish(new RoomEvent(room, ClientEvents.ROOM_DELETED, data, null).withSeq(result.seq()));
      List<String> userRooms = result.formerMembers().stream().map(u -> ClientEvents.userRoom(result.tenant(), u)).toList();
      if (!userRooms.isEmpty()) {
        publish(RoomEvent.toRooms(userRooms, ClientEvents.ROOM_DELETED, data).except(room));
      }
      publish(RoomEvent.socketsLeave(room, List.of(room), result.seq()));
    } else if (result.changed()) {
      publish(new RoomEvent(ClientEvents.chatRoom(result.roomId()), result.message().meta().getString("event"),
          changeEvent(result.message()), null).withSeq(result.seq()));
    }
  }

  /** A change's event: its system message's meta (the change as it tells it), with the room, the seq and the message. */
  private static JsonObject changeEvent(ChatMessage message) {
    JsonObject change = message.meta().copy();
    change.remove("event");
    return new JsonObject().put("roomId", message.roomId()).put("seq", message.seq()).mergeIn(change)
        .put("message", Json.toJson(message));
  }

  private void publish(RoomEvent event) {
    bus.publish(Addresses.GATEWAY_FANOUT, event);
  }
}
