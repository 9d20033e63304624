package io.switchboard.common.chat;

/**
 * A user's blocks (docs/protocol.md, "Blocks"): {@code user} {@link Action#BLOCK}s or
 * {@link Action#UNBLOCK}s {@code userId} of their tenant, or asks whom they block ({@link Action#LIST},
 * {@code userId} null). Tenant-scoped, for every room.
 */
public record BlockChange(Sender user, Action action, String userId) {

  public enum Action { BLOCK, UNBLOCK, LIST }
}
