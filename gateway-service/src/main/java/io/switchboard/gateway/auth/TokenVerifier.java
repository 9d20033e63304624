package io.switchboard.gateway.auth;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.Tenants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Verifies client JWTs (HS256 with a secret, or RS256 with a public key), checks issuer and audience
 * when configured, and turns the claims into the {@link Sender} of the connection: {@code sub} is the
 * user id, {@code name} the display name, {@code tenant} the tenant (default tenant when absent).
 * An expired token is {@code TOKEN_EXPIRED}; any other problem is {@code AUTH_FAILED}.
 */
public final class TokenVerifier {
  private static final int LEEWAY_SECONDS = 30;

  private final JWTAuth jwt;

  private TokenVerifier(JWTAuth jwt) {
    this.jwt = jwt;
  }

  public static TokenVerifier create(Vertx vertx, AuthSettings settings) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(jwtOptions(settings));
    if (!settings.publicKey().isBlank()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(pem(settings.publicKey())));
    } else {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.secret()));
    }
    return new TokenVerifier(JWTAuth.create(vertx, options));
  }

  private static JWTOptions jwtOptions(AuthSettings settings) {
    JWTOptions options = new JWTOptions().setLeeway(LEEWAY_SECONDS);
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
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("auth: cannot read JWT public key file " + keyOrPath + ": " + e.getMessage());
    }
  }

  /** The sender a token speaks for, or a failed future coded AUTH_FAILED or TOKEN_EXPIRED. */
  public Future<Sender> verify(Object token) {
    if (!(token instanceof String raw) || raw.isBlank()) {
      return Future.failedFuture(ServiceException.of(ErrorCode.AUTH_FAILED, "missing token"));
    }
    return jwt.authenticate(new TokenCredentials(raw))
        .recover(failure -> Future.failedFuture(isExpiry(failure)
            ? ServiceException.of(ErrorCode.TOKEN_EXPIRED, "token expired")
            : ServiceException.of(ErrorCode.AUTH_FAILED, "invalid token")))
        .compose(user -> {
          JsonObject claims = user.principal();
          String sub = claims.getValue("sub") instanceof String s ? s : null;
          if (sub == null || sub.isBlank() || sub.length() > 128) {
            return Future.failedFuture(ServiceException.of(ErrorCode.AUTH_FAILED, "token has no valid sub claim"));
          }
          String name = claims.getValue("name") instanceof String n ? n : sub;
          String tenant = claims.getValue("tenant") instanceof String t ? t : null;
          return Future.succeededFuture(new Sender(Tenants.orDefault(tenant), sub, name));
        });
  }

  private static boolean isExpiry(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.toLowerCase().contains("expired");
  }

  /** Mints a token; only used by {@link DevTokens} in dev mode and by tests. */
  public String mint(JsonObject claims, int expiresInSeconds) {
    return jwt.generateToken(claims, new JWTOptions().setExpiresInSeconds(expiresInSeconds));
  }

  /** The auth part of the configuration. */
  public record AuthSettings(String secret, String publicKey, String issuer, String audience) {}

}
