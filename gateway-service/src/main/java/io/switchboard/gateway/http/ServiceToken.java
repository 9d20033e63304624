package io.switchboard.gateway.http;

import io.switchboard.common.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The check of the HTTP API for other services: {@code Authorization: Bearer <SERVICE_TOKEN>},
 * compared in constant time; 401 without a bearer token, 403 with a wrong one or while none is
 * configured.
 */
final class ServiceToken {
  private final byte[] token;

  ServiceToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the request carries the service token; if not, it has been answered. */
  boolean admit(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      reply(ctx, 401, new JsonObject().put("ok", false).put("error", "missing bearer token"));
      return false;
    }
    byte[] presented = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
    if (token.length == 0 || !MessageDigest.isEqual(presented, token)) {
      reply(ctx, 403, new JsonObject().put("ok", false).put("error", "wrong service token"));
      return false;
    }
    return true;
  }

  /**
   * A refusal of the service API: {@code {ok: false, error: {code, message, ...extra}}} with the
   * code's bus code as the HTTP status when it is one (400 otherwise).
   */
  static void failed(RoutingContext ctx, ErrorCode code, String message, JsonObject extra) {
    int status = code.busCode() >= 400 && code.busCode() < 600 ? code.busCode() : 400;
    JsonObject error = extra == null ? new JsonObject() : extra.copy();
    reply(ctx, status, new JsonObject().put("ok", false)
        .put("error", error.put("code", code.name()).put("message", message)));
  }

  static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
