package io.switchboard.socketio;

import java.util.List;

/**
 * Watches a namespace without taking part in it (an admin view, say): the rooms its sockets join
 * and leave, the events they receive and are sent, their transport upgrades. Set with
 * {@link Namespace#observe}; without one, none of this costs more than a field read.
 *
 * <p>Called on whichever thread the change happens (a join or an emit may come from any thread; a
 * received event and an upgrade on the socket's session context), synchronously: keep it short and
 * thread-safe. What it throws is logged and ignored.
 */
public interface NamespaceObserver {

  /** The socket joined this room (also its own id's room, at connect). */
  default void joined(Socket socket, String room) {}

  /** The socket left this room (also each room it was in, when it disconnects). */
  default void left(Socket socket, String room) {}

  /** The client sent this event, before its handler runs. */
  default void received(Socket socket, String event, List<Object> args) {}

  /**
   * The server sent this event to this socket alone ({@link Socket#emit}, {@link Socket#emitWithAck}).
   * Broadcasts to rooms are not reported per socket: they are encoded once for all their targets.
   */
  default void sent(Socket socket, String event, Object[] args) {}

  /** The socket's session moved to another transport (polling to WebSocket). */
  default void upgraded(Socket socket) {}
}
