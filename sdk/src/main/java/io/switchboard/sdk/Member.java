package io.switchboard.sdk;

import io.switchboard.common.chat.RoomRole;

/** A member of a room with their role; {@code mutedUntil} (ISO-8601) while they are muted, null otherwise. */
public record Member(String userId, RoomRole role, String mutedUntil) {}
