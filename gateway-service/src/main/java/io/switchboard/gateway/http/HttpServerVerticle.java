package io.switchboard.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * One HTTP server of the gateway. Several instances listen on the same port so that connections
 * spread over the event loops; they share the Socket.IO server and the chat handlers.
 */
public final class HttpServerVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private HttpServer server;

  public HttpServerVerticle(String host, int port, Function<io.vertx.core.Vertx, Router> routes) {
    this.host = host;
    this.port = port;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setCompressionSupported(true)
        .setMaxWebSocketFrameSize(1 << 20)
        .setMaxWebSocketMessageSize(1 << 20)
        .setIdleTimeout(0);
    return vertx.createHttpServer(options).requestHandler(routes.apply(vertx)).listen()
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
