package io.switchboard.common.chat;

import java.util.List;

/**
 * Whom a user blocks, by user id, with when; {@code changed} when the {@link BlockChange} it answers
 * changed something (then the user's devices are told).
 */
public record BlockList(List<Blocked> blocks, boolean changed) {

  public BlockList {
    blocks = blocks == null ? List.of() : List.copyOf(blocks);
  }

  /** One user blocked, since {@code blockedAt} (ISO-8601). */
  public record Blocked(String userId, String blockedAt) {}

  public List<String> userIds() {
    return blocks.stream().map(Blocked::userId).toList();
  }
}
