package io.switchboard.message.store;

import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.vertx.core.Future;

/**
 * Full-text search over the messages of the rooms a user is a member of (docs/protocol.md, "Search"):
 * only their tenant's rooms, never a deleted message nor one of a user they block; best first, paged
 * by a cursor. A query without words is {@code VALIDATION_ERROR}; a room named that the user is not a
 * member of is {@code FORBIDDEN}, one of another tenant {@code NOT_FOUND}.
 */
public interface MessageSearch {
  Future<MessageSearchPage> search(MessageSearchRequest request);
}
