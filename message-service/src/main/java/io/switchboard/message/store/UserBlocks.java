package io.switchboard.message.store;

import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.BlockList;
import io.vertx.core.Future;

/**
 * Whom each user blocks (docs/protocol.md, "Blocks"), per tenant, for every room. Guarantees: a
 * change is committed before its answer; blocking again or unblocking someone not blocked changes
 * nothing ({@code changed} false); a user blocks at most {@link #MAX_BLOCKS} others, never themselves
 * nor the system ({@code VALIDATION_ERROR}). The answer lists whom the user blocks after the change.
 */
public interface UserBlocks {
  int MAX_BLOCKS = 1000;

  Future<BlockList> change(BlockChange change);
}
