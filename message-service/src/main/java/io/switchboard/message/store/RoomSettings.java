package io.switchboard.message.store;

import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.vertx.core.Future;

/**
 * A room's name, topic and archive (docs/protocol.md, "Membership and roles"). Guarantees as
 * {@link RoomMembers}': one transaction under the room's lock, rights checked inside it (an owner or
 * admin; never in a direct room), a change that changes something takes the room's next seq for a
 * system message and is audited. An archived room takes no message, edit or delete
 * ({@code ROOM_ARCHIVED}); its members, roles and settings can still change.
 */
public interface RoomSettings {

  default Future<RoomChangeResult> change(RoomChange change) {
    return change(change, false);
  }

  /** With {@code system}, the actor is the system: an owner's rights without being a member (see {@link RoomMembers}). */
  Future<RoomChangeResult> change(RoomChange change, boolean system);
}
