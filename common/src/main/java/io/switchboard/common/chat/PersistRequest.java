package io.switchboard.common.chat;

import io.vertx.core.json.JsonObject;

/**
 * Make one message durable. {@code clientMsgId} is the idempotency key within the room.
 * {@code correlationId} travels into the logs of every service that handles the message.
 */
public record PersistRequest(
    Sender sender,
    String roomId,
    String clientMsgId,
    String body,
    String replyTo,
    JsonObject meta,
    String correlationId) {}
