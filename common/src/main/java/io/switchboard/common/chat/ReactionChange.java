package io.switchboard.common.chat;

/** Add ({@code add}) or remove a user's reaction {@code emoji} on a message of a room. */
public record ReactionChange(Sender user, String roomId, String messageId, String emoji, boolean add, String originSocketId) {}
