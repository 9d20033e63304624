package io.switchboard.socketio.engine;

import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.switchboard.socketio.namespace.NamespaceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/** Wires the Engine.IO endpoint to the Socket.IO namespaces. */
public final class DefaultSocketIoServer implements SocketIoServer {
  private final String path;
  private final EngineServer engine;
  private final NamespaceRegistry namespaces;

  private DefaultSocketIoServer(Vertx vertx, SocketIoOptions options) {
    String p = options.path();
    this.path = p.endsWith("/") ? p : p + "/";
    this.namespaces = new NamespaceRegistry(vertx, options);
    this.engine = new EngineServer(vertx, EngineConfig.of(options), namespaces::newClient);
    namespaces.of("/");
  }

  public static SocketIoServer create(Vertx vertx, SocketIoOptions options) {
    return new DefaultSocketIoServer(vertx, options);
  }

  @Override
  public void mount(Router router) {
    router.route(path + "*").handler(ctx -> engine.handle(ctx.request()));
  }

  @Override
  public Namespace of(String name) {
    return namespaces.of(name);
  }

  @Override
  public int clientCount() {
    return engine.sessionCount();
  }

  @Override
  public void stopAccepting() {
    engine.stopAccepting();
  }

  @Override
  public Future<Void> close() {
    engine.stopAccepting();
    List<Future<Void>> done = new ArrayList<>();
    for (EngineSession session : engine.sessions()) {
      Promise<Void> promise = Promise.promise();
      session.runOnContext(() -> {
        NamespaceRegistry.shutdown(session.handler());
        promise.tryComplete();
      });
      done.add(promise.future());
    }
    namespaces.close();
    return Future.all(done).mapEmpty();
  }
}
