package io.switchboard.common.chat;

import java.util.List;

/**
 * A change of a room's members, asked by {@code actor} (docs/protocol.md, "Membership and roles"):
 * {@link Action#ADD} {@code userIds}, {@link Action#REMOVE} one of them, {@link Action#LEAVE} (the
 * actor, for good), {@link Action#SET_ROLE} of one of them to {@code role} (a {@link RoomRole}'s
 * wire name), {@link Action#BAN} one (removed if a member, and kept out: no join, no add) or
 * {@link Action#UNBAN} them, {@link Action#MUTE} a member for {@code durationSeconds} (no sends nor
 * edits until then) or {@link Action#UNMUTE} them. message-service checks the actor's rights; one
 * transaction each. {@code durationSeconds} is 0 but for a mute (absent from an older sender: 0).
 */
public record MemberChange(Sender actor, String roomId, Action action, List<String> userIds, String role,
    String originSocketId, long durationSeconds) {

  public MemberChange {
    userIds = userIds == null ? List.of() : List.copyOf(userIds);
  }

  public MemberChange(Sender actor, String roomId, Action action, List<String> userIds, String role, String originSocketId) {
    this(actor, roomId, action, userIds, role, originSocketId, 0);
  }

  public enum Action { ADD, REMOVE, LEAVE, SET_ROLE, BAN, UNBAN, MUTE, UNMUTE }

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

  public static MemberChange mute(Sender actor, String roomId, String userId, long durationSeconds) {
    return new MemberChange(actor, roomId, Action.MUTE, List.of(userId), null, null, durationSeconds);
  }

  public static MemberChange unmute(Sender actor, String roomId, String userId) {
    return new MemberChange(actor, roomId, Action.UNMUTE, List.of(userId), null, null);
  }

  public static MemberChange leave(Sender actor, String roomId) {
    return new MemberChange(actor, roomId, Action.LEAVE, List.of(), null, null);
  }

  public static MemberChange setRole(Sender actor, String roomId, String userId, String role) {
    return new MemberChange(actor, roomId, Action.SET_ROLE, List.of(userId), role, null);
  }
}
