package io.switchboard.presence;

import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.RoomPresence;
import io.vertx.core.Future;
import java.util.List;

/**
 * Cross-node presence state.
 *
 * <p>Guarantees: a batch is applied atomically, in its order, at most once, and never after a newer
 * batch of the same node (see {@link PresenceBatch}). Every online/away/offline transition is decided
 * inside the atomic step that causes it, so it is returned to exactly one caller even when several
 * presence-service instances share the store; publishing it is that caller's job (a caller that dies
 * in between loses it). Failures are {@link io.switchboard.common.ServiceException}s coded
 * {@code UNAVAILABLE}.
 */
public interface PresenceStore {

  Future<BatchOutcome> apply(PresenceBatch batch);

  /** Renews the node's lease; true when the store knows the node (false: the node must send a sync). */
  Future<Boolean> heartbeat(NodeHeartbeat heartbeat);

  /** True when the user may open this connection under the request's limit; holds a place for it. */
  Future<Boolean> admit(AdmitRequest request);

  /** Distinct users with at least one connection in the room, and which of them are away since when. */
  Future<RoomPresence> online(String tenant, String roomId);

  /** Succeeds when the store answers. */
  Future<Void> ping();

  /** Removes the connections of nodes whose lease ran out, at most {@code budget} per call. */
  Future<ReapOutcome> reap(int budget);

  /** {@code applied} false: a retried or overtaken batch, ignored. {@code known}: the node was known before. */
  record BatchOutcome(boolean applied, boolean known, List<StatusChange> changes) {}

  /** {@code more}: dead nodes still hold connections; call again. */
  record ReapOutcome(int reaped, boolean more, List<String> nodes, List<StatusChange> changes) {}
}
