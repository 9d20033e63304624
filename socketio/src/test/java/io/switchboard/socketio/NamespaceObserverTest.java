package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socket.client.IO;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a NamespaceObserver is told, with the official Java client on polling then WebSocket. */
@ExtendWith(VertxExtension.class)
class NamespaceObserverTest {

  @Test
  @DisplayName("an observer hears joins, received and sent events, the upgrade and the leaves at disconnect, in order; sockets() lists the socket")
  void reports(Vertx vertx) throws Exception {
    BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    BlockingQueue<String> upgrades = new LinkedBlockingQueue<>();
    CompletableFuture<Socket> connected = new CompletableFuture<>();
    CompletableFuture<String> transportAtConnect = new CompletableFuture<>();
    NamespaceObserver observer = new NamespaceObserver() {
      @Override public void joined(Socket socket, String room) { reports.add("joined " + (room.equals(socket.id()) ? "<own>" : room)); }
      @Override public void left(Socket socket, String room) { reports.add("left " + (room.equals(socket.id()) ? "<own>" : room)); }
      @Override public void received(Socket socket, String event, List<Object> args) { reports.add("received " + event + " " + args); }
      @Override public void sent(Socket socket, String event, Object[] args) { reports.add("sent " + event + " " + List.of(args)); }
      @Override public void upgraded(Socket socket) { upgrades.add("upgraded " + socket.transport()); }
    };
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> io.of("/").observe(observer).onConnection(socket -> {
      socket.on("enter", (args, ack) -> {
        socket.join((String) args.get(0));
        socket.emit("entered", args.get(0));
      });
      transportAtConnect.complete(socket.transport());
      connected.complete(socket);
    }))) {
      IO.Options options = IO.Options.builder().setTransports(new String[] {"polling", "websocket"}).setReconnection(false).build();
      io.socket.client.Socket client = IO.socket(URI.create(server.url()), options);
      CompletableFuture<Object> entered = new CompletableFuture<>();
      client.on("entered", args -> entered.complete(args[0]));
      try {
        client.connect();
        Socket socket = connected.get(10, TimeUnit.SECONDS);
        assertEquals("joined <own>", next(reports));
        // The client upgrades at once, after its CONNECT or (seldom) before it: only a connected socket's upgrade is news.
        if (transportAtConnect.get().equals("polling")) {
          assertEquals("upgraded websocket", next(upgrades));
        }
        assertEquals(List.of(socket), List.copyOf(server.io().of("/").sockets()));
        assertEquals(12, socket.clientId().length());
        assertTrue(socket.clientId().matches("[0-9a-f]{12}"), socket.clientId());

        client.emit("enter", "lobby");
        assertEquals("lobby", entered.get(10, TimeUnit.SECONDS));
        assertEquals("received enter [lobby]", next(reports));
        assertEquals("joined lobby", next(reports));
        assertEquals("sent entered [lobby]", next(reports));

        client.disconnect();
        assertEquals(java.util.Set.of("left <own>", "left lobby"), java.util.Set.of(next(reports), next(reports)));
        assertEquals(List.of(), List.copyOf(server.io().of("/").sockets()));
        assertEquals(List.of(), List.copyOf(upgrades), "one upgrade at most");
      } finally {
        client.close();
      }
    }
  }

  private static String next(BlockingQueue<String> reports) throws InterruptedException {
    String report = reports.poll(10, TimeUnit.SECONDS);
    if (report == null) {
      throw new AssertionError("no report");
    }
    return report;
  }
}
