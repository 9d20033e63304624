package io.switchboard.common.chat;

/** The rooms a user sees in their room list: their own and their tenant's public rooms, at most {@code limit}. */
public record RoomListRequest(Sender user, int limit) {}
