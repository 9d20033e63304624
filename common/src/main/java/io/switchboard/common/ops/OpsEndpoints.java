package io.switchboard.common.ops;

import io.switchboard.common.runtime.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.micrometer.core.instrument.Gauge;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code /health} (liveness: the process answers), {@code /ready} (readiness: every registered
 * dependency check passes and the service is not draining) and {@code /metrics} (Prometheus text)
 * for one service. Checks that do not answer within two seconds count as down.
 */
public final class OpsEndpoints {
  private static final long CHECK_TIMEOUT_MS = 2000;
  private static final long REFRESH_MS = 5000;

  private final Vertx vertx;
  private final HealthChecks liveness;
  private final HealthChecks readiness;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean starting = new AtomicBoolean();
  private final AdminAuth admin;
  private long refreshTimer = -1;
  private HttpServer server;

  /** Without an admin token: the log-level endpoint answers 401 to everyone. */
  public OpsEndpoints(Vertx vertx, String service) {
    this(vertx, service, "");
  }

  public OpsEndpoints(Vertx vertx, String service, String adminToken) {
    this.vertx = vertx;
    this.admin = new AdminAuth(adminToken);
    this.liveness = HealthChecks.create(vertx).register(service, p -> p.complete(Status.OK()));
    this.readiness = HealthChecks.create(vertx)
        .register("draining", p -> p.complete(draining.get() ? Status.KO() : Status.OK()))
        .register("started", p -> p.complete(starting.get() ? Status.KO() : Status.OK()));
  }

  /**
   * For a service whose probes listen before it serves (the gateway warms up first): {@code /ready}
   * answers 503 until {@link #started}, so no load balancer sends it clients it cannot take yet.
   */
  public OpsEndpoints starting() {
    starting.set(true);
    return this;
  }

  public void started() {
    starting.set(false);
  }

  /**
   * A readiness check: ready while the future it returns succeeds. Its last result is also exported
   * as the gauge {@code switchboard_dependency_up{dependency=name}}, refreshed every few seconds.
   */
  public OpsEndpoints readiness(String name, Supplier<Future<?>> check) {
    AtomicInteger up = new AtomicInteger();
    Gauge.builder("switchboard.dependency.up", up, AtomicInteger::get)
        .description("1 when the dependency answered its last check").tag("dependency", name)
        .register(Node.meters(vertx));
    readiness.register(name, CHECK_TIMEOUT_MS, p -> check.get().onComplete(
        ok -> {
          up.set(1);
          p.tryComplete(Status.OK());
        },
        failure -> {
          up.set(0);
          p.tryComplete(Status.KO());
        }));
    if (refreshTimer < 0) {
      refreshTimer = vertx.setPeriodic(REFRESH_MS, id -> readiness.checkStatus());
    }
    return this;
  }

  /** Stops the periodic dependency checks and the server {@link #listen} started. */
  public Future<Void> close() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** From now on {@code /ready} answers 503, so load balancers stop sending new work. */
  public void startDrain() {
    draining.set(true);
  }

  public boolean draining() {
    return draining.get();
  }

  public Future<Boolean> ready() {
    return readiness.checkStatus().map(r -> Boolean.TRUE.equals(r.getUp()));
  }

  /** Serves {@code /health}, {@code /ready}, {@code /metrics}, and {@code /admin/log-level} for the admin token. */
  public void mount(Router router) {
    mountProbes(router);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(Node.id(vertx)));
    router.route("/admin/log-level").handler(this::logLevel);
  }

  /** Serves only {@code /health} and {@code /ready}: what a public port may show (status, no figures). */
  public void mountProbes(Router router) {
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
  }

  /** Passes requests that carry the operator's admin token; answers 401 to the others, audited. */
  public void requireAdmin(RoutingContext ctx) {
    if (admin.allows(AdminAuth.bearer(ctx.request().getHeader("Authorization")))) {
      ctx.next();
    } else {
      Audit.event("admin.refused", null, null, String.valueOf(ctx.request().remoteAddress()), null,
          ctx.request().method() + " " + ctx.request().path());
      ctx.response().setStatusCode(401).end();
    }
  }

  /**
   * {@code GET|PUT /admin/log-level?logger=io.switchboard&level=DEBUG}, with the operator's admin
   * bearer token (never a tenant admin's: log levels are the whole process's). Audited.
   */
  private void logLevel(RoutingContext ctx) {
    String address = String.valueOf(ctx.request().remoteAddress());
    String what = ctx.request().method() + " " + ctx.request().path();
    if (!admin.allows(AdminAuth.bearer(ctx.request().getHeader("Authorization")))) {
      Audit.event("admin.refused", null, null, address, null, what);
      ctx.response().setStatusCode(401).end();
      return;
    }
    String logger = ctx.request().getParam("logger");
    boolean change = ctx.request().method() == HttpMethod.PUT || ctx.request().method() == HttpMethod.POST;
    Audit.event("admin.request", "operator", null, address, null,
        change ? what + " " + logger + "=" + ctx.request().getParam("level") : what);
    try {
      JsonObject result = change ? LogLevels.set(logger, ctx.request().getParam("level")) : LogLevels.get(logger);
      ctx.response().putHeader("content-type", "application/json").end(result.encode());
    } catch (IllegalArgumentException invalid) {
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", invalid.getMessage()).encode());
    }
  }

  /** A server with just these endpoints, for services that have no HTTP API of their own. */
  public Future<HttpServer> listen(String host, int port) {
    return listen(host, port, router -> {});
  }

  /** A server with these endpoints and those {@code more} adds. */
  public Future<HttpServer> listen(String host, int port, java.util.function.Consumer<Router> more) {
    Router router = Router.router(vertx);
    mount(router);
    more.accept(router);
    return vertx.createHttpServer().requestHandler(router).listen(port, host)
        .onSuccess(server -> this.server = server);
  }
}
