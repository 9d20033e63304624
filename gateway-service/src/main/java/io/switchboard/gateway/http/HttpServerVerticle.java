package io.switchboard.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One HTTP server of the gateway. Several instances listen on the same port so that connections
 * spread over the event loops; they share the Socket.IO server and the chat handlers.
 */
public final class HttpServerVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final RequestDeadlines deadlines;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private final Supplier<Future<Void>> beforeClose;
  private HttpServer server;

  /**
   * {@code options} are copied, with the idle timeout of {@code deadlines}, which every connection
   * gets; each instance builds its own router. {@code beforeClose} runs before
   * the server closes (the gateway drains its clients there): Vert.x stops these child verticles
   * before their parent, and closing the server would cut every connection at once.
   */
  public HttpServerVerticle(HttpServerOptions options, RequestDeadlines deadlines,
      Function<io.vertx.core.Vertx, Router> routes, Supplier<Future<Void>> beforeClose) {
    this.options = deadlines.applyTo(new HttpServerOptions(options));
    this.deadlines = deadlines;
    this.routes = routes;
    this.beforeClose = beforeClose;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(options).connectionHandler(deadlines).requestHandler(routes.apply(vertx)).listen()
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return beforeClose.get().eventually(() -> server == null ? Future.succeededFuture() : server.close());
  }
}
