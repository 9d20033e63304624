package io.switchboard.message.store;

import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.vertx.core.Future;

/**
 * Who is in a room and with which role (docs/protocol.md, "Membership and roles").
 *
 * <p>Guarantees: each change is one transaction that first locks the room's row, so the changes of a
 * room happen one at a time and never half; the actor's rights are checked inside it, whoever sent
 * the request. A change that changes something takes the room's next seq for a system message that
 * records it in the history (gapless with the messages: the same row lock hands out both), and
 * writes a row of {@code room_audit}. A room keeps exactly one owner; a direct room keeps its two
 * members and their roles. Failures are {@link io.switchboard.common.ServiceException}s with the
 * contract's codes; another tenant's room is {@code NOT_FOUND}.
 */
public interface RoomMembers {

  /** Applies one change as its actor, a user, may; a change that changes nothing answers with no seq. */
  default Future<MemberChangeResult> change(MemberChange change) {
    return change(change, false);
  }

  /**
   * With {@code system}, the actor is the system (a backend service, {@code chat.room.manage}): the
   * rights of the room's owner without being a member, so it neither quits nor is the owner a
   * transfer demotes. Never granted for a user's request, whatever the user's id.
   */
  Future<MemberChangeResult> change(MemberChange change, boolean system);

  /** The members and roles, for a member (or any user of the tenant for a public room). */
  Future<MemberList> members(MemberListRequest request);

  /**
   * As {@link #members(MemberListRequest)}; with {@code system} the system reads them, with the
   * owner's rights and without being a member (chat.room.manage without an actor).
   */
  default Future<MemberList> members(MemberListRequest request, boolean system) {
    return members(request);
  }
}
