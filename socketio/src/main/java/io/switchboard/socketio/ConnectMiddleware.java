package io.switchboard.socketio;

import io.vertx.core.Future;

/**
 * Decides whether a socket may connect to a namespace. A failed future with a
 * {@link ConnectRefusedException} answers the client with CONNECT_ERROR {@code {message, data}};
 * any other failure answers with message "Internal error". May store data on the socket.
 */
@FunctionalInterface
public interface ConnectMiddleware {
  Future<Void> handle(Socket socket);
}
