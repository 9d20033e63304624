package io.switchboard.gateway.chat;

import io.switchboard.common.chat.ClientEvents;
import io.switchboard.gateway.presence.PresenceReporter;
import io.switchboard.socketio.Namespace;
import java.util.List;
import java.util.Set;

/**
 * Takes the sockets of users who are no longer members of a room out of it on this node, when the
 * fan-out says so ({@code $sockets-leave}, after the {@code room-member-removed} it follows): they
 * hear nothing more of the room, and presence forgets them there, exactly as after
 * {@code leave-room}. Sessions held for connection state recovery leave it too, so a device that
 * was away at the removal does not get the room back, nor what it was sent since, when it
 * reconnects. Removals are rare, so the node's connections are scanned rather than indexed.
 * Thread-safe (sockets' room sets and the held sessions are).
 */
public final class MembershipEvictions {
  private final ConnectionRegistry connections;
  private final Namespace namespace;
  private final PresenceReporter presence;

  public MembershipEvictions(ConnectionRegistry connections, Namespace namespace, PresenceReporter presence) {
    this.connections = connections;
    this.namespace = namespace;
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
    // The room itself among the rooms: every socket leaves it (the room was deleted).
    boolean everyone = users.contains(room);
    for (Connection c : connections.all()) {
      if (c.inRoom(roomId) && (everyone || users.contains(ClientEvents.userRoom(c.user().tenant(), c.user().userId())))) {
        presence.left(c.id(), c.user(), roomId);
      }
    }
    for (String user : users) {
      namespace.socketsLeave(user, room);
      namespace.socketsLeave(user, ClientEvents.durableRoom(roomId));
    }
  }
}
