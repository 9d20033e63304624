package io.switchboard.common.chat;

/**
 * One room of a room list: {@code member} tells whether the user is in it (a public room of the
 * tenant they have not joined is listed with {@code member = false} and no unread count). {@code topic}
 * is null when none is set; an {@code archived} room is read-only. {@code unreadMentions}: the unread
 * messages that mention the user (docs/protocol.md, "Mentions").
 */
public record RoomSummary(String id, String name, String kind, long lastSeq, long unread, int members, boolean member,
    String topic, boolean archived, long unreadMentions) {

  public RoomSummary(String id, String name, String kind, long lastSeq, long unread, int members, boolean member,
      String topic, boolean archived) {
    this(id, name, kind, lastSeq, unread, members, member, topic, archived, 0);
  }
}
