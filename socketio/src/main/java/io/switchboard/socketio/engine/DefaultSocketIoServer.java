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
  private final Vertx vertx;
  private final String path;
  private final EngineServer engine;
  private final NamespaceRegistry namespaces;

  private DefaultSocketIoServer(Vertx vertx, SocketIoOptions options) {
    this.vertx = vertx;
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
  public Future<Void> drain(long spreadMs) {
    engine.stopAccepting();
    List<EngineSession> sessions = List.copyOf(engine.sessions());
    if (sessions.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    long step = Math.max(0, spreadMs / sessions.size());
    for (int i = 0; i < sessions.size(); i++) {
      EngineSession session = sessions.get(i);
      boolean last = i == sessions.size() - 1;
      vertx.setTimer(Math.max(1, step * i), id -> {
        session.close("server draining");
        if (last) {
          // Closes are queued on each session's event loop after ours; let them run before completing.
          vertx.setTimer(Math.max(50, step), t -> done.tryComplete());
        }
      });
    }
    return done.future();
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
