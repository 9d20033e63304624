package io.switchboard.common.chat;

import java.util.List;

/**
 * What a {@link MemberChange} did, once committed: the members it concerned ({@code members}: those
 * added, the one removed or leaving, or the role changes) and the system {@code message} that
 * records it in the room's history with its {@code seq}. A change that changed nothing (everyone
 * added was a member already, a role given again) has no members, {@code seq} 0 and no message.
 */
public record MemberChangeResult(String roomId, String tenant, MemberChange.Action action, String actorId, long seq,
    ChatMessage message, List<Member> members) {

  public MemberChangeResult {
    members = members == null ? List.of() : List.copyOf(members);
  }

  public boolean changed() {
    return seq > 0;
  }
}
