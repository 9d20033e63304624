package io.switchboard.socketio.conformance;

import io.switchboard.socketio.Socket;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.switchboard.socketio.engine.EngineConfig;
import io.switchboard.socketio.engine.EngineServer;
import io.switchboard.socketio.engine.EngineSession;
import io.switchboard.socketio.engine.SessionHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server the official protocol test suites (socketio/socket.io-protocol and
 * socketio/engine.io-protocol, {@code test-suite/}) run against: port 3000, pingInterval 300,
 * pingTimeout 200, maxPayload 1000000, CORS origin "*", recovery on as by default, for the sockets
 * that ask for it (the suites do not, and expect what the reference server sends by default: no
 * {@code pid}, no offsets). Socket.IO on {@code /socket.io/}; a plain Engine.IO echo on {@code /engine.io/}.
 * See docs/protocol.md, "Running the official suites", for how to run them.
 */
public final class ConformanceServer {
  private static final Logger LOG = LoggerFactory.getLogger(ConformanceServer.class);

  private ConformanceServer() {}

  public static SocketIoOptions options() {
    SocketIoOptions options = new SocketIoOptions()
        .pingIntervalMs(300)
        .pingTimeoutMs(200)
        .maxPayload(1_000_000)
        .corsOrigins(List.of("*"))
        .connectTimeoutMs(1_000);
    // -Dconformance.compression=<threshold bytes>: the suites again with permessage-deflate agreed
    // (their ws clients offer it), 0 to compress every message.
    String threshold = System.getProperty("conformance.compression");
    if (threshold != null) {
      options.websocketCompression(true).compressionThreshold(Integer.parseInt(threshold));
    }
    return options;
  }

  /** Starts the server on {@code port} (0 for any) and returns it. */
  public static Future<HttpServer> start(Vertx vertx, int port) {
    SocketIoOptions options = options();
    SocketIoServer io = SocketIoServer.create(vertx, options);
    io.of("/").onConnection(socket -> {
      emitAuth(vertx, socket);
      onMainConnection(socket);
    });
    io.of("/custom").onConnection(socket -> emitAuth(vertx, socket));

    EngineServer echo = new EngineServer(vertx, EngineConfig.of(options), ConformanceServer::echo);
    Router router = Router.router(vertx);
    io.mount(router);
    router.route("/engine.io/*").handler(ctx -> echo.handle(ctx.request()));
    // Strict thread mode, as the gateway runs: responses written on their connection's loop.
    return vertx.createHttpServer(options.applyTo(new HttpServerOptions().setStrictThreadMode(true)))
        .requestHandler(router)
        .listen(port);
  }

  /**
   * Sent 25 ms after the CONNECT reply. The suite's {@code waitFor} helper registers its
   * next listener only after a microtask, so it loses a message that the client reads in the same
   * chunk as the previous one; the reference server happens to space them out (its WebSocket
   * transport sends the next packet after the previous write's callback). Real clients do not care.
   */
  private static void emitAuth(Vertx vertx, Socket socket) {
    vertx.setTimer(25, t -> socket.emit("auth", socket.handshake().auth()));
  }

  private static void onMainConnection(Socket socket) {
    socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
    socket.on("message-with-ack", (args, ack) -> {
      if (ack != null) {
        ack.send(args.toArray());
      }
    });
  }

  /** Engine.IO level: every message goes back as it came (text or binary). */
  private static SessionHandler echo(EngineSession session) {
    return new SessionHandler() {
      @Override
      public void onMessage(Object data) {
        session.send(List.of(data instanceof String s ? "4" + s : data));
      }

      @Override
      public void onClose(String reason) {}
    };
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    start(vertx, Integer.getInteger("conformance.port", 3000))
        .onSuccess(server -> LOG.info("conformance.listening port={}", server.actualPort()))
        .onFailure(e -> {
          LOG.error("conformance.start_failed", e);
          vertx.close();
        });
  }
}
