package io.switchboard.gateway.http;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Identities;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
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

  /**
   * The request's body as a JSON object with a valid {@code tenant}, or null once the request was
   * answered {@code VALIDATION_ERROR} ({@code what}: whose tenant, for the message).
   */
  static JsonObject tenantBody(RoutingContext ctx, String what) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException notJson) {
      body = null;
    }
    String tenant = body != null && body.getValue("tenant") instanceof String t ? t : null;
    if (tenant == null || Identities.tenantProblem(tenant) != null) {
      failed(ctx, ErrorCode.VALIDATION_ERROR, "a JSON object with " + what + " (tenant) is required", null);
      return null;
    }
    return body;
  }

  /** Sends {@code body} to message-service's {@code address}: 200 with its reply, or its failure as {@link #failed}. */
  static void forward(RoutingContext ctx, EventBus bus, String address, JsonObject body, DeliveryOptions options) {
    bus.<JsonObject>request(address, body, options).map(Message::body).onComplete(
        reply -> reply(ctx, 200, reply),
        failure -> failed(ctx, ServiceException.codeOf(failure), failure.getMessage(), ServiceException.extraOf(failure)));
  }

  static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
