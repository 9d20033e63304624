package io.switchboard.socketio;

import io.vertx.core.Handler;
import java.util.Set;

/** A Socket.IO namespace: its connect middlewares, its connection handler, its sockets and rooms. */
public interface Namespace {

  String name();

  /** Runs, in order, on every CONNECT to this namespace before the connection handler. */
  Namespace use(ConnectMiddleware middleware);

  /**
   * Binds connection state recovery to who connects. A reconnecting client's held session (its id,
   * rooms, data and missed packets) is restored only after the middlewares accepted the new CONNECT,
   * and only when {@code owner} gives the new socket a non-null value equal to the one it gave the
   * socket that was held (for example the authenticated user). Otherwise the client connects as a
   * new socket and the held session stays for its owner. Without an owner, any client that presents
   * the pid gets the session, as in Socket.IO's own server.
   */
  Namespace recoveryOwner(java.util.function.Function<Socket, Object> owner);

  /** Called once per socket that connected (middlewares passed). */
  Namespace onConnection(Handler<Socket> handler);

  /** Sockets in this room (a socket id is also a room). */
  BroadcastOperator to(String room);

  /** Every socket of the namespace except those in this room (or this socket id). */
  BroadcastOperator except(String room);

  /** Every socket of the namespace. */
  BroadcastOperator broadcast();

  /** The connected socket with this id on this node, or null. */
  Socket socket(String id);

  /** Connected sockets on this node. */
  int size();

  /** Rooms with at least one socket on this node. */
  Set<String> rooms();

  /** The connected sockets of this node (a snapshot). */
  java.util.Collection<Socket> sockets();

  /** Sockets in this room on this node. */
  int roomSize(String room);

  /** Reports what happens in this namespace to {@code observer} (null: to nobody); replaces the previous one. */
  Namespace observe(NamespaceObserver observer);

  /**
   * The sockets of this node in room {@code in} leave {@code room} (Socket.IO's
   * {@code io.in(in).socketsLeave(room)}), and so do the sessions held for connection state recovery
   * that were in {@code in}: recovered, they neither rejoin {@code room} nor get what it was sent.
   * Thread-safe.
   */
  void socketsLeave(String in, String room);
}
