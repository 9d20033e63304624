package io.switchboard.common.chat;

/**
 * A member of a room with their role ({@link RoomRole}'s wire name); {@code previous}, in a role
 * change, the role they had before (null elsewhere). {@code role} is null for a member removed.
 */
public record Member(String userId, String role, String previous) {
  public static Member of(String userId, String role) {
    return new Member(userId, role, null);
  }
}
