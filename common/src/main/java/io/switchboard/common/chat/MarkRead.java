package io.switchboard.common.chat;

/** The user has read the room up to {@code seq}. */
public record MarkRead(Sender user, String roomId, long seq) {}
