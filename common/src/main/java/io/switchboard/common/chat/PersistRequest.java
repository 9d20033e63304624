package io.switchboard.common.chat;

import io.vertx.core.json.JsonObject;

/**
 * Make one message durable. {@code clientMsgId} is the idempotency key within the room.
 * {@code originSocketId}, when the message comes from a socket, is left out of the room's
 * confirmation (that socket gets the ack instead). {@code correlationId} travels into the logs of
 * every service that handles the message.
 */
public record PersistRequest(
    Sender sender,
    String roomId,
    String clientMsgId,
    String body,
    String replyTo,
    JsonObject meta,
    String originSocketId,
    String correlationId) {}
