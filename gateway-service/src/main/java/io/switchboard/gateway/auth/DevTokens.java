package io.switchboard.gateway.auth;

import io.switchboard.common.chat.MessageRules;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Dev mode only: {@code GET /dev/token?user=alice[&name=Alice][&tenant=acme]} answers
 * {@code {token}} signed with the development secret. The gateway mounts this route only when the
 * launcher resolved dev mode, which it never does while a real secret or key is configured.
 */
public final class DevTokens {
  private static final int TTL_SECONDS = 24 * 3600;

  private final TokenVerifier verifier;

  public DevTokens(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  public void handle(RoutingContext ctx) {
    String user = ctx.request().getParam("user");
    if (user == null || !MessageRules.ROOM_ID.matcher(user).matches()) {
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "query parameter 'user' must match [A-Za-z0-9:_-]{1,128}").encode());
      return;
    }
    JsonObject claims = new JsonObject().put("sub", user).put("name", orElse(ctx.request().getParam("name"), user));
    String tenant = ctx.request().getParam("tenant");
    if (tenant != null && !tenant.isBlank()) {
      claims.put("tenant", tenant);
    }
    ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
        .end(new JsonObject().put("token", verifier.mint(claims, TTL_SECONDS)).put("user", user).encode());
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
