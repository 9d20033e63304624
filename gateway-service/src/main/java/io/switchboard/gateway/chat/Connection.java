package io.switchboard.gateway.chat;

import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.Sender;
import io.switchboard.gateway.admission.RateLimiter;
import io.switchboard.socketio.Socket;

/**
 * The chat side of one socket: who it is. Which chat rooms it is in is the socket's own room set
 * (one source of truth, restored with the socket on connection state recovery); joining a room checks
 * membership once, so later messages to it need no database round trip.
 */
final class Connection {
  static final String KEY = "chat.connection";
  private static final String DELIVERY_PREFIX = "chat.delivery:";

  private final Socket socket;
  private final Sender user;
  private final String userRoom;
  private final RateLimiter.SocketLimits limits;
  private final long connectedAt = System.currentTimeMillis();
  private final Receive receive;
  private volatile long expiresAt;

  Connection(Socket socket, Sender user, RateLimiter.SocketLimits limits, Receive receive) {
    this.socket = socket;
    this.user = user;
    this.userRoom = ClientEvents.userRoom(user.tenant(), user.userId());
    this.limits = limits;
    this.receive = receive;
  }

  /** How the socket receives other members' messages in the rooms it joins without saying. */
  Receive receive() {
    return receive;
  }

  /** When the token expires (epoch seconds), or null for a token without {@code exp}. */
  long expiresAt() {
    return expiresAt;
  }

  void expiresAt(long epochSeconds) {
    this.expiresAt = epochSeconds;
  }

  RateLimiter.SocketLimits limits() {
    return limits;
  }

  long connectedAt() {
    return connectedAt;
  }

  Socket socket() {
    return socket;
  }

  Sender user() {
    return user;
  }

  /** The user's private room, {@link ClientEvents#userRoom}: the socket is in it, and messages name it as their sender's. */
  String userRoom() {
    return userRoom;
  }

  String id() {
    return socket.id();
  }

  boolean inRoom(String roomId) {
    return socket.inRoom(ClientEvents.chatRoom(roomId));
  }

  /**
   * Remembers how the room delivers (learnt at join; kept in socket data, so recovery keeps it too).
   * Only persist-first rooms are noted: optimistic is the default, and each entry costs its key.
   */
  void joined(String roomId, String delivery) {
    boolean optimistic = Delivery.fromWire(delivery).orElse(Delivery.OPTIMISTIC) == Delivery.OPTIMISTIC;
    socket.set(DELIVERY_PREFIX + roomId, optimistic ? null : delivery);
  }

  Delivery delivery(String roomId) {
    String wire = socket.get(DELIVERY_PREFIX + roomId);
    return wire == null ? Delivery.OPTIMISTIC : Delivery.fromWire(wire).orElse(Delivery.OPTIMISTIC);
  }
}
