package io.switchboard.socketio.conformance;

import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmarks' floor on one machine: this module's Socket.IO server alone, answering what the load
 * generator asks from memory: {@code create-room} and {@code join-room} (the storm), and
 * {@code send-message}, relayed to the room's other sockets as {@code room-message-created} and acked
 * (the ten frames of a message in a room of ten, as the replaced system sends them). No token is
 * checked; no database, presence or bus. {@code SCENARIOS="storm-floor cost-floor" loadtest/bench/run-all.sh}
 * runs the storm and the cost scenario against it: what the machine, the generator and the Socket.IO
 * layer cost before the gateway does any work of its own. A yardstick, not a server to deploy.
 *
 * <pre>java -cp switchboard.jar -Dfloor.port=3200 io.switchboard.socketio.conformance.FloorServer</pre>
 */
public final class FloorServer {
  private static final Logger LOG = LoggerFactory.getLogger(FloorServer.class);

  private FloorServer() {}

  public static void main(String[] args) {
    int port = Integer.getInteger("floor.port", 3000);
    int loops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    SocketIoOptions options = new SocketIoOptions();
    SocketIoServer io = SocketIoServer.create(vertx, options);
    Namespace chat = io.of("/");
    AtomicLong seq = new AtomicLong();
    chat.onConnection(socket -> {
      socket.on("create-room", (payload, ack) -> ack.send(new JsonObject().put("ok", true)
          .put("room", new JsonObject().put("id", UUID.randomUUID().toString()).put("kind", "public"))));
      socket.on("join-room", (payload, ack) -> {
        String room = ((JsonObject) payload.get(0)).getString("roomId");
        socket.join(room);
        ack.send(new JsonObject().put("ok", true).put("roomId", room).put("lastSeq", 0).put("unread", 0)
            .put("missed", new JsonArray()).put("truncated", false));
      });
      socket.on("send-message", (payload, ack) -> {
        JsonObject message = (JsonObject) payload.get(0);
        String room = message.getString("roomId");
        chat.to(room).except(socket.id()).emit("room-message-created", new JsonObject().put("roomId", room)
            .put("tempId", message.getString("clientMsgId")).put("senderId", socket.id())
            .put("body", message.getString("body")).put("meta", message.getValue("meta")).put("optimistic", true));
        if (ack != null) {
          ack.send(new JsonObject().put("ok", true).put("message", new JsonObject().put("id", UUID.randomUUID().toString())
              .put("roomId", room).put("seq", seq.incrementAndGet()).put("clientMsgId", message.getString("clientMsgId"))));
        }
      });
    });
    // As the gateway: one HTTP server per event loop on the port, strict thread mode.
    HttpServerOptions http = options.applyTo(new HttpServerOptions().setPort(port).setHost("127.0.0.1")
        .setTcpNoDelay(true).setStrictThreadMode(true));
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> ctx.response().end("ok"));
        io.mount(router);
        return vertx.createHttpServer(http).requestHandler(router).listen();
      }
    }, new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> LOG.info("floor.listening port={} loops={}", port, loops))
        .onFailure(e -> {
          LOG.error("floor.start_failed", e);
          vertx.close();
        });
  }
}
