package io.switchboard.message.api;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.MessageRules;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Sender;
import io.switchboard.message.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@code chat.message.create} (PROTOCOL.md section 6): another backend service posts a durable message
 * into a room, as a user or as the system. The room's members receive it once, with its seq (there
 * is no optimistic phase for a message that does not come from a socket). Request and reply are
 * plain JSON so that services in any language can use it.
 *
 * <pre>{ roomId, body, clientMsgId?, replyTo?, meta?, sender?: { userId, name } }</pre>
 */
public final class PublicMessageApi {
  private static final int MAX_BODY_CHARS = 4000;

  private final Vertx vertx;
  private final MessageStore store;
  private final RoomAnnouncer announcer;

  public PublicMessageApi(Vertx vertx, MessageStore store) {
    this.vertx = vertx;
    this.store = store;
    this.announcer = new RoomAnnouncer(vertx.eventBus());
  }

  public Future<MessageConsumer<JsonObject>> register() {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.CHAT_MESSAGE_CREATE,
        msg -> MessageBusApi.answer(msg, this::create));
    return consumer.completion().map(v -> consumer);
  }

  Future<JsonObject> create(JsonObject json) {
    PersistRequest request;
    try {
      request = parse(json);
    } catch (ServiceException invalid) {
      return Future.failedFuture(invalid);
    }
    Envelope.Source source = Sender.SYSTEM_ID.equals(request.sender().userId()) ? Envelope.Source.SYSTEM : Envelope.Source.API;
    return MessageBusApi.persistAndAnnounce(store, announcer, request, source).map(stored -> {
      PersistResult result = stored.result();
      return new JsonObject().put("ok", true).put("id", result.message().id()).put("seq", result.message().seq())
          .put("createdAt", result.message().createdAt()).put("duplicate", result.duplicate());
    });
  }

  private static PersistRequest parse(JsonObject json) {
    if (json == null) {
      throw invalid("body must be a JSON object");
    }
    String roomId = json.getValue("roomId") instanceof String s ? s : null;
    if (!MessageRules.validRoomId(roomId)) {
      throw invalid("roomId must match " + MessageRules.ROOM_ID.pattern());
    }
    String body = MessageRules.normalizeBody(json.getValue("body") instanceof String s ? s : null);
    if (!MessageRules.validBody(body, MAX_BODY_CHARS)) {
      throw invalid("body must be 1 to " + MAX_BODY_CHARS + " characters after trimming");
    }
    String clientMsgId = json.getValue("clientMsgId") instanceof String s ? s : UUID.randomUUID().toString();
    String replyTo = json.getValue("replyTo") instanceof String s ? s : null;
    if (replyTo != null && !MessageRules.validUuid(replyTo)) {
      throw invalid("replyTo must be a message id");
    }
    JsonObject meta = json.getValue("meta") instanceof JsonObject m ? m : null;
    JsonObject from = json.getJsonObject("sender");
    Sender sender = from == null || from.getString("userId") == null
        ? new Sender(null, Sender.SYSTEM_ID, "System")
        : new Sender(from.getString("tenant"), from.getString("userId"), from.getString("name"));
    return new PersistRequest(sender, roomId, clientMsgId, body, replyTo, meta, null, "api-" + clientMsgId);
  }

  private static ServiceException invalid(String message) {
    return ServiceException.of(ErrorCode.VALIDATION_ERROR, message);
  }
}
