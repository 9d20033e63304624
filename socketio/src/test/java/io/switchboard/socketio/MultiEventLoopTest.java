package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.NodeClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One SocketIoServer shared by several verticle instances (event loops), as in production: polling
 * requests of one session land on different event loops and must hop to the session's own.
 */
@ExtendWith(VertxExtension.class)
class MultiEventLoopTest {
  private static final int CLIENTS = 4;
  private static final int MESSAGES = 300;

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"polling", "websocket"})
  @DisplayName("Broadcasts from a foreign thread reach every client of a server shared by four event loops, complete and in order")
  void sharedServer(String transport, Vertx vertx) {
    SocketIoOptions options = new SocketIoOptions().recoveryWindowMs(0);
    SocketIoServer io = SocketIoServer.create(vertx, options);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger connected = new AtomicInteger();
    Promise<Void> allConnected = Promise.promise();
    io.of("/").onConnection(socket -> {
      threads.add(Thread.currentThread().getName());
      if (connected.incrementAndGet() == CLIENTS) {
        allConnected.tryComplete();
      }
    });
    int port = freePort();
    Await.result(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        io.mount(router);
        return vertx.createHttpServer(options.applyTo(new HttpServerOptions().setStrictThreadMode(true)))
            .requestHandler(router).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(4)));

    try (NodeClient client = NodeClient.start("flood", "http://127.0.0.1:" + port,
        new JsonObject().put("clients", CLIENTS).put("transports", new JsonArray().add(transport)))) {
      Await.result(allConnected.future());
      // This test thread is no Vert.x thread: every write must hop to the session's event loop.
      Namespace main = io.of("/");
      for (int i = 0; i < MESSAGES; i++) {
        assertEquals(CLIENTS, main.broadcast().emit("n", i));
      }
      main.broadcast().emit("end");
      client.await("done");
      assertEquals(CLIENTS, client.seen("count").size());
      for (JsonObject count : client.seen("count")) {
        assertEquals(MESSAGES, count.getInteger("count"), count.encode());
        assertTrue(count.getBoolean("inOrder"), count.encode());
      }
      assertTrue(threads.size() > 1, "sessions spread over several event loops: " + threads);
    } finally {
      Await.result(io.close());
    }
  }
}
