package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.RawClient;
import io.switchboard.socketio.support.RawClient.Frames;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connection state recovery bound to who connects ({@link Namespace#recoveryOwner}). */
@ExtendWith(VertxExtension.class)
class RecoveryOwnerTest {
  /** What the connection handler saw of a socket (keyed by id, and id + "/recovered" when recovered). */
  record Seen(boolean recovered, boolean inAlicesRoom) {}

  private final Map<String, CompletableFuture<Seen>> seen = new ConcurrentHashMap<>();

  private CompletableFuture<Seen> seen(String socketId) {
    return seen.computeIfAbsent(socketId, id -> new CompletableFuture<>());
  }

  private Seen awaitSeen(String socketId) {
    return Await.result(Future.fromCompletionStage(seen(socketId)));
  }

  private TestServer start(Vertx vertx, Promise<Void> aliceLeft) {
    return TestServer.start(vertx, new SocketIoOptions().recoveryWindowMs(30_000), io -> {
      Namespace ns = io.of("/");
      ns.use(socket -> {
        Object user = socket.handshake().auth().getValue("user");
        if ("bad".equals(user)) {
          return Future.failedFuture(new ConnectRefusedException("authentication failed", null));
        }
        socket.set("user", user);
        return Future.succeededFuture();
      });
      ns.recoveryOwner(socket -> socket.get("user"));
      ns.onConnection(socket -> {
        if ("alice".equals(socket.get("user")) && !socket.recovered()) {
          socket.join("alice-private");
          socket.onDisconnect(reason -> aliceLeft.tryComplete());
        }
        seen(socket.id() + (socket.recovered() ? "/recovered" : "")).complete(new Seen(socket.recovered(), socket.rooms().contains("alice-private")));
      });
    });
  }

  /** A raw WebSocket session that sends CONNECT with {@code auth}; the reply's JSON, or the refusal's prefixed. */
  private static String connect(RawClient raw, JsonObject auth, Frames[] opened) {
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    assertTrue(ws.nextText().startsWith("0{"));
    ws.send("40" + auth.encode());
    opened[0] = ws;
    return ws.nextText();
  }

  @Test
  @DisplayName("A held session goes back only to its owner: another user with its pid connects as new, a refused CONNECT does not consume it")
  void onlyTheOwnerRecovers(Vertx vertx) {
    Promise<Void> aliceLeft = Promise.promise();
    try (TestServer server = start(vertx, aliceLeft); RawClient raw = new RawClient(vertx, server.port())) {
      Frames[] ws = new Frames[1];
      JsonObject alice = new JsonObject(connect(raw, new JsonObject().put("user", "alice").put("recover", true), ws).substring(2));
      String aliceId = alice.getString("sid");
      String pid = alice.getString("pid");
      ws[0].close();
      Await.result(aliceLeft.future());

      String refused = connect(raw, new JsonObject().put("user", "bad").put("pid", pid), ws);
      assertTrue(refused.startsWith("44"), "the middleware refused: " + refused);

      JsonObject mallory = new JsonObject(connect(raw, new JsonObject().put("user", "mallory").put("pid", pid), ws)
          .substring(2));
      assertNotEquals(aliceId, mallory.getString("sid"), "mallory must not get alice's socket");
      assertEquals(new Seen(false, false), awaitSeen(mallory.getString("sid")), "nor alice's rooms");

      JsonObject back = new JsonObject(connect(raw, new JsonObject().put("user", "alice").put("pid", pid), ws).substring(2));
      assertEquals(aliceId, back.getString("sid"), "alice still recovers her session");
      assertEquals(new Seen(true, true), awaitSeen(aliceId + "/recovered"));
    }
  }
}
