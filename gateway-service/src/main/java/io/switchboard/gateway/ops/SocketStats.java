package io.switchboard.gateway.ops;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.common.runtime.Node;
import io.switchboard.gateway.chat.ConnectionRegistry;
import io.switchboard.socketio.Namespace;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * {@code /socket-health} and {@code /socket-metrics}: the JSON views the system Switchboard replaces
 * offered, computed from the same meters as {@code /metrics}. Rates are sampled once a second.
 */
public final class SocketStats {
  private static final String[] TRANSPORTS = {"websocket", "polling"};

  private final Vertx vertx;
  private final ConnectionRegistry connections;
  private final IntSupplier sessions;
  private final Namespace namespace;
  private final GatewayMetrics metrics;
  private final BooleanSupplier draining;
  private final int memoryThresholdPercent;
  private final long timerId;
  private volatile double eventsPerSecond;
  private volatile double messagesPerSecond;
  private double lastEvents;
  private double lastMessages;

  /** {@code sessions}: Engine.IO sessions open, connected or not. */
  public SocketStats(Vertx vertx, ConnectionRegistry connections, IntSupplier sessions, Namespace namespace,
      GatewayMetrics metrics, BooleanSupplier draining, int memoryThresholdPercent) {
    this.vertx = vertx;
    this.connections = connections;
    this.sessions = sessions;
    this.namespace = namespace;
    this.metrics = metrics;
    this.draining = draining;
    this.memoryThresholdPercent = memoryThresholdPercent;
    this.timerId = vertx.setPeriodic(1000, id -> sample());
  }

  private void sample() {
    double events = metrics.eventsDelivered();
    double messages = metrics.messagesReceived();
    eventsPerSecond = events - lastEvents;
    messagesPerSecond = messages - lastMessages;
    lastEvents = events;
    lastMessages = messages;
  }

  public void health(RoutingContext ctx) {
    JsonObject memory = memory();
    String status = draining.getAsBoolean() ? "draining"
        : memory.getLong("used") > memory.getLong("threshold") ? "degraded" : "healthy";
    JsonObject body = new JsonObject()
        .put("status", status)
        .put("connections", connections.size())
        .put("memory", memory)
        .put("performance", new JsonObject()
            .put("latency", percentile(metrics.deliveryLatency(), 0.95))
            .put("errors", 0));
    ctx.response().setStatusCode("healthy".equals(status) ? 200 : 503)
        .putHeader("content-type", "application/json").end(body.encode());
  }

  public void metrics(RoutingContext ctx) {
    if ("prometheus".equals(ctx.request().getParam("format"))) {
      var registry = BackendRegistries.getNow(Node.id(vertx));
      String text = registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
      ctx.response().putHeader("content-type", "text/plain; version=0.0.4").end(text);
      return;
    }
    JsonObject byTransport = new JsonObject();
    for (String transport : TRANSPORTS) {
      byTransport.put(transport, connections.countByTransport(transport));
    }
    JsonObject byTenant = new JsonObject();
    connections.byTenant().forEach(byTenant::put);
    JsonObject body = new JsonObject()
        .put("node", Node.id(vertx))
        .put("performance", new JsonObject()
            .put("latency", percentiles(metrics.deliveryLatency()))
            .put("ackLatency", percentiles(metrics.ackLatency()))
            .put("throughput", new JsonObject().put("eventsPerSecond", eventsPerSecond)
                .put("messagesPerSecond", messagesPerSecond)))
        .put("connections", new JsonObject().put("total", connections.size()).put("sessions", sessions.getAsInt())
            .put("byTenant", byTenant).put("byTransport", byTransport))
        .put("rooms", namespace.rooms().size())
        .put("memory", memory());
    ctx.response().putHeader("content-type", "application/json").end(body.encode());
  }

  private JsonObject memory() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    long max = rt.maxMemory();
    return new JsonObject().put("used", used).put("max", max).put("threshold", max / 100 * memoryThresholdPercent)
        .put("usage", Math.round(1000.0 * used / max) / 10.0);
  }

  private static JsonObject percentiles(Timer timer) {
    return new JsonObject().put("p50", percentile(timer, 0.5)).put("p95", percentile(timer, 0.95))
        .put("p99", percentile(timer, 0.99)).put("count", timer.count());
  }

  /** Milliseconds, from the timer's recent window. */
  private static double percentile(Timer timer, double p) {
    for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
      if (v.percentile() == p) {
        return Math.round(v.value(TimeUnit.MILLISECONDS) * 100) / 100.0;
      }
    }
    return 0;
  }

  public void close() {
    vertx.cancelTimer(timerId);
  }
}
