package io.switchboard.loadtest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Minted tokens")
class JwtTest {

  @Test
  @DisplayName("verify as HS256 with the same secret and carry the user id in sub")
  void verifies() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("s3cret")));
      String token = new Jwt("s3cret", 3600).mint("user-1");
      User user = auth.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      JsonObject claims = user.principal();
      assertEquals("user-1", claims.getString("sub"));
      assertEquals("user-1", claims.getString("name"));
    } finally {
      vertx.close();
    }
  }

  @Test
  @DisplayName("are not minted without a secret")
  void needsSecret() {
    assertThrows(IllegalArgumentException.class, () -> new Jwt("", 60));
  }
}
