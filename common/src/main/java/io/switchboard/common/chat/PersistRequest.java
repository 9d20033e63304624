package io.switchboard.common.chat;

import io.vertx.core.json.JsonObject;

/**
 * Make one message durable. {@code clientMsgId} is the idempotency key within the room.
 * {@code originSocketId}, when the message comes from a socket, is left out of the room's
 * confirmation (that socket gets the ack instead). {@code correlationId} travels into the logs of
 * every service that handles the message. {@code attachments}: from a sender, their ids only
 * ({@link Attachment#ref}); message-service checks them and stores their descriptors (none: empty).
 */
public record PersistRequest(
    Sender sender,
    String roomId,
    String clientMsgId,
    String body,
    String replyTo,
    JsonObject meta,
    String originSocketId,
    String correlationId,
    java.util.List<Attachment> attachments) {

  public PersistRequest {
    attachments = attachments == null ? java.util.List.of() : java.util.List.copyOf(attachments);
  }

  /** A message without attachments. */
  public PersistRequest(Sender sender, String roomId, String clientMsgId, String body, String replyTo, JsonObject meta,
      String originSocketId, String correlationId) {
    this(sender, roomId, clientMsgId, body, replyTo, meta, originSocketId, correlationId, java.util.List.of());
  }

  /** This request with its attachments' descriptors as stored. */
  public PersistRequest withAttachments(java.util.List<Attachment> resolved) {
    return new PersistRequest(sender, roomId, clientMsgId, body, replyTo, meta, originSocketId, correlationId, resolved);
  }
}
