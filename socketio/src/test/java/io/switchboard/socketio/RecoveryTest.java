package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.NodeClient;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connection state recovery (Socket.IO 4.6+) with the official client's automatic pid/offset. */
@ExtendWith(VertxExtension.class)
class RecoveryTest {

  record Restored(String id, java.util.Set<String> rooms, String user) {}

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"websocket", "polling"})
  @DisplayName("A client whose transport dropped gets its id, rooms, data and the packets it missed back")
  void recoversSession(String transport, Vertx vertx) {
    List<String> reasons = new CopyOnWriteArrayList<>();
    Promise<Restored> restored = Promise.promise();
    SocketIoOptions options = new SocketIoOptions().recoveryWindowMs(5_000);
    try (TestServer server = TestServer.start(vertx, options, io -> io.of("/").onConnection(socket -> {
      Namespace main = io.of("/");
      if (socket.recovered()) {
        restored.tryComplete(new Restored(socket.id(), socket.rooms(), socket.get("user")));
        socket.emit("bye");
        return;
      }
      socket.join("r1");
      socket.set("user", "u1");
      socket.onDisconnect(reason -> {
        reasons.add(reason);
        // Emitted while the client is away: the first two must be replayed, the third is not for it.
        main.to("r1").emit("news", "missed-1");
        main.broadcast().emit("news", "missed-2");
        main.to("elsewhere").emit("news", "not-for-you");
      });
      main.to("r1").emit("news", "before");
      socket.emit("drop");
    }));
         NodeClient client = NodeClient.start("recovery", server.url(),
             new JsonObject().put("transports", new JsonArray().add(transport)))) {
      JsonObject first = client.await("connect");
      assertFalse(first.getBoolean("recovered"));
      JsonArray before = client.await("news").getJsonArray("args");
      assertEquals("before", before.getString(0));
      assertInstanceOf(String.class, before.getValue(1), "each event carries its offset as last argument");
      client.await("disconnect");
      JsonObject second = client.await("connect");
      assertTrue(second.getBoolean("recovered"));
      assertEquals(first.getString("id"), second.getString("id"));
      client.await("done");

      List<String> replayed = client.seen("news").stream().skip(1).map(l -> l.getJsonArray("args").getString(0)).toList();
      assertEquals(List.of("missed-1", "missed-2"), replayed);
      Restored r = Await.result(restored.future());
      assertEquals(first.getString("id"), r.id());
      assertTrue(r.rooms().contains("r1"));
      assertTrue(r.rooms().contains(r.id()));
      assertEquals("u1", r.user());
      assertEquals(List.of("transport close"), reasons);
    }
  }

  @Test
  @DisplayName("A held session told to leave a room (socketsLeave) is recovered without it, and without what the room was sent")
  void heldSessionLeavesRoom(Vertx vertx) {
    Promise<Restored> restored = Promise.promise();
    SocketIoOptions options = new SocketIoOptions().recoveryWindowMs(5_000);
    try (TestServer server = TestServer.start(vertx, options, io -> io.of("/").onConnection(socket -> {
      Namespace main = io.of("/");
      if (socket.recovered()) {
        restored.tryComplete(new Restored(socket.id(), socket.rooms(), socket.get("user")));
        socket.emit("bye");
        return;
      }
      socket.join("r1");
      socket.join("user:bob");
      socket.onDisconnect(reason -> {
        main.to("r1").emit("news", "room-before");
        main.socketsLeave("user:bob", "r1");
        main.to("r1").emit("news", "room-after");
        main.to("user:bob").emit("news", "private");
      });
      socket.emit("drop");
    }));
         NodeClient client = NodeClient.start("recovery", server.url(),
             new JsonObject().put("transports", new JsonArray().add("websocket")))) {
      client.await("connect");
      client.await("disconnect");
      assertTrue(client.await("connect").getBoolean("recovered"));
      client.await("done");

      List<String> replayed = client.seen("news").stream().map(l -> l.getJsonArray("args").getString(0)).toList();
      assertEquals(List.of("private"), replayed);
      Restored r = Await.result(restored.future());
      assertFalse(r.rooms().contains("r1"), "not back in the room it left: " + r.rooms());
      assertTrue(r.rooms().contains("user:bob"));
    }
  }
}
