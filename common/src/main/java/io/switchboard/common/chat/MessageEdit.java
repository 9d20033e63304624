package io.switchboard.common.chat;

/** Replace a message's body; allowed to its sender and the room's admins. */
public record MessageEdit(Sender user, String roomId, String messageId, String body, String originSocketId) {}
