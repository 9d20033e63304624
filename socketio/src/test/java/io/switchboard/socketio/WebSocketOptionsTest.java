package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The WebSocket handshake against HTTP server options: compression, refused handshakes. */
@ExtendWith(VertxExtension.class)
class WebSocketOptionsTest {

  private static final String OFFER = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";

  /** The response head to a raw WebSocket handshake that offers compression, lower-cased. */
  private static String handshake(int port) throws IOException {
    return handshake(port, OFFER);
  }

  /** The response head to a raw WebSocket upgrade request with these handshake headers, lower-cased. */
  private static String handshake(int port, String headers) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + port + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n" + headers + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.append(line.toLowerCase()).append('\n');
      }
      return head.toString();
    }
  }

  @ParameterizedTest(name = "applyTo used: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("The Socket.IO WebSocket never negotiates compression, whatever the HTTP server's options")
  void compression(boolean applied, Vertx vertx) throws IOException {
    SocketIoOptions options = new SocketIoOptions();
    HttpServerOptions serverOptions = applied ? options.applyTo(new HttpServerOptions()) : new HttpServerOptions();
    try (TestServer server = TestServer.start(vertx, options, serverOptions, io -> {})) {
      String head = handshake(server.port());
      assertTrue(head.startsWith("http/1.1 101"), head);
      assertFalse(head.contains("permessage-deflate"), head);
      assertFalse(head.contains("x-webkit-deflate-frame"), head);
    }
  }

  @Test
  @DisplayName("An upgrade without a Sec-WebSocket-Key gets 400 and opens no session")
  void missingKey(Vertx vertx) throws IOException {
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> {})) {
      String head = handshake(server.port(), "Sec-WebSocket-Version: 13\r\n");
      assertTrue(head.startsWith("http/1.1 400"), head);
      assertEquals(0, server.io().clientCount());
    }
  }

  @Test
  @DisplayName("An upgrade of an unknown WebSocket version gets 426 with the version spoken, and opens no session")
  void unknownVersion(Vertx vertx) throws IOException {
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> {})) {
      String head = handshake(server.port(), "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n");
      assertTrue(head.startsWith("http/1.1 426"), head);
      assertTrue(head.contains("sec-websocket-version: 13"), head);
      assertEquals(0, server.io().clientCount());
    }
  }
}
