package io.switchboard.common.chat;

/**
 * A page of the public rooms of the user's tenant whose name contains {@code query} (any, when
 * null), by name then id, after the room ({@code afterName}, {@code afterId}) that ended the
 * previous page (the first page when null).
 */
public record RoomSearchRequest(Sender user, String query, String afterName, String afterId, int limit) {}
