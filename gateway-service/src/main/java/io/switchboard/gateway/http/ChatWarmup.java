package io.switchboard.gateway.http;

import io.switchboard.gateway.admission.ConnectAdmission;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the chat path before the gateway listens, as {@link Warmup} warms the socket path: sockets of
 * the warm-up tenant ({@link ConnectAdmission#WARMUP_TENANT}) connect to the gateway's own Socket.IO
 * server, mounted for the while on a private loopback port, and each joins a public room of that
 * tenant, through the real chat namespace, event bus, message-service and presence-service.
 *
 * <p>Why: a storm of reconnecting clients joins rooms the moment they are connected. A gateway that
 * meets it uncompiled spent about half of its CPU in its JIT compilers for the first tens of
 * thousands of joins, while the clients waited. The joins here compile that path before
 * {@code /ready}.
 *
 * <p>What it leaves: the warm-up tenant's rooms (at most {@link #MAX_ROOMS}, made at the first start
 * and reused by the next ones) and their memberships; no message. The sockets disconnect when
 * joined. It never fails the start: whatever it could not do by its deadline is skipped.
 */
public final class ChatWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(ChatWarmup.class);
  static final int MAX_ROOMS = 200;
  static final String ROOM_NAME = "warm-up";
  private static final String PATH = "/socket.io/?EIO=4&transport=websocket";
  private static final int IN_FLIGHT = 64;
  private static final int MEMBERS_PER_ROOM = 10;

  private final Vertx vertx;
  private final SocketIoServer socketIo;
  private final SocketIoOptions options;
  private final ConnectAdmission admission;
  private final int joins;
  private final long deadlineMs;

  public ChatWarmup(Vertx vertx, SocketIoServer socketIo, SocketIoOptions options, ConnectAdmission admission,
      int joins, long deadlineMs) {
    this.vertx = vertx;
    this.socketIo = socketIo;
    this.options = options;
    this.admission = admission;
    this.joins = joins;
    this.deadlineMs = deadlineMs;
  }

  /** Runs the warm-up; completes (never fails) with how many sockets joined their room. */
  public Future<Integer> run() {
    if (joins <= 0) {
      return Future.succeededFuture(0);
    }
    long start = System.nanoTime();
    long deadline = start + deadlineMs * 1_000_000;
    Context context = vertx.getOrCreateContext();
    String pass = admission.openWarmup();
    Router router = Router.router(vertx);
    socketIo.mount(router);
    HttpServerOptions http = options.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
        .setTcpNoDelay(true).setIdleTimeout(0).setStrictThreadMode(true));
    return vertx.createHttpServer(http).requestHandler(router).listen()
        .compose(server -> onContext(context, () -> drive(server, pass, deadline)).eventually(server::close))
        .transform(ar -> {
          admission.closeWarmup();
          long ms = (System.nanoTime() - start) / 1_000_000;
          if (ar.succeeded()) {
            LOG.info("gateway.chat_warmup joins={} of {} in {} ms", ar.result(), joins, ms);
            return Future.succeededFuture(ar.result());
          }
          LOG.warn("gateway.chat_warmup_skipped after {} ms: {}", ms, String.valueOf(ar.cause()));
          return Future.succeededFuture(0);
        });
  }

  private static <T> Future<T> onContext(Context context, java.util.function.Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /** Finds or makes the rooms, then joins them, {@link #IN_FLIGHT} sockets at a time. */
  private Future<Integer> drive(HttpServer server, String pass, long deadline) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()).setMaxFrameSize(options.maxPayload()));
    Sessions sessions = new Sessions(client, pass, deadline);
    int wanted = Math.min(MAX_ROOMS, (joins + MEMBERS_PER_ROOM - 1) / MEMBERS_PER_ROOM);
    return sessions.one("wu-rooms", List.of(request("list-rooms", new JsonObject().put("limit", 500))))
        .map(acks -> existingRooms(acks.get(0)))
        .compose(rooms -> {
          int missing = Math.max(0, wanted - rooms.size());
          return sessions.run(missing, i -> List.of(request("create-room",
                  new JsonObject().put("name", ROOM_NAME).put("kind", "public"))), i -> "wu-creator-" + i)
              .map(acks -> {
                acks.forEach(ack -> {
                  if (ack != null) {
                    rooms.add(ack.get(0).getJsonObject("room").getString("id"));
                  }
                });
                return rooms;
              });
        })
        .compose(rooms -> rooms.isEmpty() ? Future.succeededFuture(0)
            : sessions.run(joins, i -> List.of(request("join-room",
                new JsonObject().put("roomId", rooms.get(i % rooms.size())))), i -> "wu-" + i)
                .map(acks -> (int) acks.stream().filter(a -> a != null).count()))
        .eventually(client::close);
  }

  private static List<String> existingRooms(JsonObject listAck) {
    List<String> ids = new ArrayList<>();
    JsonArray rooms = listAck.getJsonArray("rooms", new JsonArray());
    for (int i = 0; i < rooms.size() && ids.size() < MAX_ROOMS; i++) {
      JsonObject room = rooms.getJsonObject(i);
      if (ROOM_NAME.equals(room.getString("name")) && "public".equals(room.getString("kind"))) {
        ids.add(room.getString("id"));
      }
    }
    return ids;
  }

  private static String request(String event, JsonObject payload) {
    return new JsonArray().add(event).add(payload).encode();
  }

  /** The warm-up's sockets, on one event loop: each one that ends starts the next. */
  private final class Sessions {
    private final WebSocketClient client;
    private final String pass;
    private final long deadline;

    Sessions(WebSocketClient client, String pass, long deadline) {
      this.client = client;
      this.pass = pass;
      this.deadline = deadline;
    }

    /** One socket sending {@code requests} in turn; completes with their acks. */
    Future<List<JsonObject>> one(String user, List<String> requests) {
      return run(1, i -> requests, i -> user).compose(acks -> acks.get(0) == null
          ? Future.failedFuture("the warm-up's socket got no answer") : Future.succeededFuture(acks.get(0)));
    }

    /** {@code count} sockets, {@link #IN_FLIGHT} at a time; the acks of each, or null where it failed. */
    Future<List<List<JsonObject>>> run(int count, IntFunction<List<String>> requests, IntFunction<String> user) {
      List<List<JsonObject>> acks = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        acks.add(null);
      }
      Promise<List<List<JsonObject>>> done = Promise.promise();
      int[] counters = new int[2]; // started, finished
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (counters[0] >= count || System.nanoTime() > deadline) {
          if (counters[1] == counters[0]) {
            done.tryComplete(acks);
          }
          return;
        }
        int i = counters[0]++;
        session(user.apply(i), requests.apply(i)).onComplete(ar -> {
          if (ar.succeeded()) {
            acks.set(i, ar.result());
          }
          counters[1]++;
          next[0].run();
        });
      };
      if (count == 0) {
        return Future.succeededFuture(acks);
      }
      for (int k = 0; k < Math.min(IN_FLIGHT, count); k++) {
        next[0].run();
      }
      return done.future();
    }

    /** Connects as {@code user}, sends each request once the previous one is acked, then closes. */
    private Future<List<JsonObject>> session(String user, List<String> requests) {
      Promise<List<JsonObject>> over = Promise.promise();
      List<JsonObject> acks = new ArrayList<>(requests.size());
      client.connect(PATH).onFailure(over::tryFail).onSuccess(ws -> {
        long timer = vertx.setTimer(5_000, t -> over.tryFail("no answer"));
        over.future().onComplete(ar -> {
          vertx.cancelTimer(timer);
          ws.close();
        });
        ws.closeHandler(v -> over.tryFail("closed early"));
        ws.textMessageHandler(text -> {
          if (text.startsWith("0{")) {
            ws.writeTextMessage("40" + new JsonObject().put("warmup", pass).put("user", user).encode());
          } else if (text.startsWith("40{")) {
            send(ws, requests, 0);
          } else if (text.startsWith("43")) {
            int ackId = Integer.parseInt(text.substring(2, text.indexOf('[')));
            acks.add(new JsonArray(text.substring(text.indexOf('['))).getJsonObject(0));
            if (!Boolean.TRUE.equals(acks.get(acks.size() - 1).getBoolean("ok"))) {
              over.tryFail("refused: " + text);
            } else if (ackId + 1 < requests.size()) {
              send(ws, requests, ackId + 1);
            } else {
              over.tryComplete(acks);
            }
          } else if (text.startsWith("44")) {
            over.tryFail("refused: " + text);
          }
        });
      });
      return over.future();
    }

    private void send(WebSocket ws, List<String> requests, int index) {
      ws.writeTextMessage("42" + index + requests.get(index));
    }
  }
}
