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
 * cycle due while the limit is reached is skipped and counted. A warm-up phase at its own rate comes
 * first (a JVM server is measured warm; a cold start is its own experiment: warm-up 0). Reports, for
 * the cycles started in the measured phase, cycles per second achieved against offered and the
 * latency of each step (connect, join, leave, whole cycle).
 */
public final class ChurnScenario implements Scenario {

  public record Options(Target target, int rooms, double rate, double seconds, double warmupSeconds,
      double warmupRate, long holdMs, int maxInFlight) {
    public JsonObject toJson() {
      return new JsonObject().put("target", target.name().toLowerCase()).put("rooms", rooms).put("rate", rate)
          .put("seconds", seconds).put("warmupSeconds", warmupSeconds).put("warmupRate", warmupRate)
          .put("holdMs", holdMs).put("maxInFlight", maxInFlight);
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
    ChurnPhase warmup = new ChurnPhase("warm-up", options.warmupRate());
    ChurnPhase measured = new ChurnPhase("measured", options.rate());
    long[] counter = {0};
    ctx.phase("creating rooms");
    // One anchor socket creates the rooms (Switchboard) and stays connected throughout.
    return ctx.fleet().connectOne(0, prefix + "-anchor", (c, p) -> { })
        .compose(anchor -> rooms.create(options.rooms(), r -> anchor))
        .compose(ids -> {
          if (options.warmupSeconds() <= 0 || options.warmupRate() <= 0) {
            return Future.succeededFuture(ids);
          }
          ctx.phase("warm-up at " + FanoutScenario.fmt(options.warmupRate()) + " cycles/s");
          return cycles(ctx, rooms, ids, warmup, options.warmupSeconds(), counter).map(v -> ids);
        })
        .compose(ids -> {
          ctx.phase("churning at " + FanoutScenario.fmt(options.rate()) + " cycles/s");
          return cycles(ctx, rooms, ids, measured, options.seconds(), counter);
        })
        .compose(v -> {
          ctx.phase("draining cycles");
          return ctx.awaitCondition(() -> inFlight.get() == 0, ctx.settings().requestTimeoutMs() * 2);
        })
        .map(v -> {
          JsonObject m = measured.toJson();
          JsonObject cycle = m.getJsonObject("latency").getJsonObject("cycle");
          return new JsonObject().put("measured", m).put("warmup", warmup.toJson())
              .put("verdict", new JsonObject()
                  .put("offeredCyclesPerSecond", options.rate())
                  .put("cyclesPerSecond", m.getDouble("cyclesPerSecond"))
                  .put("completed", m.getLong("completed"))
                  .put("failed", m.getLong("failed"))
                  .put("skipped", m.getLong("skipped"))
                  .put("cycleP50", cycle.getDouble("p50"))
                  .put("cycleP99", cycle.getDouble("p99"))
                  .put("joinP99", m.getJsonObject("latency").getJsonObject("join").getDouble("p99")));
        });
  }

  /** Starts cycles at the phase's rate for {@code seconds}; completes when the last one is started. */
  private Future<Void> cycles(LoadContext ctx, Rooms rooms, String[] ids, ChurnPhase phase, double seconds,
      long[] counter) {
    Promise<Void> done = Promise.promise();
    Counter skipped = ctx.metrics().counter("cycleSkipped");
    long total = Math.round(phase.rate * seconds);
    long startNanos = System.nanoTime();
    long[] issued = {0};
    ctx.vertx().setPeriodic(5, id -> {
      long due = Math.min(total, (long) ((System.nanoTime() - startNanos) / 1e9 * phase.rate) + 1);
      while (issued[0] < due) {
        issued[0]++;
        long n = counter[0]++;
        if (inFlight.get() >= options.maxInFlight()) {
          skipped.increment();
          phase.skipped.increment();
          continue;
        }
        phase.started.increment();
        cycle(ctx, rooms, ids[(int) (n % ids.length)], n, phase);
      }
      if (issued[0] >= total || ctx.stopping()) {
        ctx.vertx().cancelTimer(id);
        phase.seconds = (System.nanoTime() - startNanos) / 1e9;
        done.complete();
      }
    });
    return done.future();
  }

  private void cycle(LoadContext ctx, Rooms rooms, String roomId, long n, ChurnPhase phase) {
    inFlight.incrementAndGet();
    Latency cycleLatency = ctx.metrics().latency("cycle");
    Counter completed = ctx.metrics().counter("cycles");
    Counter failed = ctx.metrics().counter("cycleFailed");
    long start = Clock.micros();
    int index = (int) (n % Integer.MAX_VALUE) + 1;
    ctx.fleet().connectOne(index, ctx.settings().userPrefix() + "-c" + n, (c, p) -> { })
        .onSuccess(c -> phase.record("connect", Clock.micros() - start))
        .compose(c -> {
          long joinStart = Clock.micros();
          return rooms.join(c, roomId)
              .onSuccess(v -> phase.record("join", Clock.micros() - joinStart))
              .compose(v -> options.holdMs() > 0 ? ctx.vertx().timer(options.holdMs()).mapEmpty() : Future.succeededFuture())
              .compose(v -> {
                long leaveStart = Clock.micros();
                return rooms.leave(c, roomId).onSuccess(x -> phase.record("leave", Clock.micros() - leaveStart));
              })
              .transform(r -> disconnect(c).compose(v -> r.succeeded() ? Future.<Void>succeededFuture()
                  : Future.failedFuture(r.cause())));
        })
        .onComplete(r -> {
          inFlight.decrementAndGet();
          if (r.succeeded()) {
            long micros = Clock.micros() - start;
            cycleLatency.record(micros);
            phase.record("cycle", micros);
            completed.increment();
            phase.completed.increment();
          } else {
            failed.increment();
            phase.failed.increment();
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
