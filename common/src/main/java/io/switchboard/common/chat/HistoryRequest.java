package io.switchboard.common.chat;

/**
 * A page of a room's messages in seq order: after {@code afterSeq}, before {@code beforeSeq}, or the
 * latest when neither is given; at most {@code limit}.
 */
public record HistoryRequest(Sender user, String roomId, Long beforeSeq, Long afterSeq, int limit) {}
