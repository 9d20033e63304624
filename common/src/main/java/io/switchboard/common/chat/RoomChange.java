package io.switchboard.common.chat;

/**
 * A change of a room itself, asked by {@code actor}, an owner or admin (docs/protocol.md, "Membership
 * and roles"): {@link Action#UPDATE} its {@code name}, {@code topic} and/or {@code slowMode} (null:
 * unchanged; an empty topic clears it; slow mode in seconds, 0 turns it off), {@link Action#ARCHIVE}
 * it (read-only), {@link Action#UNARCHIVE} it, or {@link Action#DELETE} it with its messages (the
 * owner only). {@code retentionDays}: how many days the room keeps its messages (0: as its tenant).
 * {@code slowMode} and {@code retentionDays} are absent from an older sender: unchanged.
 */
public record RoomChange(Sender actor, String roomId, Action action, String name, String topic, Integer slowMode,
    Integer retentionDays) {

  public RoomChange(Sender actor, String roomId, Action action, String name, String topic, Integer slowMode) {
    this(actor, roomId, action, name, topic, slowMode, null);
  }

  public RoomChange(Sender actor, String roomId, Action action, String name, String topic) {
    this(actor, roomId, action, name, topic, null);
  }

  public enum Action { UPDATE, ARCHIVE, UNARCHIVE, DELETE }
}
