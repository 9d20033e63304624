package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.Json;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.MessageRules;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.presence.PresenceReporter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The chat requests of PROTOCOL.md section 3. Each takes the connection and the decoded request
 * and returns the ack payload; failures are {@link ServiceException}s, answered by the dispatcher.
 */
final class ChatHandlers {
  private final RequestDecoder decoder = new RequestDecoder();
  private final ChatServices services;
  private final Fanout fanout;
  private final PresenceReporter presence;
  private final int maxBodyChars;
  private final int recoveryMaxMessages;

  ChatHandlers(ChatServices services, Fanout fanout, PresenceReporter presence, int maxBodyChars, int recoveryMaxMessages) {
    this.services = services;
    this.fanout = fanout;
    this.presence = presence;
    this.maxBodyChars = maxBodyChars;
    this.recoveryMaxMessages = recoveryMaxMessages;
  }

  Future<JsonObject> joinRoom(Connection c, List<Object> args) {
    Requests.JoinRoom req = decoder.decode("join-room", args, Requests.JoinRoom.class);
    return services.join(new JoinRequest(c.user(), req.roomId(), req.sinceSeq(), recoveryMaxMessages))
        .map(result -> {
          c.socket().join(ClientEvents.chatRoom(req.roomId()));
          presence.joined(c.id(), c.user(), req.roomId());
          return Replies.ok().put("roomId", result.roomId()).put("lastSeq", result.lastSeq())
              .put("unread", result.unread()).put("members", result.members())
              .put("missed", messages(result.missed())).put("truncated", result.truncated());
        })
        .compose(ack -> presence.withOnlineCount(ack, c.user(), req.roomId()));
  }

  Future<JsonObject> leaveRoom(Connection c, List<Object> args) {
    Requests.LeaveRoom req = decoder.decode("leave-room", args, Requests.LeaveRoom.class);
    if (c.inRoom(req.roomId())) {
      c.socket().leave(ClientEvents.chatRoom(req.roomId()));
      presence.left(c.id(), c.user(), req.roomId());
    }
    return Future.succeededFuture(Replies.ok());
  }

  /**
   * Optimistic delivery: the room sees {@code room-message-created} at once; the sender's ack comes
   * when the message is durable, and the room then sees {@code room-message-confirmed} (or
   * {@code room-message-failed}).
   */
  Future<JsonObject> sendMessage(Connection c, List<Object> args) {
    Requests.SendMessage req = decoder.decode("send-message", args, Requests.SendMessage.class);
    String body = MessageRules.normalizeBody(req.body());
    if (!MessageRules.validBody(body, maxBodyChars)) {
      throw Replies.invalid("body", "must be 1 to " + maxBodyChars + " characters after trimming");
    }
    if (!c.inRoom(req.roomId())) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "join the room before sending to it");
    }
    String room = ClientEvents.chatRoom(req.roomId());
    JsonObject optimistic = new JsonObject()
        .put("tempId", req.clientMsgId()).put("roomId", req.roomId())
        .put("senderId", c.user().userId()).put("senderName", c.user().name())
        .put("body", body).put("replyTo", req.replyTo()).put("meta", req.meta())
        .put("createdAt", Instant.now().toString()).put("optimistic", true);
    fanout.publish(new RoomEvent(room, ClientEvents.MESSAGE_CREATED, Envelope.insert(optimistic, Envelope.Source.GATEWAY), c.id()));
    PersistRequest persist = new PersistRequest(c.user(), req.roomId(), req.clientMsgId(), body, req.replyTo(),
        req.meta(), c.id() + "/" + req.clientMsgId());
    return services.persist(persist)
        .onSuccess(result -> fanout.publish(new RoomEvent(room, ClientEvents.MESSAGE_CONFIRMED, new JsonObject()
            .put("roomId", req.roomId()).put("tempId", req.clientMsgId()).put("id", result.message().id())
            .put("seq", result.message().seq()).put("createdAt", result.message().createdAt()), c.id())))
        .onFailure(failure -> fanout.publish(new RoomEvent(room, ClientEvents.MESSAGE_FAILED, new JsonObject()
            .put("roomId", req.roomId()).put("tempId", req.clientMsgId())
            .put("code", ServiceException.codeOf(failure).name()), c.id())))
        .map(result -> {
          JsonObject ack = Replies.ok().put("id", result.message().id()).put("seq", result.message().seq())
              .put("createdAt", result.message().createdAt());
          return result.duplicate() ? ack.put("duplicate", true) : ack;
        });
  }

  Future<JsonObject> createRoom(Connection c, List<Object> args) {
    Requests.CreateRoom req = decoder.decode("create-room", args, Requests.CreateRoom.class);
    List<String> others = req.members().stream().filter(m -> !m.equals(c.user().userId())).toList();
    if (RoomKind.DIRECT.wire().equals(req.kind()) && others.size() != 1) {
      throw Replies.invalid("members", "a direct room has exactly one other member");
    }
    return services.createRoom(new CreateRoomRequest(c.user(), req.name(), req.kind(), others))
        .map(room -> Replies.ok().put("room", Json.toJson(room)));
  }

  Future<JsonObject> typing(Connection c, List<Object> args) {
    Requests.Typing req = decoder.decode("typing", args, Requests.Typing.class);
    if (!c.inRoom(req.roomId())) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "join the room first");
    }
    presence.typing(c.id(), c.user(), req.roomId(), req.isTyping());
    return Future.succeededFuture(Replies.ok());
  }

  Future<JsonObject> getPresence(Connection c, List<Object> args) {
    Requests.GetPresence req = decoder.decode("get-presence", args, Requests.GetPresence.class);
    if (!c.inRoom(req.roomId())) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "join the room first");
    }
    return presence.online(c.user().tenant(), req.roomId())
        .map(p -> Replies.ok().put("online", new JsonArray(p.online())).put("count", p.online().size()));
  }

  private static JsonArray messages(List<ChatMessage> messages) {
    JsonArray array = new JsonArray();
    messages.forEach(m -> array.add(Json.toJson(m)));
    return array;
  }
}
