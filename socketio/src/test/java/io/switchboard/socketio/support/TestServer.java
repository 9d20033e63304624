package io.switchboard.socketio.support;

import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;

/** A real HTTP server on a free port with a SocketIoServer mounted on its router. */
public final class TestServer implements AutoCloseable {
  private final SocketIoServer io;
  private final HttpServer http;

  private TestServer(SocketIoServer io, HttpServer http) {
    this.io = io;
    this.http = http;
  }

  public static TestServer start(Vertx vertx, SocketIoOptions options, Consumer<SocketIoServer> setup) {
    return start(vertx, options, options.applyTo(new HttpServerOptions().setStrictThreadMode(true)), setup);
  }

  /** With HTTP server options of the caller's own, applyTo or not. */
  public static TestServer start(Vertx vertx, SocketIoOptions options, HttpServerOptions serverOptions,
      Consumer<SocketIoServer> setup) {
    SocketIoServer io = SocketIoServer.create(vertx, options);
    setup.accept(io);
    Router router = Router.router(vertx);
    io.mount(router);
    HttpServer http = Await.result(vertx.createHttpServer(serverOptions).requestHandler(router).listen(0, "127.0.0.1"));
    return new TestServer(io, http);
  }

  public SocketIoServer io() {
    return io;
  }

  public HttpServer http() {
    return http;
  }

  public int port() {
    return http.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    Await.result(io.close());
    Await.result(http.close());
  }
}
