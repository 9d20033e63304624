package io.switchboard.gateway.auth;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Identities;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.Tenants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Verifies client JWTs with vertx-auth-jwt: HS256 with a secret, a public key (RS256, ES256, ...), or
 * the keys of a JWKS document (file or URL, kept current by {@link KeySet}). What a token must hold:
 *
 * <ul>
 *   <li>a valid signature by a configured key, {@code iss} and {@code aud} when configured (with a
 *       JWKS both are required: a key set is usually shared by every application of the issuer);
 *   <li>{@code exp}, no further away than the maximum lifetime: a token never outlives it;
 *   <li>{@code sub} and {@code tenant} (default tenant when absent) as {@link Identities} allows.
 * </ul>
 *
 * The claims become a {@link Principal}. An expired token is {@code TOKEN_EXPIRED}; any other
 * problem {@code AUTH_FAILED}.
 */
public final class TokenVerifier {
  private final Vertx vertx;
  private final AuthSettings settings;
  private final List<PubSecKeyOptions> staticKeys;
  private final KeySet keySet;
  private volatile JWTAuth jwt;

  /** The auth part of the configuration. */
  public record AuthSettings(String secret, String publicKey, String algorithm, String jwks, String issuer,
      String audience, int clockSkewSeconds, long maxLifetimeSeconds, long jwksRefreshSeconds) {

    /** Refuses settings under which a token could be forged or never expire. */
    public AuthSettings {
      if (secret.isBlank() && publicKey.isBlank() && jwks.isBlank()) {
        throw new IllegalArgumentException("auth: one of JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS is required");
      }
      if (!jwks.isBlank() && (issuer.isBlank() || audience.isBlank())) {
        throw new IllegalArgumentException("auth: JWT_JWKS needs JWT_ISSUER and JWT_AUDIENCE: a key set verifies "
            + "every token its issuer signs, for any application");
      }
      if (maxLifetimeSeconds <= 0) {
        throw new IllegalArgumentException("auth: JWT_MAX_LIFETIME_SECONDS must be positive");
      }
    }
  }

  private TokenVerifier(Vertx vertx, AuthSettings settings, List<PubSecKeyOptions> staticKeys, LongSupplier clockMs) {
    this.vertx = vertx;
    this.settings = settings;
    this.staticKeys = staticKeys;
    this.keySet = settings.jwks().isBlank() ? null
        : new KeySet(vertx, settings.jwks(), this::trust, clockMs, KeySet.TIMEOUT_MS);
    if (keySet == null) {
      trust(List.of());
    }
  }

  /** Clock skew allowed between token issuers and this node. */
  public int skewSeconds() {
    return settings.clockSkewSeconds();
  }

  /** Builds the verifier; a JWKS URL is fetched first, so this may take a network round trip. */
  public static Future<TokenVerifier> create(Vertx vertx, AuthSettings settings) {
    return create(vertx, settings, System::currentTimeMillis);
  }

  /** With the clock that throttles key-set reads; for tests. */
  static Future<TokenVerifier> create(Vertx vertx, AuthSettings settings, LongSupplier clockMs) {
    List<PubSecKeyOptions> keys = new java.util.ArrayList<>();
    try {
      if (!settings.secret().isBlank()) {
        keys.add(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.secret()));
      }
      if (!settings.publicKey().isBlank()) {
        keys.add(SigningKeys.publicKey(settings.publicKey(), settings.algorithm()));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    TokenVerifier verifier = new TokenVerifier(vertx, settings, List.copyOf(keys), clockMs);
    return verifier.keySet == null ? Future.succeededFuture(verifier)
        : verifier.keySet.start(settings.jwksRefreshSeconds() * 1000).map(verifier);
  }

  /** Verifies with the static keys plus {@code jwks} from now on. */
  private void trust(List<JsonObject> jwks) {
    JWTOptions options = new JWTOptions().setLeeway(settings.clockSkewSeconds());
    if (!settings.issuer().isBlank()) {
      options.setIssuer(settings.issuer());
    }
    if (!settings.audience().isBlank()) {
      options.setAudience(List.of(settings.audience()));
    }
    JWTAuthOptions auth = new JWTAuthOptions().setJWTOptions(options);
    staticKeys.forEach(auth::addPubSecKey);
    jwks.forEach(auth::addJwk);
    jwt = JWTAuth.create(vertx, auth);
  }

  /** The principal a token speaks for, or a failed future coded AUTH_FAILED or TOKEN_EXPIRED. */
  public Future<Principal> verify(Object token) {
    if (!(token instanceof String raw) || raw.isBlank() || raw.length() > 8192) {
      return Future.failedFuture(ServiceException.of(ErrorCode.AUTH_FAILED, "missing or oversized token"));
    }
    String kid = keySet == null ? null : keyId(raw);
    Future<Void> keysReady = kid != null && !keySet.knows(kid) ? keySet.refreshSoon() : Future.succeededFuture();
    return keysReady.compose(v -> jwt.authenticate(new TokenCredentials(raw)))
        .recover(failure -> Future.failedFuture(isExpiry(failure)
            ? ServiceException.of(ErrorCode.TOKEN_EXPIRED, "token expired")
            : ServiceException.of(ErrorCode.AUTH_FAILED, "invalid token")))
        // The decoded payload; vertx-auth-jwt moves exp, iat and nbf out of the principal.
        .compose(user -> principal(user.attributes().getJsonObject("accessToken", user.principal())));
  }

  private Future<Principal> principal(JsonObject claims) {
    String sub = claims.getValue("sub") instanceof String s ? s : null;
    if (Identities.userIdProblem(sub) != null) {
      return refused("token has no valid sub claim");
    }
    Object tenantClaim = claims.getValue("tenant");
    if (tenantClaim != null && !(tenantClaim instanceof String t && Identities.tenantProblem(t) == null)) {
      return refused("token has an invalid tenant claim");
    }
    if (!(claims.getValue("exp") instanceof Number expClaim)) {
      return refused("token has no exp claim");
    }
    long exp = expClaim.longValue();
    long now = System.currentTimeMillis() / 1000;
    long lifetime = claims.getValue("iat") instanceof Number iat ? exp - iat.longValue() : exp - now;
    if (lifetime > settings.maxLifetimeSeconds() || exp - now > settings.maxLifetimeSeconds() + settings.clockSkewSeconds()) {
      return refused("token lives longer than JWT_MAX_LIFETIME_SECONDS");
    }
    // The name is often the user id: then the same string, not a copy, for the connection's life.
    String name = claims.getValue("name") instanceof String n && !n.equals(sub) ? n : sub;
    return Future.succeededFuture(new Principal(new Sender(Tenants.orDefault((String) tenantClaim), sub, name), exp,
        isAdmin(claims)));
  }

  private static Future<Principal> refused(String why) {
    return Future.failedFuture(ServiceException.of(ErrorCode.AUTH_FAILED, why));
  }

  /** The {@code kid} of a token's header, or null when it has none or the header is not JSON. */
  private static String keyId(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8));
      return header.getValue("kid") instanceof String kid ? kid : null;
    } catch (RuntimeException e) {
      return null;
    }
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

  /** Stops refreshing the key set. */
  public void close() {
    if (keySet != null) {
      keySet.close();
    }
  }
}
