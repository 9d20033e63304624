package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.TestGateway;
import io.switchboard.socketio.support.WireSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("WebSocket compression (WS_COMPRESSION): off by default, on per deployment above a size threshold")
class WsCompressionTest {
  private static final String URI = "/socket.io/?EIO=4&transport=websocket";
  /** What Chrome and Node's ws offer. */
  private static final String OFFER = "permessage-deflate; client_max_window_bits";

  private TestGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private int port() {
    return java.net.URI.create(gateway.url()).getPort();
  }

  /** A WebSocket of {@code user} that offered {@code offer}, connected to the chat namespace. */
  private WireSocket connect(String user, String offer) throws IOException {
    WireSocket ws = WireSocket.open(port(), URI, offer);
    assertTrue(ws.head().startsWith("http/1.1 101"), ws.head());
    assertTrue(ws.nextText().startsWith("0{"), "open packet");
    ws.sendText("40" + new JsonObject().put("token", gateway.token(user)).encode(), false);
    assertTrue(ws.nextText().startsWith("40{"), "connected");
    return ws;
  }

  /** Publishes {@code event} with {@code text} to {@code user}; returns the message that carries it. */
  private WireSocket.Message publish(WireSocket ws, String user, String event, String text) throws IOException {
    JsonObject body = new JsonObject().put("target", new JsonObject().put("user", user).put("tenant", TestGateway.TENANT))
        .put("event", event).put("data", new JsonObject().put("text", text));
    assertEquals(202, gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, body.encode()).status());
    while (true) {
      WireSocket.Message m = ws.next();
      if (m.opcode() == WireSocket.TEXT && m.text().startsWith("42[\"" + event + "\"")) {
        return m;
      }
    }
  }

  /** The packet of {@code event} (no recovery offset: these sockets do not ask for recovery). */
  private static String expected(String event, String text) {
    return "42" + new JsonArray().add(event).add(new JsonObject().put("text", text)).encode();
  }

  private static String chatText(int chars) {
    return "Meeting moved to three, bring the slides and the numbers. ".repeat(chars / 58 + 1).substring(0, chars);
  }

  @Test
  @DisplayName("by default a client's offer of permessage-deflate is declined and large messages go out plain")
  void offByDefault() throws IOException {
    gateway = TestGateway.start();
    try (WireSocket ws = connect("alice", OFFER)) {
      assertNull(ws.extensions(), ws.head());
      String text = chatText(3000);
      WireSocket.Message m = publish(ws, "alice", "note", text);
      assertFalse(m.compressed());
      assertTrue(m.text().startsWith(expected("note", text)), m.text());
    }
  }

  @Test
  @DisplayName("on, it is agreed without context takeover; a message above the threshold arrives compressed and intact, a smaller one plain")
  void on() throws IOException {
    gateway = TestGateway.start(c -> c.with(ConfigKey.WS_COMPRESSION, "on"));
    try (WireSocket ws = connect("alice", OFFER)) {
      assertEquals("permessage-deflate; client_no_context_takeover; server_no_context_takeover", ws.extensions());

      String large = chatText(3000);
      WireSocket.Message big = publish(ws, "alice", "note", large);
      assertTrue(big.compressed(), "RSV1 on a message of " + expected("note", large).length() + " bytes");
      assertTrue(big.text().startsWith(expected("note", large)), big.text());
      assertTrue(big.wireBytes() < 500, big.wireBytes() + " bytes on the wire");

      String small = chatText(900); // the packet stays under the 1024-byte threshold
      WireSocket.Message plain = publish(ws, "alice", "note", small);
      assertFalse(plain.compressed());
      assertTrue(plain.text().startsWith(expected("note", small)), plain.text());
      assertEquals(plain.text().length(), plain.wireBytes());
    }
  }

  @Test
  @DisplayName("on, the threshold is the deployment's: WS_COMPRESSION_THRESHOLD_BYTES=100 compresses a 900-character note")
  void threshold() throws IOException {
    gateway = TestGateway.start(c -> c.with(ConfigKey.WS_COMPRESSION, "on").with(ConfigKey.WS_COMPRESSION_THRESHOLD_BYTES, 100));
    try (WireSocket ws = connect("alice", OFFER)) {
      String text = chatText(900);
      WireSocket.Message m = publish(ws, "alice", "note", text);
      assertTrue(m.compressed());
      assertTrue(m.text().startsWith(expected("note", text)), m.text());
    }
  }

  @Test
  @DisplayName("on, a client that offers nothing gets plain frames, and the official Java client (no compression) still chats")
  void clientsWithoutCompression() throws IOException {
    gateway = TestGateway.start(c -> c.with(ConfigKey.WS_COMPRESSION, "on"));
    try (WireSocket ws = connect("alice", null)) {
      assertNull(ws.extensions());
      String text = chatText(3000);
      WireSocket.Message m = publish(ws, "alice", "note", text);
      assertFalse(m.compressed());
      assertTrue(m.text().startsWith(expected("note", text)), m.text());
    }
    var bob = gateway.connect("bob");
    assertTrue(bob.request("join-room", new JsonObject().put("roomId", "r1")).getBoolean("ok"));
  }
}
