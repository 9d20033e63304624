package io.switchboard.message.store;

import io.switchboard.common.chat.Room;

/**
 * The answer of {@link MessageStore#createRoom}: the room, and whether this request created it
 * ({@code false}: a direct room between the same two users that existed already, returned as it is).
 * Only a created room is announced to its members.
 */
public record CreatedRoom(Room room, boolean created) {}
