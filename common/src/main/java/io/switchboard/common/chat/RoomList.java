package io.switchboard.common.chat;

import java.util.List;

/** The user's rooms first, then the public rooms of the tenant the user is not in. */
public record RoomList(List<RoomSummary> rooms) {}
