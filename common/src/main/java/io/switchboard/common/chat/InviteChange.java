package io.switchboard.common.chat;

/**
 * An invitation to a room (docs/protocol.md, "Invitations"): {@link Action#CREATE} one for
 * {@code roomId} (an owner or admin) living {@code ttlSeconds}, for {@code maxUses} uses (null: any
 * number); {@link Action#REVOKE} {@code token}; or {@link Action#ACCEPT} {@code token}, which makes
 * {@code actor} a member of its room.
 */
public record InviteChange(Sender actor, Action action, String roomId, String token, long ttlSeconds, Integer maxUses) {

  public enum Action { CREATE, REVOKE, ACCEPT }
}
