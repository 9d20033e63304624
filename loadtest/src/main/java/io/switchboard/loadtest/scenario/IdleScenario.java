package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Idle connections: N sockets, each joined to a room of {@code roomSize}, held open doing nothing
 * but answering pings. Reports the server's memory per connection: the increase of its resident
 * memory (and, when available, of its JVM heap or of its own {@code /socket-metrics} figures) from
 * before the first connection to after all are connected, joined and settled. With a high connect
 * rate this is also the connection-storm scenario (connect latency and failures by kind).
 */
public final class IdleScenario implements Scenario {

  /**
   * @param settleSeconds wait after the last join before the memory is sampled
   * @param holdSeconds how long the connections then stay open (drops are counted)
   */
  public record Options(Target target, int connections, int roomSize, double settleSeconds, double holdSeconds) {
    public JsonObject toJson() {
      return new JsonObject().put("target", target.name().toLowerCase()).put("connections", connections)
          .put("roomSize", roomSize).put("settleSeconds", settleSeconds).put("holdSeconds", holdSeconds);
    }
  }

  private final Options options;

  public IdleScenario(Options options) {
    if (options.connections() < 1 || options.roomSize() < 1) {
      throw new IllegalArgumentException("idle needs at least one connection and a room size of at least 1");
    }
    this.options = options;
  }

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public JsonObject options() {
    return options.toJson();
  }

  @Override
  public Future<JsonObject> run(LoadContext ctx) {
    Population population = new Population(ctx, options.target(), options.connections(), options.roomSize());
    JsonObject result = new JsonObject();
    ctx.phase("baseline memory");
    return ctx.probe().memory()
        .compose(before -> {
          result.put("memoryBefore", before);
          return population.setUp((c, p) -> ctx.metrics().counter("events").increment());
        })
        .compose(p -> {
          ctx.phase("settling " + FanoutScenario.fmt(options.settleSeconds()) + " s");
          return ctx.delay((long) (options.settleSeconds() * 1000));
        })
        .compose(v -> ctx.probe().memory())
        .compose(after -> {
          result.put("memoryAfter", after);
          result.put("connectedAtSample", ctx.metrics().connections().get());
          ctx.phase("holding " + FanoutScenario.fmt(options.holdSeconds()) + " s");
          return ctx.delay((long) (options.holdSeconds() * 1000));
        })
        .map(v -> result.put("population", population.toJson())
            .put("connectedAtEnd", ctx.metrics().connections().get())
            .put("verdict", perConnection(result)));
  }

  /** Memory growth divided by the connections open when it was sampled. */
  static JsonObject perConnection(JsonObject result) {
    JsonObject before = result.getJsonObject("memoryBefore");
    JsonObject after = result.getJsonObject("memoryAfter");
    int n = result.getInteger("connectedAtSample", 0);
    JsonObject v = new JsonObject().put("connections", n);
    if (n == 0 || before == null || after == null) {
      return v;
    }
    putDelta(v, "rssBytesPerConnection", before.getLong("rssBytes"), after.getLong("rssBytes"), n);
    putDelta(v, "heapBytesPerConnection", before.getLong("heapUsedBytes"), after.getLong("heapUsedBytes"), n);
    JsonObject sb = before.getJsonObject("socketMetrics");
    JsonObject sa = after.getJsonObject("socketMetrics");
    if (sb != null && sa != null && sb.getJsonObject("memory") != null && sa.getJsonObject("memory") != null) {
      putDelta(v, "socketMetricsRssBytesPerConnection", sb.getJsonObject("memory").getLong("rss"),
          sa.getJsonObject("memory").getLong("rss"), n);
      putDelta(v, "socketMetricsHeapBytesPerConnection", sb.getJsonObject("memory").getLong("heapUsed"),
          sa.getJsonObject("memory").getLong("heapUsed"), n);
    }
    if (after.getLong("rssBytes") != null) {
      v.put("rssBytesAfter", after.getLong("rssBytes"));
    }
    return v;
  }

  private static void putDelta(JsonObject v, String key, Long before, Long after, int n) {
    if (before != null && after != null) {
      v.put(key, (after - before) / n);
    }
  }
}
