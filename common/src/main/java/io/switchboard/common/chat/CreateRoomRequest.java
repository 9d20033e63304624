package io.switchboard.common.chat;

import java.util.List;

/** Create a room; the creator is always a member. {@code kind} is a {@link RoomKind} wire name. */
public record CreateRoomRequest(Sender creator, String name, String kind, List<String> members) {}
