package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official Java client (io.socket:socket.io-client 2.1.2). */
@ExtendWith(VertxExtension.class)
class JavaClientTest {

  @ParameterizedTest(name = "transports: {0}")
  @ValueSource(strings = {"websocket", "polling", "polling,websocket"})
  @DisplayName("The Java client connects with auth, emits with an ack and receives server events")
  void connectsAndEmitsWithAck(String transports, Vertx vertx) throws Exception {
    Promise<JsonObject> auth = Promise.promise();
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> io.of("/").onConnection(socket -> {
      auth.tryComplete(socket.handshake().auth());
      socket.on("sum", (args, ack) -> {
        JsonObject numbers = (JsonObject) args.get(0);
        ack.send(new JsonObject().put("sum", numbers.getInteger("a") + numbers.getInteger("b")));
        socket.emit("greeting", "hello " + socket.handshake().auth().getString("user"));
      });
    }))) {
      IO.Options options = IO.Options.builder()
          .setTransports(transports.split(","))
          .setAuth(java.util.Map.of("user", "ada"))
          .setReconnection(false)
          .build();
      io.socket.client.Socket client = IO.socket(URI.create(server.url()), options);
      CompletableFuture<Void> connected = new CompletableFuture<>();
      CompletableFuture<Object> ackReply = new CompletableFuture<>();
      CompletableFuture<Object> greeting = new CompletableFuture<>();
      client.on(io.socket.client.Socket.EVENT_CONNECT, args -> connected.complete(null));
      client.on(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new AssertionError(List.of(args))));
      client.on("greeting", args -> greeting.complete(args[0]));
      try {
        client.connect();
        connected.get(10, TimeUnit.SECONDS);
        client.emit("sum", new Object[] {new JSONObject().put("a", 2).put("b", 40)}, (Ack) args -> ackReply.complete(args[0]));
        assertEquals(42, ((JSONObject) ackReply.get(10, TimeUnit.SECONDS)).getInt("sum"));
        assertEquals("hello ada", greeting.get(10, TimeUnit.SECONDS));
        assertEquals(new JsonObject().put("user", "ada"), Await.result(auth.future()));
      } finally {
        client.close();
      }
    }
  }
}
