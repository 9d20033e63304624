package io.switchboard.socketio;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * A Socket.IO v5 server (Engine.IO v4, WebSocket and HTTP long-polling transports) for Vert.x.
 *
 * <p>One instance per process. It is thread-safe: it may be mounted on the routers of several
 * verticle instances (several event loops); each socket's callbacks run on the event loop of the
 * connection that carries it.
 */
public interface SocketIoServer {

  static SocketIoServer create(Vertx vertx, SocketIoOptions options) {
    return io.switchboard.socketio.engine.DefaultSocketIoServer.create(vertx, options);
  }

  /** Serves {@link SocketIoOptions#path()} on this router: polling GET/POST/OPTIONS and WebSocket upgrades. */
  void mount(Router router);

  /** The namespace of this name ({@code "/"} is the main one), created on first use. */
  Namespace of(String name);

  /** Open Engine.IO sessions (connections), all transports. */
  int clientCount();

  /**
   * Stops accepting new sessions; new handshakes are refused with HTTP 503 from then on. Existing
   * sessions are untouched (see {@link #close()}).
   */
  void stopAccepting();

  /** Disconnects every session (Socket.IO DISCONNECT then Engine.IO close) and stops accepting. */
  Future<Void> close();

  /**
   * Sends every client elsewhere: stops accepting, then closes each session's transport (an Engine.IO
   * close, without a Socket.IO DISCONNECT, so the official clients reconnect by themselves, through
   * the load balancer, to another node), spread evenly over {@code spreadMs} so that they do not all
   * come back at once. Completes once every session open at the start was closed.
   */
  Future<Void> drain(long spreadMs);
}
