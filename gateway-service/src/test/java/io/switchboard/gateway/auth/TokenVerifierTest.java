package io.switchboard.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.gateway.auth.TokenVerifier.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Client tokens")
class TokenVerifierTest {
  private static final String SECRET = "a-test-secret-of-thirty-two-bytes!";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static AuthSettings secret() {
    return new AuthSettings(SECRET, "", "RS256", "", "", "", 5, 86_400, 300);
  }

  private static AuthSettings publicKey(String pem, String algorithm) {
    return new AuthSettings("", pem, algorithm, "", "", "", 5, 86_400, 300);
  }

  private static AuthSettings jwks(String location, long refreshSeconds) {
    return new AuthSettings("", "", "RS256", location, "issuer", "switchboard", 5, 86_400, refreshSeconds);
  }

  private ErrorCode refusal(TokenVerifier verifier, String token) {
    Throwable failure = assertThrows(RuntimeException.class, () -> await(verifier.verify(token)), "the token was accepted");
    return ServiceException.codeOf(failure);
  }

  private static JsonObject claims(String sub) {
    return new JsonObject().put("sub", sub).put("iat", Jwts.now()).put("exp", Jwts.now() + 600);
  }

  @Nested
  @DisplayName("must expire")
  class Expiry {
    @Test
    @DisplayName("a token without exp is refused: it would never expire")
    void withoutExp() {
      TokenVerifier verifier = await(TokenVerifier.create(vertx, secret()));
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.hs256(SECRET, new JsonObject().put("sub", "alice"))));
    }

    @Test
    @DisplayName("a token that lives longer than JWT_MAX_LIFETIME_SECONDS is refused, counted from iat or from now")
    void tooLong() {
      TokenVerifier verifier = await(TokenVerifier.create(vertx, secret()));
      long now = Jwts.now();
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.hs256(SECRET,
          new JsonObject().put("sub", "alice").put("exp", now + 2 * 86_400))), "two days ahead, no iat");
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.hs256(SECRET,
          new JsonObject().put("sub", "alice").put("iat", now - 2 * 86_400).put("exp", now + 60))), "issued for two days");
      Principal ok = await(verifier.verify(Jwts.hs256(SECRET, claims("alice"))));
      assertEquals("alice", ok.sender().userId());
    }
  }

  @Nested
  @DisplayName("name someone unambiguously")
  class Identity {
    @Test
    @DisplayName("a sub or tenant outside the documented character set is refused")
    void invalidIdentities() {
      TokenVerifier verifier = await(TokenVerifier.create(vertx, secret()));
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.hs256(SECRET, claims("two words"))));
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.hs256(SECRET, claims("x".repeat(129)))));
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.hs256(SECRET, claims("b").put("tenant", "a:b"))),
          "tenant a:b with user c would share keys with tenant a and user b:c");
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.hs256(SECRET, claims("b").put("tenant", 42))));
    }

    @Test
    @DisplayName("e-mail addresses, provider-prefixed ids and dotted tenants are accepted")
    void usualIdentities() {
      TokenVerifier verifier = await(TokenVerifier.create(vertx, secret()));
      Principal mail = await(verifier.verify(Jwts.hs256(SECRET, claims("ann@example.com").put("tenant", "acme.eu-1"))));
      assertEquals("ann@example.com", mail.sender().userId());
      assertEquals("acme.eu-1", mail.sender().tenant());
      assertEquals("auth0|5f1b:2", await(verifier.verify(Jwts.hs256(SECRET, claims("auth0|5f1b:2")))).sender().userId());
    }
  }

  @Nested
  @DisplayName("are verified only with keys fit for it")
  class Keys {
    @Test
    @DisplayName("an HMAC JWT_ALGORITHM with a public key refuses to start: the public key would forge tokens")
    void hmacWithPublicKey() {
      String pem = Jwts.publicPem(Jwts.rsa());
      RuntimeException e = assertThrows(RuntimeException.class, () -> await(TokenVerifier.create(vertx, publicKey(pem, "HS256"))));
      assertTrue(e.getMessage().contains("JWT_ALGORITHM"), e.getMessage());
    }

    @Test
    @DisplayName("an algorithm of another key type or curve refuses to start")
    void mismatchedKeyType() {
      String ecPem = Jwts.publicPem(Jwts.ec("secp384r1"));
      assertThrows(RuntimeException.class, () -> await(TokenVerifier.create(vertx, publicKey(ecPem, "RS256"))));
      assertThrows(RuntimeException.class, () -> await(TokenVerifier.create(vertx, publicKey(ecPem, "ES256"))));
      await(TokenVerifier.create(vertx, publicKey(ecPem, "ES384")));
      String rsaPem = Jwts.publicPem(Jwts.rsa());
      assertThrows(RuntimeException.class, () -> await(TokenVerifier.create(vertx, publicKey(rsaPem, "ES256"))));
      await(TokenVerifier.create(vertx, publicKey(rsaPem, "PS256")));
    }

    @Test
    @DisplayName("a JWKS without JWT_ISSUER and JWT_AUDIENCE refuses to start")
    void jwksNeedsIssuerAndAudience() {
      assertThrows(IllegalArgumentException.class,
          () -> new AuthSettings("", "", "RS256", "/keys.json", "", "switchboard", 5, 86_400, 300));
      assertThrows(IllegalArgumentException.class,
          () -> new AuthSettings("", "", "RS256", "/keys.json", "issuer", "", 5, 86_400, 300));
    }

    @Test
    @DisplayName("a JWKS with a symmetric (oct) key refuses to start")
    void jwksWithSecretKey() throws Exception {
      JsonObject oct = new JsonObject().put("kty", "oct").put("kid", "k").put("alg", "HS256").put("k", "c2VjcmV0");
      java.nio.file.Path file = java.nio.file.Files.createTempFile("jwks", ".json");
      java.nio.file.Files.writeString(file, new JsonObject().put("keys", new JsonArray().add(oct)).encode());
      RuntimeException e = assertThrows(RuntimeException.class, () -> await(TokenVerifier.create(vertx, jwks(file.toString(), 300))));
      assertTrue(e.getMessage().contains("oct"), e.getMessage());
    }
  }

  @Nested
  @DisplayName("follow the issuer's key set")
  class Rotation {
    private final AtomicReference<JsonObject> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private String serve() {
      HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
        fetches.incrementAndGet();
        req.response().putHeader("content-type", "application/json").end(served.get().encode());
      }).listen(0, "127.0.0.1"));
      return "http://127.0.0.1:" + server.actualPort() + "/jwks.json";
    }

    private JsonObject token(String sub) {
      return claims(sub).put("iss", "issuer").put("aud", "switchboard");
    }

    @Test
    @DisplayName("a token signed with a new key is accepted once the set is read again for its unknown kid, at most once per 30 s")
    void unknownKidRefreshes() {
      KeyPair first = Jwts.rsa();
      KeyPair second = Jwts.rsa();
      served.set(new JsonObject().put("keys", new JsonArray().add(Jwts.jwk(first, "k1"))));
      AtomicLong clock = new AtomicLong(1_000_000);
      TokenVerifier verifier = await(TokenVerifier.create(vertx, jwks(serve(), 3600), clock::get));
      assertEquals("alice", await(verifier.verify(Jwts.rs256(first, "k1", token("alice")))).sender().userId());
      assertEquals(1, fetches.get());

      served.set(new JsonObject().put("keys", new JsonArray().add(Jwts.jwk(first, "k1")).add(Jwts.jwk(second, "k2"))));
      assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.rs256(second, "k2", token("bob"))),
          "within 30 s of the last read, the set is not read again");
      clock.addAndGet(KeySet.MIN_REFRESH_MS);
      assertEquals("bob", await(verifier.verify(Jwts.rs256(second, "k2", token("bob")))).sender().userId());
      assertEquals(2, fetches.get(), "read again for the unknown kid");

      KeyPair forged = Jwts.rsa();
      for (int i = 0; i < 5; i++) {
        assertEquals(ErrorCode.AUTH_FAILED, refusal(verifier, Jwts.rs256(forged, "k-" + i, token("mallory"))));
      }
      assertEquals(2, fetches.get(), "unknown kids do not make the gateway hammer the issuer");
    }

    @Test
    @DisplayName("the set is read again every JWT_JWKS_REFRESH_SECONDS")
    void periodicRefresh() {
      served.set(new JsonObject().put("keys", new JsonArray().add(Jwts.jwk(Jwts.rsa(), "k1"))));
      TokenVerifier verifier = await(TokenVerifier.create(vertx, jwks(serve(), 1)));
      long deadline = System.currentTimeMillis() + 10_000;
      while (fetches.get() < 3 && System.currentTimeMillis() < deadline) {
        await(vertx.timer(100));
      }
      assertTrue(fetches.get() >= 3, "fetches: " + fetches.get());
      verifier.close();
    }
  }
}
