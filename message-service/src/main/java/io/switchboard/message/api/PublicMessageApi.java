package io.switchboard.message.api;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.Identities;
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
 * <pre>{ roomId, body, clientMsgId?, replyTo?, meta?, sender?: { userId, name?, tenant? } }</pre>
 *
 * <p>The callers are trusted services, but their input gets the checks a socket's does: a service
 * passing on what its own users typed must not be able to store what a socket could not. So do its
 * rights: a user sender ({@code tenant} absent: the default tenant) posts only into a room of that
 * tenant they are a member of ({@code FORBIDDEN} otherwise, {@code NOT_FOUND} for another tenant's
 * room). The system (no {@code sender}, or {@code userId} {@code system}) needs no membership: it
 * posts into any room of the sender's tenant, or of any tenant when there is no sender at all.
 */
public final class PublicMessageApi {
  private final Vertx vertx;
  private final MessageStore store;
  private final RoomAnnouncer announcer;
  private final int maxBodyChars;
  private final int maxMetaBytes;

  /** With the limits the gateway applies to sockets ({@code MAX_BODY_CHARS}, {@code MAX_META_BYTES}). */
  public PublicMessageApi(Vertx vertx, MessageStore store, int maxBodyChars, int maxMetaBytes) {
    this.vertx = vertx;
    this.store = store;
    this.announcer = new RoomAnnouncer(vertx.eventBus());
    this.maxBodyChars = maxBodyChars;
    this.maxMetaBytes = maxMetaBytes;
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
    return MessageBusApi.persistAndAnnounce(store, announcer, null, request, source).map(stored -> {
      PersistResult result = stored.result();
      return new JsonObject().put("ok", true).put("id", result.message().id()).put("seq", result.message().seq())
          .put("createdAt", result.message().createdAt()).put("duplicate", result.duplicate());
    });
  }

  private PersistRequest parse(JsonObject json) {
    if (json == null) {
      throw invalid("body must be a JSON object");
    }
    String roomId = json.getValue("roomId") instanceof String s ? s : null;
    if (!MessageRules.validRoomId(roomId)) {
      throw invalid("roomId must match " + MessageRules.ROOM_ID.pattern());
    }
    String body = MessageRules.normalizeBody(json.getValue("body") instanceof String s ? s : null);
    if (!MessageRules.validBody(body, maxBodyChars)) {
      throw invalid("body must be 1 to " + maxBodyChars + " characters after trimming");
    }
    Object givenId = json.getValue("clientMsgId");
    if (givenId != null && !(givenId instanceof String id && MessageRules.validUuid(id))) {
      throw invalid("clientMsgId must be a UUID");
    }
    String clientMsgId = givenId == null ? UUID.randomUUID().toString() : (String) givenId;
    Object replyTo = json.getValue("replyTo");
    if (replyTo != null && !(replyTo instanceof String r && MessageRules.validUuid(r))) {
      throw invalid("replyTo must be a message id");
    }
    Object givenMeta = json.getValue("meta");
    if (givenMeta != null && !(givenMeta instanceof JsonObject m && MessageRules.metaFits(m, maxMetaBytes))) {
      throw invalid("meta must be a JSON object of at most " + maxMetaBytes + " bytes");
    }
    JsonObject meta = (JsonObject) givenMeta;
    return new PersistRequest(sender(json.getValue("sender")), roomId, clientMsgId, body, (String) replyTo, meta, null,
        "api-" + clientMsgId);
  }

  /** The system when no sender is given; otherwise a user, whose id follows the rules of room ids. */
  private static Sender sender(Object given) {
    if (given == null) {
      return new Sender(null, Sender.SYSTEM_ID, "System");
    }
    if (!(given instanceof JsonObject from) || !(from.getValue("userId") instanceof String userId)) {
      throw invalid("sender must be {userId, name?, tenant?}");
    }
    String problem = Identities.userIdProblem(userId);
    if (problem == null && from.getValue("tenant") != null) {
      problem = from.getValue("tenant") instanceof String tenant ? Identities.tenantProblem(tenant) : "tenant must be a string";
    }
    if (problem == null && !(from.getValue("name") == null || from.getValue("name") instanceof String)) {
      problem = "sender name must be a string";
    }
    if (problem != null) {
      throw invalid("sender: " + problem);
    }
    return new Sender(from.getString("tenant"), userId, from.getString("name"));
  }

  private static ServiceException invalid(String message) {
    return ServiceException.of(ErrorCode.VALIDATION_ERROR, message);
  }
}
