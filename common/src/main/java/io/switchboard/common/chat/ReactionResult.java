package io.switchboard.common.chat;

import java.util.List;

/**
 * A message's reactions after a {@link ReactionChange}, as the reactor sees them: {@code changed}
 * false when the request changed nothing (nothing is announced then); {@code version} the message's
 * count of reaction changes.
 */
public record ReactionResult(String roomId, String messageId, boolean changed, List<Reaction> reactions, int version) {
  public ReactionResult {
    reactions = reactions == null ? List.of() : List.copyOf(reactions);
  }
}
