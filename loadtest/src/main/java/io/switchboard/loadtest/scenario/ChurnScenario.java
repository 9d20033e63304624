package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.metrics.Counter;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.protocol.SioClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Churn: cycles started at a fixed rate, each a fresh socket (new user) that connects, joins a room,
 * stays {@code holdMs}, leaves and disconnects. At most {@code maxInFlight} cycles run at once; a
 * cycle due while the limit is reached is skipped and counted. Reports cycles per second achieved
 * against offered, and the latency of each step (connect, join, leave, whole cycle).
 */
public final class ChurnScenario implements Scenario {

  public record Options(Target target, int rooms, double rate, double seconds, long holdMs, int maxInFlight) {
    public JsonObject toJson() {
      return new JsonObject().put("target", target.name().toLowerCase()).put("rooms", rooms).put("rate", rate)
          .put("seconds", seconds).put("holdMs", holdMs).put("maxInFlight", maxInFlight);
    }
  }

  private final Options options;
  private final AtomicInteger inFlight = new AtomicInteger();

  public ChurnScenario(Options options) {
    if (options.rooms() < 1 || options.rate() <= 0 || options.maxInFlight() < 1) {
      throw new IllegalArgumentException("churn needs rooms >= 1, rate > 0 and max-in-flight >= 1");
    }
    this.options = options;
  }

  @Override
  public String name() {
    return "churn";
  }

  @Override
  public JsonObject options() {
    return options.toJson();
  }

  @Override
  public Future<JsonObject> run(LoadContext ctx) {
    Rooms rooms = new Rooms(ctx, options.target());
    String prefix = ctx.settings().userPrefix();
    ctx.phase("creating rooms");
    // One anchor socket creates the rooms (Switchboard) and stays connected throughout.
    return ctx.fleet().connectOne(0, prefix + "-anchor", (c, p) -> { })
        .compose(anchor -> rooms.create(options.rooms(), r -> anchor))
        .compose(ids -> {
          ctx.phase("churning at " + FanoutScenario.fmt(options.rate()) + " cycles/s");
          return cycles(ctx, rooms, ids);
        })
        .compose(started -> {
          ctx.phase("draining cycles");
          return ctx.awaitCondition(() -> inFlight.get() == 0, ctx.settings().requestTimeoutMs() * 2)
              .map(v -> started);
        })
        .map(started -> {
          JsonObject counters = ctx.metrics().counterTotals();
          long done = counters.getLong("cycles", 0L);
          return new JsonObject().put("started", started)
              .put("verdict", new JsonObject()
                  .put("offeredCyclesPerSecond", options.rate())
                  .put("cyclesPerSecond", Math.round(done / options.seconds() * 10) / 10.0)
                  .put("completed", done)
                  .put("failed", counters.getLong("cycleFailed", 0L))
                  .put("skipped", counters.getLong("cycleSkipped", 0L)));
        });
  }

  /** Starts cycles at the configured rate for the configured time; completes with how many started. */
  private Future<Long> cycles(LoadContext ctx, Rooms rooms, String[] ids) {
    Promise<Long> done = Promise.promise();
    Counter skipped = ctx.metrics().counter("cycleSkipped");
    long total = Math.round(options.rate() * options.seconds());
    long startNanos = System.nanoTime();
    long[] issued = {0};
    long[] started = {0};
    ctx.vertx().setPeriodic(5, id -> {
      long due = Math.min(total, (long) ((System.nanoTime() - startNanos) / 1e9 * options.rate()));
      while (issued[0] < due) {
        long n = issued[0]++;
        if (inFlight.get() >= options.maxInFlight()) {
          skipped.increment();
          continue;
        }
        started[0]++;
        cycle(ctx, rooms, ids[(int) (n % ids.length)], n);
      }
      if (issued[0] >= total || ctx.stopping()) {
        ctx.vertx().cancelTimer(id);
        done.complete(started[0]);
      }
    });
    return done.future();
  }

  private void cycle(LoadContext ctx, Rooms rooms, String roomId, long n) {
    inFlight.incrementAndGet();
    Latency cycleLatency = ctx.metrics().latency("cycle");
    Counter completed = ctx.metrics().counter("cycles");
    Counter failed = ctx.metrics().counter("cycleFailed");
    long start = Clock.micros();
    int index = (int) (n % Integer.MAX_VALUE) + 1;
    ctx.fleet().connectOne(index, ctx.settings().userPrefix() + "-c" + n, (c, p) -> { })
        .compose(c -> rooms.join(c, roomId)
            .compose(v -> options.holdMs() > 0 ? ctx.vertx().timer(options.holdMs()).mapEmpty() : Future.succeededFuture())
            .compose(v -> rooms.leave(c, roomId))
            .transform(r -> disconnect(c).compose(v -> r.succeeded() ? Future.<Void>succeededFuture()
                : Future.failedFuture(r.cause()))))
        .onComplete(r -> {
          inFlight.decrementAndGet();
          if (r.succeeded()) {
            cycleLatency.record(Clock.micros() - start);
            completed.increment();
          } else {
            failed.increment();
          }
        });
  }

  private static Future<Void> disconnect(SioClient c) {
    Promise<Void> closed = Promise.promise();
    c.runOnContext(() -> {
      if (!c.isConnected()) {
        closed.tryComplete();
        return;
      }
      SioClient.CloseListener previous = c.closeListener();
      c.closeListener((client, reason) -> {
        if (previous != null) {
          previous.onClose(client, reason);
        }
        closed.tryComplete();
      });
      c.disconnect();
    });
    return closed.future();
  }
}
