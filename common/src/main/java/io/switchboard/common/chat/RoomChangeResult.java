package io.switchboard.common.chat;

/**
 * What a {@link RoomChange} did once committed: the system {@code message} that records it in the
 * room's history, with its {@code seq} (its {@code meta} holds the room's new {@code name},
 * {@code topic} or {@code archived}). A change that changed nothing has {@code seq} 0 and no message.
 */
public record RoomChangeResult(String roomId, String tenant, RoomChange.Action action, String actorId, long seq,
    ChatMessage message) {

  public boolean changed() {
    return seq > 0;
  }
}
