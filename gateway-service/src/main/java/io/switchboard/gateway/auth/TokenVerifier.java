package io.switchboard.gateway.auth;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.Tenants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Verifies client JWTs with vertx-auth-jwt: HS256 with a secret, a public key (RS256, ES256, ...), or
 * the keys of a JWKS document (file or URL); checks issuer and audience when configured, with the
 * configured clock skew. The claims become a {@link Principal}: {@code sub} is the user id, {@code name} the
 * display name, {@code tenant} the tenant (default tenant when absent). An expired token is
 * {@code TOKEN_EXPIRED}; any other problem {@code AUTH_FAILED}.
 */
public final class TokenVerifier {
  private final JWTAuth jwt;
  private final int skewSeconds;

  private TokenVerifier(JWTAuth jwt, int skewSeconds) {
    this.jwt = jwt;
    this.skewSeconds = skewSeconds;
  }

  /** The auth part of the configuration. */
  public record AuthSettings(String secret, String publicKey, String algorithm, String jwks, String issuer,
      String audience, int clockSkewSeconds) {}

  /** Clock skew allowed between token issuers and this node. */
  public int skewSeconds() {
    return skewSeconds;
  }

  /** Builds the verifier; a JWKS URL is fetched first, so this may take a network round trip. */
  public static Future<TokenVerifier> create(Vertx vertx, AuthSettings settings) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(jwtOptions(settings));
    if (!settings.secret().isBlank()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.secret()));
    }
    if (!settings.publicKey().isBlank()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(settings.algorithm()).setBuffer(pem(settings.publicKey())));
    }
    Future<JsonArray> keys = settings.jwks().isBlank() ? Future.succeededFuture(new JsonArray()) : jwks(vertx, settings.jwks());
    return keys.map(list -> {
      list.forEach(key -> options.addJwk((JsonObject) key));
      return new TokenVerifier(JWTAuth.create(vertx, options), settings.clockSkewSeconds());
    });
  }

  private static JWTOptions jwtOptions(AuthSettings settings) {
    JWTOptions options = new JWTOptions().setLeeway(settings.clockSkewSeconds());
    if (!settings.issuer().isBlank()) {
      options.setIssuer(settings.issuer());
    }
    if (!settings.audience().isBlank()) {
      options.setAudience(List.of(settings.audience()));
    }
    return options;
  }

  private static String pem(String keyOrPath) {
    if (keyOrPath.contains("-----BEGIN")) {
      return keyOrPath;
    }
    try {
      return Files.readString(Path.of(keyOrPath));
    } catch (IOException e) {
      throw new IllegalArgumentException("auth: cannot read JWT_PUBLIC_KEY file " + keyOrPath + ": " + e.getMessage());
    }
  }

  /** The {@code keys} of a JWKS document from a file or an http(s) URL. */
  private static Future<JsonArray> jwks(Vertx vertx, String location) {
    Future<Buffer> document;
    if (location.startsWith("http://") || location.startsWith("https://")) {
      document = vertx.createHttpClient()
          .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(location).setTimeout(10_000))
          .compose(req -> req.send())
          .compose(res -> res.statusCode() == 200 ? res.body()
              : Future.failedFuture("auth: JWKS " + location + " answered " + res.statusCode()));
    } else {
      document = vertx.fileSystem().readFile(location);
    }
    return document.map(body -> {
      JsonArray keys = new JsonObject(body).getJsonArray("keys");
      if (keys == null || keys.isEmpty()) {
        throw new IllegalArgumentException("auth: JWKS " + location + " has no keys");
      }
      return keys;
    });
  }

  /** The principal a token speaks for, or a failed future coded AUTH_FAILED or TOKEN_EXPIRED. */
  public Future<Principal> verify(Object token) {
    if (!(token instanceof String raw) || raw.isBlank() || raw.length() > 8192) {
      return Future.failedFuture(ServiceException.of(ErrorCode.AUTH_FAILED, "missing or oversized token"));
    }
    return jwt.authenticate(new TokenCredentials(raw))
        .recover(failure -> Future.failedFuture(isExpiry(failure)
            ? ServiceException.of(ErrorCode.TOKEN_EXPIRED, "token expired")
            : ServiceException.of(ErrorCode.AUTH_FAILED, "invalid token")))
        .compose(user -> {
          // The decoded payload; vertx-auth-jwt moves exp, iat and nbf out of the principal.
          JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
          String sub = claims.getValue("sub") instanceof String s ? s : null;
          if (sub == null || sub.isBlank() || sub.length() > 128) {
            return Future.failedFuture(ServiceException.of(ErrorCode.AUTH_FAILED, "token has no valid sub claim"));
          }
          String name = claims.getValue("name") instanceof String n ? n : sub;
          String tenant = claims.getValue("tenant") instanceof String t ? t : null;
          Long exp = claims.getValue("exp") instanceof Number n ? n.longValue() : null;
          return Future.succeededFuture(new Principal(new Sender(Tenants.orDefault(tenant), sub, name), exp, isAdmin(claims)));
        });
  }

  private static boolean isAdmin(JsonObject claims) {
    if ("admin".equals(claims.getValue("role"))) {
      return true;
    }
    return claims.getValue("roles") instanceof JsonArray roles && roles.contains("admin");
  }

  private static boolean isExpiry(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.toLowerCase().contains("expired");
  }

  /** Mints a token; only used by {@link DevTokens} in dev mode and by tests. */
  public String mint(JsonObject claims, int expiresInSeconds) {
    return jwt.generateToken(claims, new JWTOptions().setExpiresInSeconds(expiresInSeconds));
  }

}
