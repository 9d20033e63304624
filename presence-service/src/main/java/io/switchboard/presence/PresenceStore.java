package io.switchboard.presence;

import io.switchboard.common.presence.PresenceUpdate;
import io.vertx.core.Future;
import java.util.List;

/**
 * Cross-node presence state.
 *
 * <p>Guarantees: updates of one connection are applied in the order they are given; a connection's
 * room entries are removed with the connection. Reads reflect every update whose future succeeded.
 * Failures are {@link io.switchboard.common.ServiceException}s coded {@code UNAVAILABLE}.
 */
public interface PresenceStore {

  Future<Void> apply(PresenceUpdate update);

  /** Distinct users with at least one connection in the room. */
  Future<List<String>> online(String tenant, String roomId);
}
