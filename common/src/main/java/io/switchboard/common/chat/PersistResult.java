package io.switchboard.common.chat;

/** The stored message; {@code duplicate} when the client message id had been stored before. */
public record PersistResult(ChatMessage message, boolean duplicate) {}
