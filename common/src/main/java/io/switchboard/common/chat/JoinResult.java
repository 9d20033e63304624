package io.switchboard.common.chat;

import java.util.List;

/**
 * Access granted: the room's last seq, the user's unread count, the member count, its delivery mode
 * ({@link Delivery}) and the messages after {@code sinceSeq}; {@code mutedUntil} (ISO-8601) when the
 * user is muted in the room, null otherwise; {@code slowMode} the room's slow mode in seconds (0:
 * off); {@code blocked} whom the user blocks (docs/protocol.md, "Blocks"), so that the gateway hides
 * their messages from this user; {@code expiredSeq} the highest seq retention deleted (0: none).
 * {@code unreadMentions}: the unread messages that mention the user (docs/protocol.md, "Mentions").
 * Absent from an older sender: null, 0 and none.
 */
public record JoinResult(
    String roomId, long lastSeq, long unread, int members, String delivery, List<ChatMessage> missed,
    boolean truncated, String mutedUntil, int slowMode, List<String> blocked, long expiredSeq, long unreadMentions) {

  public JoinResult {
    blocked = blocked == null ? List.of() : List.copyOf(blocked);
  }

  public JoinResult(String roomId, long lastSeq, long unread, int members, String delivery, List<ChatMessage> missed,
      boolean truncated, String mutedUntil, int slowMode, List<String> blocked, long expiredSeq) {
    this(roomId, lastSeq, unread, members, delivery, missed, truncated, mutedUntil, slowMode, blocked, expiredSeq, 0);
  }

  public JoinResult(String roomId, long lastSeq, long unread, int members, String delivery, List<ChatMessage> missed,
      boolean truncated) {
    this(roomId, lastSeq, unread, members, delivery, missed, truncated, null, 0, List.of(), 0);
  }

  public JoinResult(String roomId, long lastSeq, long unread, int members, String delivery, List<ChatMessage> missed,
      boolean truncated, String mutedUntil, int slowMode, List<String> blocked) {
    this(roomId, lastSeq, unread, members, delivery, missed, truncated, mutedUntil, slowMode, blocked, 0);
  }

  public JoinResult(String roomId, long lastSeq, long unread, int members, String delivery, List<ChatMessage> missed,
      boolean truncated, String mutedUntil, int slowMode) {
    this(roomId, lastSeq, unread, members, delivery, missed, truncated, mutedUntil, slowMode, List.of(), 0);
  }
}
