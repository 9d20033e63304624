package io.switchboard.gateway.http;

import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.auth.TokenVerifier.AuthSettings;
import io.switchboard.socketio.ConnectRefusedException;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the connection path before the gateway listens: a private Socket.IO server on a loopback
 * port (the gateway's own classes and options, with a throwaway signing key) takes a number of
 * short connections from a WebSocket client in this process, each with a token to verify, a CONNECT,
 * an event with an ack and a room broadcast.
 *
 * <p>Why: a JVM runs new code interpreted until its JIT has compiled it. A gateway started into a
 * connection storm (every pod restarted at once) spent its first seconds connecting a few hundred
 * sockets a second while compiling; this moves that work before {@code /ready}. Nothing of it is
 * seen outside the process: no port but an ephemeral loopback one, no presence, no metrics of the
 * real namespace. It never fails the start: whatever it could not do by its deadline is skipped.
 */
public final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  private static final String PATH = "/socket.io/?EIO=4&transport=websocket";
  private static final int IN_FLIGHT = 64;
  private static final long SESSION_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final SocketIoOptions options;
  private final int connections;
  private final long deadlineMs;

  public Warmup(Vertx vertx, SocketIoOptions options, int connections, long deadlineMs) {
    this.vertx = vertx;
    this.options = options;
    this.connections = connections;
    this.deadlineMs = deadlineMs;
  }

  /** What a warm-up did: connections that went all the way through, and the loopback port it used (0: none). */
  public record Outcome(int connected, int port) {}

  /** Runs the warm-up; completes (never fails) once it is over and its server and clients are closed. */
  public Future<Outcome> run() {
    if (connections <= 0) {
      return Future.succeededFuture(new Outcome(0, 0));
    }
    long start = System.nanoTime();
    // Every client and callback of the warm-up on one event loop: the counting needs no locks.
    Context context = vertx.getOrCreateContext();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    AuthSettings auth = new AuthSettings(Base64.getEncoder().encodeToString(key), "", "", "", "", "", 0, 3600, 0);
    return TokenVerifier.create(vertx, auth).compose(tokens -> {
      SocketIoServer io = SocketIoServer.create(vertx, options);
      Namespace namespace = io.of("/");
      namespace.use(socket -> tokens.verify(socket.handshake().auth().getValue("token"))
          .<Void>mapEmpty()
          .recover(failure -> Future.failedFuture(new ConnectRefusedException("authentication failed",
              new JsonObject().put("code", "AUTH_FAILED")))));
      namespace.onConnection(socket -> {
        // Rooms of a few members, so that each event is also a small broadcast.
        String room = "warmup-" + (socket.id().hashCode() & 7);
        socket.join(room);
        socket.onAny((event, args, ack) -> {
          namespace.to(room).except(socket.id()).emit(event, args.toArray());
          if (ack != null) {
            ack.send(new JsonObject().put("ok", true).put("echo", args.isEmpty() ? null : args.get(0)));
          }
        });
      });
      Router router = Router.router(vertx);
      io.mount(router);
      HttpServerOptions http = options.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
          .setTcpNoDelay(true).setIdleTimeout(0).setStrictThreadMode(true));
      String token = tokens.mint(new JsonObject().put("sub", "warmup").put("name", "Warm-up"), 600);
      return vertx.createHttpServer(http).requestHandler(router).listen()
          .compose(server -> onContext(context, () -> drive(server.actualPort(), token))
              .eventually(() -> io.close())
              .eventually(server::close)
              .map(connected -> new Outcome(connected, server.actualPort())));
    }).transform(ar -> {
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (ar.succeeded()) {
        LOG.info("gateway.warmup connections={} of {} in {} ms", ar.result().connected(), connections, ms);
        return Future.succeededFuture(ar.result());
      }
      LOG.warn("gateway.warmup_skipped after {} ms: {}", ms, String.valueOf(ar.cause()));
      return Future.succeededFuture(new Outcome(0, 0));
    });
  }

  private static <T> Future<T> onContext(Context context, Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /** Runs the connections, {@link #IN_FLIGHT} at a time; completes with how many went through. */
  private Future<Integer> drive(int port, String token) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port).setMaxFrameSize(options.maxPayload()));
    Clients clients = new Clients(client, token, System.nanoTime() + deadlineMs * 1_000_000);
    for (int i = 0; i < IN_FLIGHT; i++) {
      clients.next();
    }
    return clients.done.future().eventually(client::close);
  }

  /** The warm-up's clients, on its one event loop: each one that ends starts the next. */
  private final class Clients {
    final Promise<Integer> done = Promise.promise();
    private final WebSocketClient client;
    private final String token;
    private final long deadlineNanos;
    private int started;
    private int finished;
    private int succeeded;

    Clients(WebSocketClient client, String token, long deadlineNanos) {
      this.client = client;
      this.token = token;
      this.deadlineNanos = deadlineNanos;
    }

    void next() {
      if (started >= connections || System.nanoTime() > deadlineNanos) {
        if (finished == started) {
          done.tryComplete(succeeded);
        }
        return;
      }
      session(client, token, ++started).onComplete(ar -> {
        if (ar.succeeded()) {
          succeeded++;
        }
        finished++;
        next();
      });
    }
  }

  /** One client: open, CONNECT with the token, one event with an ack, close. */
  private Future<Void> session(WebSocketClient client, String token, int n) {
    Promise<Void> over = Promise.promise();
    client.connect(PATH).onFailure(over::tryFail).onSuccess(ws -> {
      long timer = vertx.setTimer(SESSION_TIMEOUT_MS, t -> {
        over.tryFail("no answer");
        ws.close();
      });
      over.future().onComplete(ar -> vertx.cancelTimer(timer));
      ws.closeHandler(v -> over.tryFail("closed early"));
      ws.textMessageHandler(text -> answer(ws, text, token, n, over));
    });
    return over.future();
  }

  private static void answer(WebSocket ws, String text, String token, int n, Promise<Void> over) {
    if (text.startsWith("0{")) {
      ws.writeTextMessage("40" + new JsonObject().put("token", token).encode());
    } else if (text.startsWith("40{")) {
      ws.writeTextMessage("421[\"warmup\",{\"n\":" + n + ",\"body\":\"hello\"}]");
    } else if (text.startsWith("431[")) {
      over.tryComplete();
      ws.close();
    } else if (text.startsWith("44")) {
      over.tryFail("refused: " + text);
      ws.close();
    }
  }
}
