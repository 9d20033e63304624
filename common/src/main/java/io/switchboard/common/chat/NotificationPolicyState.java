package io.switchboard.common.chat;

/**
 * A notification policy as stored ({@code level} null for a room that follows the user's default;
 * {@code mutedUntil} ISO-8601, null when no mute lasts) and as it applies ({@code effectiveLevel},
 * {@code effectiveMutedUntil}: the later of the room's and the default's mutes that last).
 */
public record NotificationPolicyState(String roomId, String level, String mutedUntil, String effectiveLevel,
    String effectiveMutedUntil) {}
