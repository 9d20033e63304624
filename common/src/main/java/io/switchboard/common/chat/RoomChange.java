package io.switchboard.common.chat;

/**
 * A change of a room itself, asked by {@code actor}, an owner or admin (docs/protocol.md, "Membership
 * and roles"): {@link Action#UPDATE} its {@code name} and/or {@code topic} (null: unchanged; an empty
 * topic clears it), {@link Action#ARCHIVE} it (read-only), {@link Action#UNARCHIVE} it, or
 * {@link Action#DELETE} it with its messages (the owner only).
 */
public record RoomChange(Sender actor, String roomId, Action action, String name, String topic) {

  public enum Action { UPDATE, ARCHIVE, UNARCHIVE, DELETE }
}
