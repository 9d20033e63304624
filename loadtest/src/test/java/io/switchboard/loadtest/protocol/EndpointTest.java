package io.switchboard.loadtest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Gateway URLs")
class EndpointTest {

  @Test
  @DisplayName("default to the /socket.io/ path and open a direct WebSocket")
  void defaults() {
    Endpoint e = Endpoint.parse("http://127.0.0.1:3000");
    assertEquals("127.0.0.1", e.host());
    assertEquals(3000, e.port());
    assertEquals("/socket.io/?EIO=4&transport=websocket", e.webSocketUri());
    assertEquals("http://127.0.0.1:3000", e.httpBase());
  }

  @Test
  @DisplayName("keep a custom path and the scheme's default port")
  void customPath() {
    Endpoint e = Endpoint.parse("wss://chat.example/rt/socket.io");
    assertEquals(443, e.port());
    assertEquals(true, e.ssl());
    assertEquals("/rt/socket.io/?EIO=4&transport=websocket", e.webSocketUri());
  }

  @Test
  @DisplayName("refuse other schemes")
  void refuses() {
    assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("ftp://x:1"));
  }
}
