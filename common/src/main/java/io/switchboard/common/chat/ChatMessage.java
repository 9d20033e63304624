package io.switchboard.common.chat;

import io.vertx.core.json.JsonObject;

/**
 * A durable message, as clients see it (PROTOCOL.md section 4). {@code createdAt} and
 * {@code editedAt} are ISO-8601 instants.
 */
public record ChatMessage(
    String id,
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
