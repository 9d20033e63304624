package io.switchboard.socketio;

import io.vertx.core.Handler;
import java.util.Set;

/** A Socket.IO namespace: its connect middlewares, its connection handler, its sockets and rooms. */
public interface Namespace {

  String name();

  /** Runs, in order, on every CONNECT to this namespace before the connection handler. */
  Namespace use(ConnectMiddleware middleware);

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

  /** Sockets in this room on this node. */
  int roomSize(String room);
}
