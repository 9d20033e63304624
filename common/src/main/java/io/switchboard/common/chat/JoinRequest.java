package io.switchboard.common.chat;

/**
 * May this user join this room, and what did they miss? {@code sinceSeq} null means no recovery;
 * at most {@code maxMissed} messages come back.
 */
public record JoinRequest(Sender user, String roomId, Long sinceSeq, int maxMissed) {}
