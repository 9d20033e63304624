package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.NodeClient;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official JavaScript client (socket.io-client 4.x) against the server, over every transport. */
@ExtendWith(VertxExtension.class)
class NodeClientTest {

  /** Server side of the "basic" scenario: welcome, echo ack, server-to-client ack, bye. */
  private static TestServer basicServer(Vertx vertx, Promise<List<Object>> clientAck, Promise<Handshake> handshake) {
    return TestServer.start(vertx, new SocketIoOptions(), io -> io.of("/").onConnection(socket -> {
      handshake.tryComplete(socket.handshake());
      socket.emit("welcome", socket.transport());
      socket.on("echo", (args, ack) -> {
        ack.send(args.toArray());
        socket.emitWithAck("ask", 5_000, 21)
            .onComplete(ar -> {
              if (ar.succeeded()) {
                clientAck.tryComplete(ar.result());
              } else {
                clientAck.tryFail(ar.cause());
              }
              socket.emit("bye", socket.transport());
            });
      });
    }));
  }

  private static void assertBasicExchange(NodeClient client, Promise<List<Object>> clientAck) {
    JsonObject echo = client.await("echo-ack");
    assertEquals(new JsonArray("[{\"a\":1},[1,2],\"s\",3.5,true,null]"), echo.getJsonArray("args"));
    assertEquals(21, client.await("asked").getInteger("n"));
    List<Object> reply = Await.result(clientAck.future());
    assertEquals(new JsonObject().put("doubled", 42), reply.get(0));
    assertEquals("second", reply.get(1));
  }

  @Test
  @DisplayName("With default transports the client connects over polling, upgrades to WebSocket and keeps exchanging")
  void pollingThenUpgrade(Vertx vertx) {
    Promise<List<Object>> clientAck = Promise.promise();
    Promise<Handshake> handshake = Promise.promise();
    try (TestServer server = basicServer(vertx, clientAck, handshake);
         NodeClient client = NodeClient.start("basic", server.url(), new JsonObject().put("awaitUpgrade", true))) {
      assertEquals("polling", client.await("open").getString("transport"));
      // The client probes the WebSocket while its CONNECT travels over polling: either may finish first.
      assertTrue(List.of("polling", "websocket").contains(client.await("connect").getString("transport")));
      assertEquals("websocket", client.await("upgrade").getString("transport"));
      assertBasicExchange(client, clientAck);
      assertEquals("websocket", client.await("bye").getString("transport"));
      assertEquals(0, client.exitCode());
      Handshake hs = Await.result(handshake.future());
      assertEquals(new JsonObject().put("token", "t-1"), hs.auth());
      assertEquals("127.0.0.1", hs.address());
      assertEquals("4", hs.query().get("EIO"));
    }
  }

  @Test
  @DisplayName("A WebSocket-only client connects directly and exchanges events and acks both ways")
  void websocketOnly(Vertx vertx) {
    Promise<List<Object>> clientAck = Promise.promise();
    try (TestServer server = basicServer(vertx, clientAck, Promise.promise());
         NodeClient client = NodeClient.start("basic", server.url(),
             new JsonObject().put("transports", new JsonArray().add("websocket")))) {
      assertEquals("websocket", client.await("connect").getString("transport"));
      assertEquals("websocket", client.await("welcome").getString("data"));
      assertBasicExchange(client, clientAck);
      assertEquals("websocket", client.await("bye").getString("transport"));
      assertEquals(0, client.exitCode());
    }
  }

  @Test
  @DisplayName("With compression on, the client's WebSocket agrees on permessage-deflate and large events go both ways intact")
  void compression(Vertx vertx) {
    String text = "a chat line that repeats, as chat does; ".repeat(500);
    SocketIoOptions options = new SocketIoOptions().websocketCompression(true);
    try (TestServer server = TestServer.start(vertx, options, io -> io.of("/").onConnection(socket -> {
           socket.emit("big", text);
           socket.on("echo", (args, ack) -> ack.send(args.toArray()));
         }));
         NodeClient client = NodeClient.start("large", server.url(),
             new JsonObject().put("transports", new JsonArray().add("websocket")))) {
      JsonObject big = client.await("big");
      assertEquals(text.length(), big.getInteger("length"));
      assertEquals("websocket", big.getString("transport"));
      assertEquals("permessage-deflate", big.getString("extensions"), "ws names the agreed extensions only");
      JsonObject echo = client.await("echo-ack");
      assertEquals(text.length(), echo.getInteger("length"));
      assertTrue(echo.getBoolean("same"));
      assertEquals("small", echo.getString("small"));
      assertEquals(0, client.exitCode());
    }
  }

  @Test
  @DisplayName("With compression on, a client that starts on polling upgrades and still gets large events intact")
  void compressionAfterUpgrade(Vertx vertx) {
    String text = "x".repeat(50_000);
    SocketIoOptions options = new SocketIoOptions().websocketCompression(true);
    try (TestServer server = TestServer.start(vertx, options, io -> io.of("/").onConnection(socket -> {
           socket.on("echo", (args, ack) -> ack.send(args.toArray()));
           socket.emit("big", text);
         }));
         NodeClient client = NodeClient.start("large", server.url(), new JsonObject())) {
      assertEquals(text.length(), client.await("big").getInteger("length"));
      JsonObject echo = client.await("echo-ack");
      assertTrue(echo.getBoolean("same"));
      assertEquals(0, client.exitCode());
    }
  }

  @Test
  @DisplayName("A polling-only client connects and exchanges events and acks both ways over long-polling")
  void pollingOnly(Vertx vertx) {
    Promise<List<Object>> clientAck = Promise.promise();
    try (TestServer server = basicServer(vertx, clientAck, Promise.promise());
         NodeClient client = NodeClient.start("basic", server.url(),
             new JsonObject().put("transports", new JsonArray().add("polling")))) {
      assertEquals("polling", client.await("connect").getString("transport"));
      assertBasicExchange(client, clientAck);
      assertEquals("polling", client.await("bye").getString("transport"));
      assertEquals(0, client.exitCode());
    }
  }

  @Test
  @DisplayName("Binary attachments travel both ways, at top level and nested in objects")
  void binaryBothWays(Vertx vertx) {
    Promise<List<Object>> received = Promise.promise();
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> io.of("/").onConnection(socket ->
        socket.on("bin", (args, ack) -> {
          received.tryComplete(args);
          byte[] bytes = ((Buffer) args.get(0)).getBytes();
          ack.send(Buffer.buffer(new byte[] {bytes[2], bytes[1], bytes[0]}));
          socket.emit("bin-back", new byte[] {9, 8}, Map.of("inner", Buffer.buffer(new byte[] {7}), "text", "t"));
        })));
         NodeClient client = NodeClient.start("binary", server.url(), new JsonObject())) {
      assertEquals("030201", client.await("bin-ack").getString("reversed"));
      JsonObject back = client.await("bin-back");
      assertEquals("0908", back.getString("top"));
      assertEquals("07", back.getString("inner"));
      assertEquals("t", back.getString("text"));
      List<Object> args = Await.result(received.future());
      assertArrayEquals(new byte[] {1, 2, 3}, assertInstanceOf(Buffer.class, args.get(0)).getBytes());
      JsonObject nested = assertInstanceOf(JsonObject.class, args.get(1));
      assertArrayEquals(new byte[] {4, 5}, nested.getBuffer("nested").getBytes());
      assertEquals("x", nested.getString("label"));
    }
  }

  @Test
  @DisplayName("One connection carries several namespaces; a middleware refusal and an unknown namespace yield connect errors")
  void severalNamespaces(Vertx vertx) {
    java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger(-1);
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> {
      io.of("/").onConnection(socket -> socket.on("where", (args, ack) -> {
        sessions.set(io.clientCount());
        ack.send(socket.namespace().name());
      }));
      io.of("/admin")
          .use(socket -> "letmein".equals(socket.handshake().auth().getString("token"))
              ? Future.succeededFuture() : Future.failedFuture(new ConnectRefusedException("nope", null)))
          .onConnection(socket -> socket.on("where", (args, ack) -> ack.send(socket.namespace().name())));
      io.of("/private").use(socket -> Future.failedFuture(
          new ConnectRefusedException("Authentication failed", new JsonObject().put("code", "AUTH_FAILED"))));
    });
         NodeClient client = NodeClient.start("namespaces", server.url(), new JsonObject())) {
      client.await("done");
      JsonObject privateError = client.seen("connect_error").stream()
          .filter(l -> "/private".equals(l.getString("nsp"))).findFirst().orElseThrow();
      assertEquals("Authentication failed", privateError.getString("message"));
      assertEquals(new JsonObject().put("code", "AUTH_FAILED"), privateError.getJsonObject("data"));
      JsonObject unknown = client.seen("connect_error").stream()
          .filter(l -> "/nowhere".equals(l.getString("nsp"))).findFirst().orElseThrow();
      assertEquals("Invalid namespace", unknown.getString("message"));
      assertEquals(List.of("/", "/admin"), client.seen("where").stream().map(l -> l.getString("nsp")).toList());
      List<JsonObject> connects = client.seen("connect");
      assertEquals(2, connects.size());
      assertNotEquals(connects.get(0).getString("id"), connects.get(1).getString("id"));
      assertEquals(1, sessions.get(), "both namespaces share one Engine.IO session");
    }
  }

  @Test
  @DisplayName("Broadcasts reach the sockets of a room, minus the excluded ones, and report how many were written")
  void roomsAndBroadcast(Vertx vertx) {
    Map<String, Socket> byName = new ConcurrentHashMap<>();
    Promise<Void> allConnected = Promise.promise();
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> io.of("/").onConnection(socket -> {
      String name = socket.handshake().auth().getString("name");
      socket.join("all");
      if (!name.equals("c2")) {
        socket.join("red");
      }
      byName.put(name, socket);
      if (byName.size() == 3) {
        allConnected.tryComplete();
      }
    }));
         NodeClient client = NodeClient.start("rooms", server.url(),
             new JsonObject().put("transports", new JsonArray().add("websocket")))) {
      Await.result(allConnected.future());
      Namespace main = server.io().of("/");
      assertEquals(3, main.size());
      assertEquals(2, main.roomSize("red"));
      assertTrue(main.rooms().containsAll(List.of("all", "red", byName.get("c0").id())));

      assertEquals(1, main.to("red").except(byName.get("c0").id()).emit("news", "red-but-c0"));
      assertEquals(1, main.except("red").emit("news", "not-red"));
      assertEquals(3, main.broadcast().emit("news", "everyone"));
      assertEquals(2, main.to(byName.get("c0").id()).to(byName.get("c2").id()).emit("news", "two"));
      assertEquals(3, main.to("all").emit("bye"));
      client.await("done");

      Map<String, List<String>> got = new ConcurrentHashMap<>();
      client.seen("news").forEach(l -> got.computeIfAbsent(l.getString("name"), k -> new CopyOnWriteArrayList<>()).add(l.getString("text")));
      assertEquals(List.of("everyone", "two"), got.get("c0"));
      assertEquals(List.of("red-but-c0", "everyone"), got.get("c1"));
      assertEquals(List.of("not-red", "everyone", "two"), got.get("c2"));
    }
  }

  @Test
  @DisplayName("After its transport drops the client reconnects by itself as a new socket, and the old one is reported disconnected")
  void reconnection(Vertx vertx) {
    List<String> reasons = new CopyOnWriteArrayList<>();
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions().recoveryWindowMs(0), io -> io.of("/").onConnection(socket -> {
      socket.onDisconnect(reasons::add);
      socket.on("again", (args, ack) -> ack.send());
      if (reasons.isEmpty()) {
        socket.emit("drop");
      }
    }));
         NodeClient client = NodeClient.start("reconnect", server.url(), new JsonObject())) {
      JsonObject first = client.await("connect");
      // The client closed its own transport: it says "forced close", the server sees the transport close.
      assertEquals("forced close", client.await("disconnect").getString("reason"));
      client.await("reconnect");
      JsonObject second = client.await("connect");
      client.await("done");
      assertNotEquals(first.getString("id"), second.getString("id"));
      assertFalse(second.getBoolean("recovered"));
      // The second socket may already be gone too: the client process exits once done.
      assertEquals("transport close", reasons.get(0));
    }
  }
}
