package io.switchboard.common.chat;

import java.util.List;

/** A room's members: the owner first, then admins, then members, each by user id. */
public record MemberList(String roomId, List<Member> members) {

  public MemberList {
    members = members == null ? List.of() : List.copyOf(members);
  }
}
