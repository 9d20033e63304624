package io.switchboard.common.presence;

import java.util.List;

/**
 * What one gateway node tells presence-service in one request: its updates in the order they
 * happened, applied atomically and in that order.
 *
 * <p>{@code seq} grows with every batch the node sends (a retry keeps its seq); presence-service
 * applies a batch only if its seq is above the last one applied for the node, so a retried or
 * late batch is never applied twice or after a newer one. {@code leaseMs} renews the node's lease.
 *
 * <p>{@code live}, when not null, makes the batch a <em>sync</em>: the node's complete state, which
 * replaces whatever presence held for the node (connections it no longer has are removed, rooms are
 * set to exactly these). {@code leaving} is the node's goodbye: after the updates, its remaining
 * connections are removed and the node is forgotten.
 */
public record PresenceBatch(
    String nodeId, long seq, long leaseMs, List<LiveConnection> live, boolean leaving, List<PresenceUpdate> updates) {

  public PresenceBatch {
    live = live == null ? null : List.copyOf(live);
    updates = updates == null ? List.of() : List.copyOf(updates);
  }

  public boolean sync() {
    return live != null;
  }

  /**
   * One live connection of the node and the rooms it is in, for a sync. {@code awaySince}: epoch ms
   * since when its client says it is away, 0 while it is active.
   */
  public record LiveConnection(String connectionId, String tenant, String userId, long since, List<String> rooms,
      long awaySince) {
    public LiveConnection {
      rooms = rooms == null ? List.of() : List.copyOf(rooms);
    }
  }
}
