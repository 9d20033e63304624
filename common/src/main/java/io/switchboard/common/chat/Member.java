package io.switchboard.common.chat;

/**
 * A member of a room with their role ({@link RoomRole}'s wire name); {@code previous}, in a role
 * change, the role they had before (null elsewhere). {@code role} is null for a member removed.
 * {@code mutedUntil}, in a list of members, the end of their mute (ISO-8601) while it lasts (null
 * elsewhere, and when not muted).
 */
public record Member(String userId, String role, String previous, String mutedUntil) {
  public Member(String userId, String role, String previous) {
    this(userId, role, previous, null);
  }

  public static Member of(String userId, String role) {
    return new Member(userId, role, null);
  }
}
