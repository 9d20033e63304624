package io.switchboard.message.store;

import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.ReactionResult;
import io.vertx.core.Future;

/**
 * Reactions on messages (docs/protocol.md, "Reactions"). Guarantees: a change is committed before its
 * answer; one reaction of a kind per user per message, so adding one again or removing one that is not
 * there changes nothing ({@code changed} false); the changes of one message go one at a time, each
 * counted in its {@code version}. Only members of the message's room react (a room of another tenant
 * is {@code NOT_FOUND}), muted members only remove, an archived room takes none, nor does a deleted
 * message; a new kind past the limit is {@code REACTION_LIMIT}.
 */
public interface Reactions {
  Future<ReactionResult> change(ReactionChange change);
}
