package io.switchboard.common.chat;

import java.util.List;

/**
 * Create a room; the creator is always a member (and its admin). {@code kind} is a {@link RoomKind}
 * wire name, {@code delivery} a {@link Delivery} wire name. A direct room between the same two users
 * is created once; asking again returns it.
 */
public record CreateRoomRequest(Sender creator, String name, String kind, String delivery, List<String> members) {}
