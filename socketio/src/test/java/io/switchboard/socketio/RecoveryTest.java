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

/**
 * Connection state recovery (Socket.IO 4.6+) with the official client's automatic pid/offset, for
 * the sockets that ask for it ({@code recover: true} in their auth) unless it is for all.
 */
@ExtendWith(VertxExtension.class)
class RecoveryTest {

  record Restored(String id, java.util.Set<String> rooms, String user) {}

  /** The auth payload of a client that asks for recovery. */
  private static final JsonObject ASK = new JsonObject().put("recover", true);

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
             new JsonObject().put("transports", new JsonArray().add(transport)).put("auth", ASK))) {
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
             new JsonObject().put("transports", new JsonArray().add("websocket")).put("auth", ASK))) {
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

  /**
   * A server that emits "news" to r1 once {@code expected} sockets are in it, and "bye" after; a
   * dropped socket's held session (if any) shows as a recovered connection.
   */
  private static TestServer newsServer(Vertx vertx, SocketIoOptions options, int expected, List<Boolean> recovered) {
    java.util.concurrent.atomic.AtomicInteger joined = new java.util.concurrent.atomic.AtomicInteger();
    return TestServer.start(vertx, options, io -> io.of("/").onConnection(socket -> {
      recovered.add(socket.recovered());
      socket.join("r1");
      if (joined.incrementAndGet() == expected) {
        io.of("/").to("r1").emit("news", "x");
        io.of("/").to("r1").emit("bye");
      }
    }));
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"websocket", "polling"})
  @DisplayName("A client that does not ask for recovery gets no pid and events with their arguments alone; after a drop it connects as new")
  void withoutAskingNoOffsets(String transport, Vertx vertx) {
    List<Boolean> recovered = new CopyOnWriteArrayList<>();
    try (TestServer server = newsServer(vertx, new SocketIoOptions().recoveryWindowMs(5_000), 1, recovered);
         NodeClient client = NodeClient.start("recovery", server.url(),
             new JsonObject().put("transports", new JsonArray().add(transport)))) {
      JsonObject first = client.await("connect");
      assertEquals(new JsonArray().add("x"), client.await("news").getJsonArray("args"), "no offset appended");
      client.await("done");
      assertEquals(List.of(false), recovered);
      assertFalse(first.getBoolean("recovered"));
    }
  }

  @Test
  @DisplayName("One broadcast to a room of a client that asked for recovery and one that did not: the offset goes to the first only")
  void mixedRoom(Vertx vertx) {
    List<Boolean> recovered = new CopyOnWriteArrayList<>();
    JsonObject ws = new JsonObject().put("transports", new JsonArray().add("websocket"));
    try (TestServer server = newsServer(vertx, new SocketIoOptions().recoveryWindowMs(5_000), 2, recovered);
         NodeClient asking = NodeClient.start("recovery", server.url(), ws.copy().put("auth", ASK));
         NodeClient plain = NodeClient.start("recovery", server.url(), ws)) {
      JsonArray withOffset = asking.await("news").getJsonArray("args");
      assertEquals("x", withOffset.getString(0));
      assertEquals(2, withOffset.size(), "the asking client gets the offset: " + withOffset);
      assertEquals(new JsonArray().add("x"), plain.await("news").getJsonArray("args"));
      asking.await("done");
      plain.await("done");
    }
  }

  @Test
  @DisplayName("With recovery for all (recoveryOptIn false), as the reference server, a client that did not ask gets offsets too")
  void recoveryForAll(Vertx vertx) {
    List<Boolean> recovered = new CopyOnWriteArrayList<>();
    SocketIoOptions options = new SocketIoOptions().recoveryWindowMs(5_000).recoveryOptIn(false);
    try (TestServer server = newsServer(vertx, options, 1, recovered);
         NodeClient client = NodeClient.start("recovery", server.url(),
             new JsonObject().put("transports", new JsonArray().add("websocket")))) {
      JsonArray args = client.await("news").getJsonArray("args");
      assertEquals(2, args.size(), "offset appended: " + args);
      assertInstanceOf(String.class, args.getValue(1));
      client.await("done");
    }
  }
}
