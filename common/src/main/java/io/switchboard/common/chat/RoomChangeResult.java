package io.switchboard.common.chat;

import java.util.List;

/**
 * What a {@link RoomChange} did once committed: the system {@code message} that records it in the
 * room's history, with its {@code seq} (its {@code meta} holds the room's new {@code name},
 * {@code topic} or {@code archived}). A change that changed nothing has {@code seq} 0 and no message.
 * A deletion has no message (the history went with the room): its {@code seq} follows the room's
 * last one, so that it is ordered after every message, and {@code formerMembers} are who were in it.
 */
public record RoomChangeResult(String roomId, String tenant, RoomChange.Action action, String actorId, long seq,
    ChatMessage message, List<String> formerMembers) {

  public RoomChangeResult {
    formerMembers = formerMembers == null ? List.of() : List.copyOf(formerMembers);
  }

  public RoomChangeResult(String roomId, String tenant, RoomChange.Action action, String actorId, long seq,
      ChatMessage message) {
    this(roomId, tenant, action, actorId, seq, message, List.of());
  }

  public boolean changed() {
    return seq > 0;
  }
}
