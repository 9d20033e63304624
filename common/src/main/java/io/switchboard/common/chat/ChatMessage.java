package io.switchboard.common.chat;

import io.vertx.core.json.JsonObject;

/**
 * A durable message, as clients see it (PROTOCOL.md section 4). {@code createdAt} and
 * {@code editedAt} are ISO-8601 instants. {@code clientMsgId} (an addition to the contract's
 * message object) lets a client match a stored message to the optimistic copy it showed.
 */
public record ChatMessage(
    String id,
    String clientMsgId,
    String roomId,
    long seq,
    String senderId,
    String senderName,
    String body,
    String replyTo,
    JsonObject meta,
    String createdAt,
    String editedAt,
    boolean deleted) {}
