package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.WireSocket;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** permessage-deflate on the Socket.IO WebSocket, seen on the wire. */
@ExtendWith(VertxExtension.class)
class WebSocketCompressionTest {
  private static final String URI = "/socket.io/?EIO=4&transport=websocket";
  private static final String BROWSER_OFFER = "permessage-deflate; client_max_window_bits";
  private static final int THRESHOLD = 1024;

  private static SocketIoOptions on() {
    return new SocketIoOptions().recoveryWindowMs(0).websocketCompression(true).compressionThreshold(THRESHOLD);
  }

  /** "say" / "letters" {n}: the server emits "text" of n characters; "bytes" {n}: n random bytes; "echo": acks its arguments back. */
  private static TestServer server(Vertx vertx, SocketIoOptions options) {
    return TestServer.start(vertx, options, io -> io.of("/").onConnection(socket -> {
      socket.on("say", (args, ack) -> socket.emit("text", chat(((Number) args.get(0)).intValue())));
      socket.on("letters", (args, ack) -> socket.emit("text", letters(((Number) args.get(0)).intValue())));
      socket.on("bytes", (args, ack) -> socket.emit("bytes", Buffer.buffer(noise(((Number) args.get(0)).intValue()))));
      socket.on("echo", (args, ack) -> ack.send(args.toArray()));
    }));
  }

  /** Text that compresses as chat does: words repeated with variation. */
  private static String chat(int chars) {
    String[] words = {"hello ", "room ", "message ", "switchboard ", "delivered ", "to ", "every ", "member "};
    Random random = new Random(chars);
    StringBuilder text = new StringBuilder(chars);
    while (text.length() < chars) {
      text.append(words[random.nextInt(words.length)]);
    }
    return text.substring(0, chars);
  }

  /** Letters of a 64-character alphabet at random: about 6 bits a byte, so deflate gains only a quarter. */
  private static String letters(int chars) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    Random random = new Random(chars);
    StringBuilder text = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      text.append(alphabet.charAt(random.nextInt(64)));
    }
    return text.toString();
  }

  private static byte[] noise(int bytes) {
    byte[] data = new byte[bytes];
    new Random(bytes).nextBytes(data);
    return data;
  }

  /** Opens the WebSocket with {@code offer} and connects to "/". */
  private static WireSocket connect(TestServer server, String offer) throws IOException {
    WireSocket ws = WireSocket.open(server.port(), URI, offer);
    assertTrue(ws.head().startsWith("http/1.1 101"), ws.head());
    assertTrue(ws.nextText().startsWith("0{"), "open packet");
    ws.sendText("40", false);
    assertTrue(ws.nextText().startsWith("40{"), "connected");
    return ws;
  }

  @Test
  @DisplayName("Off (the default), an offer of permessage-deflate is declined and nothing is compressed")
  void offByDefault(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, new SocketIoOptions().recoveryWindowMs(0));
         WireSocket ws = connect(server, BROWSER_OFFER)) {
      assertNull(ws.extensions(), ws.head());
      ws.sendText("42[\"say\",5000]", false);
      WireSocket.Message big = ws.next();
      assertFalse(big.compressed());
      assertEquals("42[\"text\",\"" + chat(5000) + "\"]", big.text());
    }
  }

  @Test
  @DisplayName("Off, a client that sends a compressed frame anyway is closed with 1002 (protocol error)")
  void rsvRefusedWhenOff(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, new SocketIoOptions().recoveryWindowMs(0));
         WireSocket ws = connect(server, BROWSER_OFFER)) {
      ws.sendText("42[\"echo\",\"" + chat(2000) + "\"]", true);
      assertEquals(1002, ws.nextCloseCode());
    }
  }

  @Test
  @DisplayName("On, the answer has no context takeover either way, and a client that offers nothing gets nothing")
  void negotiation(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on())) {
      try (WireSocket ws = connect(server, BROWSER_OFFER)) {
        assertEquals("permessage-deflate; client_no_context_takeover; server_no_context_takeover", ws.extensions());
      }
      try (WireSocket ws = connect(server, null)) {
        assertNull(ws.extensions());
        ws.sendText("42[\"say\",5000]", false);
        assertFalse(ws.next().compressed());
      }
      try (WireSocket ws = connect(server, "x-webkit-deflate-frame")) {
        assertNull(ws.extensions());
      }
    }
  }

  @Test
  @DisplayName("On, an offer for a smaller server window is declined, and the client's plain alternative taken")
  void serverWindowDeclined(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on())) {
      try (WireSocket ws = connect(server, "permessage-deflate; server_max_window_bits=10")) {
        assertNull(ws.extensions());
      }
      try (WireSocket ws = connect(server, "permessage-deflate; server_max_window_bits=10, permessage-deflate")) {
        assertEquals("permessage-deflate; client_no_context_takeover; server_no_context_takeover", ws.extensions());
      }
    }
  }

  @ParameterizedTest(name = "{0} characters")
  @ValueSource(ints = {THRESHOLD, 5_000, 60_000})
  @DisplayName("On, a text message of the threshold or more arrives compressed (RSV1), smaller on the wire, and intact")
  void largeTextCompressed(int chars, Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on()); WireSocket ws = connect(server, BROWSER_OFFER)) {
      // The packet is a few bytes longer than its text: 42["text","..."].
      ws.sendText("42[\"say\"," + chars + "]", false);
      WireSocket.Message m = ws.next();
      String expected = "42[\"text\",\"" + chat(chars) + "\"]";
      assertTrue(m.compressed(), "RSV1");
      assertEquals(expected, m.text());
      assertTrue(m.wireBytes() < expected.length() / 3, m.wireBytes() + " bytes on the wire for " + expected.length());
    }
  }

  @Test
  @DisplayName("On, a message under the threshold goes out uncompressed, byte for byte")
  void smallTextPlain(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on()); WireSocket ws = connect(server, BROWSER_OFFER)) {
      int chars = THRESHOLD - "42[\"text\",\"\"]".length() - 1; // one byte under the threshold
      ws.sendText("42[\"say\"," + chars + "]", false);
      WireSocket.Message m = ws.next();
      assertFalse(m.compressed(), "RSV1");
      assertEquals(THRESHOLD - 1, m.wireBytes());
      assertEquals("42[\"text\",\"" + chat(chars) + "\"]", m.text());
    }
  }

  @Test
  @DisplayName("On, a compressed message beyond one frame goes in fragments: RSV1 on the first only, intact once joined")
  void fragmented(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on()); WireSocket ws = connect(server, BROWSER_OFFER)) {
      int chars = 200_000; // about 150 KB compressed: three frames of at most 64 KB
      ws.sendText("42[\"letters\"," + chars + "]", false);
      WireSocket.Message m = ws.next();
      assertTrue(m.compressed());
      assertTrue(m.frames() >= 3, m.frames() + " frames for " + m.wireBytes() + " bytes");
      assertEquals("42[\"text\",\"" + letters(chars) + "\"]", m.text());
    }
  }

  @Test
  @DisplayName("On, binary attachments are compressed too, unless deflate would not make them smaller")
  void binary(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on()); WireSocket ws = connect(server, BROWSER_OFFER)) {
      ws.sendText("42[\"bytes\",4000]", false);
      assertTrue(ws.nextText().startsWith("451-[\"bytes\""));
      WireSocket.Message attachment = ws.next();
      assertEquals(WireSocket.BINARY, attachment.opcode());
      assertFalse(attachment.compressed(), "random bytes do not deflate: sent as they are");
      assertArrayEquals(noise(4000), attachment.data());
    }
  }

  @ParameterizedTest(name = "compressed: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("On, the client may send compressed messages or not, large or small; the server reads them intact")
  void clientCompresses(boolean compress, Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on()); WireSocket ws = connect(server, BROWSER_OFFER)) {
      for (int chars : new int[] {10, 3000, 100_000}) {
        String body = chat(chars);
        ws.sendText("421[\"echo\",\"" + body + "\"]", compress);
        assertEquals("431[\"" + body + "\"]", ws.next().text());
      }
    }
  }

  @Test
  @DisplayName("On, a compressed message that inflates beyond maxPayload closes the socket with 1009, small on the wire as it is")
  void inflateBomb(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on().maxPayload(100_000)); WireSocket ws = connect(server, BROWSER_OFFER)) {
      byte[] zeros = ("42[\"echo\",\"" + "0".repeat(10_000_000) + "\"]").getBytes(StandardCharsets.UTF_8);
      byte[] bomb = WireSocket.deflate(zeros);
      assertTrue(bomb.length < 100_000, "the frame itself is within maxPayload: " + bomb.length);
      ws.send(WireSocket.TEXT, 4, bomb);
      assertEquals(1009, ws.nextCloseCode());
    }
  }

  @Test
  @DisplayName("On, a compressed message that is no deflate data closes the socket with 1007")
  void corrupt(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on()); WireSocket ws = connect(server, BROWSER_OFFER)) {
      ws.send(WireSocket.TEXT, 4, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
      assertEquals(1007, ws.nextCloseCode());
    }
  }

  @Test
  @DisplayName("On, a broadcast reaches each member compressed and intact")
  void broadcast(Vertx vertx) throws IOException {
    try (TestServer server = server(vertx, on());
         WireSocket a = connect(server, BROWSER_OFFER);
         WireSocket b = connect(server, null)) {
      String text = chat(8000);
      assertEquals(2, server.io().of("/").broadcast().emit("news", text));
      WireSocket.Message toA = a.next();
      WireSocket.Message toB = b.next();
      String expected = "42[\"news\",\"" + text + "\"]";
      assertTrue(toA.compressed());
      assertFalse(toB.compressed(), "b offered no compression");
      assertEquals(expected, toA.text());
      assertEquals(expected, toB.text());
      assertEquals(new JsonArray().add("news").add(text).encode(), toA.text().substring(2));
    }
  }
}
