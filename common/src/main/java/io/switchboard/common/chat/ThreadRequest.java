package io.switchboard.common.chat;

/** A page of the thread of a message ({@code messageId}), paged by seq as {@link HistoryRequest}. */
public record ThreadRequest(Sender user, String roomId, String messageId, Long beforeSeq, Long afterSeq, int limit) {}
