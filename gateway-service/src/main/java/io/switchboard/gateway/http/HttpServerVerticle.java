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
  private final HttpServerOptions options;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private HttpServer server;

  /** {@code options} are copied; each instance builds its own router. */
  public HttpServerVerticle(HttpServerOptions options, Function<io.vertx.core.Vertx, Router> routes) {
    this.options = new HttpServerOptions(options);
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
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
