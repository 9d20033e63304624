package io.switchboard.common.chat;

/** The user's read position in a room after a mark-read, and what is left unread. */
public record ReadState(String roomId, long lastReadSeq, long unread) {}
