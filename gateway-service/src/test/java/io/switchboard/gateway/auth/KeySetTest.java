package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TokenVerifierTest.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading a JWKS from a key server that misbehaves")
class KeySetTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private String serve(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
    HttpServer server = await(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + server.actualPort() + "/jwks.json";
  }

  private KeySet keySet(String url, int timeoutMs) {
    return new KeySet(vertx, url, keys -> {}, System::currentTimeMillis, timeoutMs);
  }

  @Test
  @DisplayName("a document larger than the limit is refused, without being held whole")
  void oversized() {
    String url = serve(req -> req.response().setChunked(true).end("{\"keys\":[" + "{\"kty\":\"RSA\"},".repeat(40_000) + "]}"));
    RuntimeException e = assertThrows(RuntimeException.class, () -> await(keySet(url, 5000).start(0)));
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
  }

  @Test
  @DisplayName("a server that never answers, or trickles its answer, is given up after the time limit")
  void slow() {
    String silent = serve(req -> {});
    long start = System.currentTimeMillis();
    assertThrows(RuntimeException.class, () -> await(keySet(silent, 500).start(0)));
    String trickle = serve(req -> {
      req.response().setChunked(true).write("{\"keys\":[");
      vertx.setPeriodic(100, id -> req.response().write(" "));
    });
    assertThrows(RuntimeException.class, () -> await(keySet(trickle, 500).start(0)));
    assertTrue(System.currentTimeMillis() - start < 5000, "both given up in about a second");
  }

  @Test
  @DisplayName("a document that is not a key set is refused with a message naming it")
  void notAKeySet() {
    String url = serve(req -> req.response().end("<html>login</html>"));
    RuntimeException e = assertThrows(RuntimeException.class, () -> await(keySet(url, 5000).start(0)));
    assertTrue(e.getMessage().contains(url), e.getMessage());
  }
}
