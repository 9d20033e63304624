package io.switchboard.common.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

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

  /** Members as acks, events and audit lines show them: {@code userId}, and each other field that is set. */
  public static JsonArray toJson(List<Member> members) {
    JsonArray array = new JsonArray();
    for (Member m : members) {
      JsonObject member = new JsonObject().put("userId", m.userId());
      if (m.role() != null) {
        member.put("role", m.role());
      }
      if (m.previous() != null) {
        member.put("previous", m.previous());
      }
      if (m.mutedUntil() != null) {
        member.put("mutedUntil", m.mutedUntil());
      }
      array.add(member);
    }
    return array;
  }
}
