package io.switchboard.gateway.auth;

import io.switchboard.common.chat.Identities;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Dev mode only: {@code GET /dev/token?user=alice[&name=Alice][&tenant=acme]} answers
 * {@code {token}} signed with the development secret. The gateway mounts this route only when the
 * launcher resolved dev mode, which it never does while a real secret or key is configured.
 *
 * <p>Dev mode that nobody asked for (no key configured, {@code SWITCHBOARD_DEV_MODE=auto}) mints
 * tokens for this machine only: a request from another address, or one relayed by a proxy (it
 * carries {@code Forwarded} or {@code X-Forwarded-For}), answers 403. Only an explicit
 * {@code SWITCHBOARD_DEV_MODE=on} serves other machines.
 *
 * <p>{@code GET /dev/status} answers {@code {devTokens}} with 200 in every mode: whether
 * {@code /dev/token} would mint a token for this caller. The chat app asks it to choose between its
 * name field and its token field, so that a normal visit logs no failed request.
 */
public final class DevTokens {
  private static final int TTL_SECONDS = 24 * 3600;

  /** Who may mint development tokens. */
  public enum Access {
    /** No dev mode: the route is not mounted. */
    NONE,
    /** Dev mode by default: requests from this machine only. */
    LOOPBACK,
    /** Dev mode asked for explicitly: every address. */
    ANY
  }

  private final TokenVerifier verifier;
  private final Access access;

  public DevTokens(TokenVerifier verifier, Access access) {
    this.verifier = verifier;
    this.access = access;
  }

  /** {@code GET /dev/status}: mounted in every mode, so that asking never fails. */
  public void status(RoutingContext ctx) {
    ctx.response().putHeader("cache-control", "no-store");
    reply(ctx, 200, new JsonObject().put("devTokens", serves(ctx)));
  }

  private boolean serves(RoutingContext ctx) {
    return access == Access.ANY || access == Access.LOOPBACK && fromThisMachine(ctx);
  }

  public void handle(RoutingContext ctx) {
    if (!serves(ctx)) {
      reply(ctx, 403, new JsonObject().put("error",
          "dev tokens are served to this machine only (set SWITCHBOARD_DEV_MODE=on to serve others)"));
      return;
    }
    String user = ctx.request().getParam("user");
    String tenant = ctx.request().getParam("tenant");
    String problem = user == null ? "query parameter 'user' is required" : Identities.userIdProblem(user);
    if (problem == null && tenant != null && !tenant.isBlank()) {
      problem = Identities.tenantProblem(tenant);
    }
    if (problem != null) {
      reply(ctx, 400, new JsonObject().put("error", problem));
      return;
    }
    JsonObject claims = new JsonObject().put("sub", user).put("name", orElse(ctx.request().getParam("name"), user));
    if (tenant != null && !tenant.isBlank()) {
      claims.put("tenant", tenant);
    }
    ctx.response().putHeader("cache-control", "no-store");
    reply(ctx, 200, new JsonObject().put("token", verifier.mint(claims, TTL_SECONDS)).put("user", user));
  }

  /** A direct connection from a loopback address; a request relayed by a proxy never is. */
  static boolean fromThisMachine(RoutingContext ctx) {
    if (ctx.request().headers().contains("Forwarded") || ctx.request().headers().contains("X-Forwarded-For")) {
      return false;
    }
    SocketAddress remote = ctx.request().connection().remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    if (host == null || host.isEmpty()) {
      return false;
    }
    try {
      // An IP literal: no name lookup happens.
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
