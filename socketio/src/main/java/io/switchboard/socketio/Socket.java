package io.switchboard.socketio;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.List;
import java.util.Set;

/**
 * One client connected to one namespace.
 *
 * <p>Arguments arrive as Vert.x JSON types: {@code JsonObject}, {@code JsonArray}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}, and {@code Buffer} for binary attachments. Arguments
 * sent may also be records, maps, lists and {@code byte[]}; they are encoded with Jackson.
 */
public interface Socket {

  /** Socket.IO id (not the Engine.IO session id); also a room this socket is always in. */
  String id();

  Namespace namespace();

  /**
   * Names the connection (the Engine.IO session) this socket is carried by, the same for its sockets
   * in every namespace; derived from the session id but not it, so that showing it gives nobody the
   * means to post on the session.
   */
  String clientId();

  Handshake handshake();

  /** {@code "polling"} or {@code "websocket"}. */
  String transport();

  boolean connected();

  /** True when this connection restored a previous session (connection state recovery). */
  boolean recovered();

  /** Application data attached to this socket. */
  <T> T get(String key);

  Socket set(String key, Object value);

  /** Handles this event; the ack is null when the client did not ask for one. */
  Socket on(String event, EventHandler handler);

  /** Handles events that have no handler of their own. */
  Socket onAny(AnyEventHandler handler);

  /** Called once when the socket disconnects, with the Socket.IO reason ("client namespace disconnect", "transport close", "ping timeout", "server namespace disconnect", ...). */
  Socket onDisconnect(Handler<String> handler);

  void emit(String event, Object... args);

  /** Emits with an ack id; fails with a {@code java.util.concurrent.TimeoutException} after the timeout. */
  Future<List<Object>> emitWithAck(String event, long timeoutMs, Object... args);

  void join(String room);

  void leave(String room);

  Set<String> rooms();

  /** Whether the socket is in this room; cheaper than {@code rooms().contains(room)}. */
  boolean inRoom(String room);

  /** Disconnects from this namespace; {@code close} also closes the underlying connection. */
  void disconnect(boolean close);

  @FunctionalInterface
  interface EventHandler {
    void handle(List<Object> args, Ack ack);
  }

  @FunctionalInterface
  interface AnyEventHandler {
    void handle(String event, List<Object> args, Ack ack);
  }

  /** Answers a client request; only the first call sends anything. */
  @FunctionalInterface
  interface Ack {
    void send(Object... args);
  }
}
