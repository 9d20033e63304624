package io.switchboard.common.chat;

import java.util.List;

/**
 * A change of a room's members, asked by {@code actor} (docs/protocol.md, "Membership and roles"):
 * {@link Action#ADD} {@code userIds}, {@link Action#REMOVE} one of them, {@link Action#LEAVE} (the
 * actor, for good), {@link Action#SET_ROLE} of one of them to {@code role} (a {@link RoomRole}'s
 * wire name), {@link Action#BAN} one (removed if a member, and kept out: no join, no add) or
 * {@link Action#UNBAN} them. message-service checks the actor's rights; one transaction each.
 */
public record MemberChange(Sender actor, String roomId, Action action, List<String> userIds, String role,
    String originSocketId) {

  public MemberChange {
    userIds = userIds == null ? List.of() : List.copyOf(userIds);
  }

  public enum Action { ADD, REMOVE, LEAVE, SET_ROLE, BAN, UNBAN }

  public static MemberChange add(Sender actor, String roomId, List<String> userIds) {
    return new MemberChange(actor, roomId, Action.ADD, userIds, null, null);
  }

  public static MemberChange remove(Sender actor, String roomId, String userId) {
    return new MemberChange(actor, roomId, Action.REMOVE, List.of(userId), null, null);
  }

  public static MemberChange ban(Sender actor, String roomId, String userId) {
    return new MemberChange(actor, roomId, Action.BAN, List.of(userId), null, null);
  }

  public static MemberChange unban(Sender actor, String roomId, String userId) {
    return new MemberChange(actor, roomId, Action.UNBAN, List.of(userId), null, null);
  }

  public static MemberChange leave(Sender actor, String roomId) {
    return new MemberChange(actor, roomId, Action.LEAVE, List.of(), null, null);
  }

  public static MemberChange setRole(Sender actor, String roomId, String userId, String role) {
    return new MemberChange(actor, roomId, Action.SET_ROLE, List.of(userId), role, null);
  }
}
