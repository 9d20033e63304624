package io.switchboard.common.chat;

/** Mark a message deleted (its body is erased); allowed to its sender and the room's admins. */
public record MessageDelete(Sender user, String roomId, String messageId, String originSocketId) {}
