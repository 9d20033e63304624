package io.switchboard.gateway.chat;

import io.switchboard.common.chat.ClientEvents;
import io.switchboard.gateway.presence.PresenceReporter;
import java.util.List;
import java.util.Set;

/**
 * Takes the sockets of users who are no longer members of a room out of it on this node, when the
 * fan-out says so ({@code $sockets-leave}, after the {@code room-member-removed} it follows): they
 * hear nothing more of the room, and presence forgets them there, exactly as after
 * {@code leave-room}. Removals are rare, so the node's connections are scanned rather than indexed.
 * Thread-safe (sockets' room sets are).
 */
public final class MembershipEvictions {
  private final ConnectionRegistry connections;
  private final PresenceReporter presence;

  public MembershipEvictions(ConnectionRegistry connections, PresenceReporter presence) {
    this.connections = connections;
    this.presence = presence;
  }

  /** The sockets in any of {@code userRooms} leave the chat room {@code room} (a {@link ClientEvents#chatRoom} name). */
  public void leave(String room, List<String> userRooms) {
    String prefix = ClientEvents.chatRoom("");
    if (room == null || !room.startsWith(prefix) || userRooms.isEmpty()) {
      return;
    }
    String roomId = room.substring(prefix.length());
    Set<String> users = Set.copyOf(userRooms);
    for (Connection c : connections.all()) {
      if (c.inRoom(roomId) && users.contains(ClientEvents.userRoom(c.user().tenant(), c.user().userId()))) {
        c.socket().leave(room);
        c.socket().leave(ClientEvents.durableRoom(roomId));
        presence.left(c.id(), c.user(), roomId);
      }
    }
  }
}
