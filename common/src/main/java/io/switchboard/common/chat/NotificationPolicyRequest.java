package io.switchboard.common.chat;

import java.util.Set;

/**
 * A user's notification policy (docs/protocol.md, "Notifications"): their default ({@code roomId}
 * null) or a room's of theirs. Read it ({@code set} false), or change the fields given:
 * {@code level} when {@code setLevel} ({@code all}, {@code mentions}, {@code none}; null for a room:
 * as the default), {@code mutedUntil} when {@code setMute} (ISO-8601, in the future; null: not muted).
 */
public record NotificationPolicyRequest(Sender user, String roomId, boolean set, boolean setLevel, String level, boolean setMute,
    String mutedUntil) {
  public static final Set<String> LEVELS = Set.of("all", "mentions", "none");
  /** The furthest a mute may end, in days from now. */
  public static final int MAX_MUTE_DAYS = 366;

  public static NotificationPolicyRequest get(Sender user, String roomId) {
    return new NotificationPolicyRequest(user, roomId, false, false, null, false, null);
  }
}
