package io.switchboard.socketio.bench;

import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Broadcast throughput on this machine, beside the tests (not run by Maven):
 * {@code java -cp ... io.switchboard.socketio.bench.BroadcastBench [clients] [messages]}.
 * Raw WebSocket clients on loopback connect to "/", then the server broadcasts; it reports how long
 * until every client received every message. Bounded: it stops after the deliveries or 60 s.
 */
public final class BroadcastBench {
  private BroadcastBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions().recoveryWindowMs(0), io -> {})) {
      WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 10));
      AtomicInteger received = new AtomicInteger();
      long expected = (long) clients * messages;
      Promise<Void> all = Promise.promise();
      List<Future<?>> connected = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Promise<Void> ready = Promise.promise();
        connected.add(ready.future());
        ws.connect(new WebSocketConnectOptions().setPort(server.port()).setHost("127.0.0.1")
            .setURI("/socket.io/?EIO=4&transport=websocket")).onSuccess(socket -> socket.textMessageHandler(text -> {
              if (text.startsWith("0{")) {
                socket.writeTextMessage("40");
              } else if (text.startsWith("40")) {
                ready.tryComplete();
              } else if (text.equals("2")) {
                socket.writeTextMessage("3");
              } else if (text.startsWith("42") && received.incrementAndGet() == expected) {
                all.tryComplete();
              }
            })).onFailure(ready::tryFail);
      }
      Await.result(Future.all(connected));
      Namespace main = server.io().of("/");
      String payload = "x".repeat(100);
      long start = System.nanoTime();
      for (int m = 0; m < messages; m++) {
        main.broadcast().emit("news", m, payload);
      }
      all.future().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%d clients x %d messages = %d deliveries in %.2f s (%.0f deliveries/s)%n",
          clients, messages, expected, seconds, expected / seconds);
    } finally {
      vertx.close();
    }
  }
}
