package io.switchboard.loadtest.engine;

import io.switchboard.loadtest.metrics.Metrics;
import io.switchboard.loadtest.metrics.ServerProbe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * What a scenario runs with: Vert.x and the run's main context (where scenario bookkeeping runs), the
 * fleet of sockets, the metrics, the server probe, and two flags the runner reads and writes: the
 * current phase (shown on the progress line) and whether the run must stop early (time limit).
 */
public final class LoadContext {
  private final Vertx vertx;
  private final Context main;
  private final Fleet fleet;
  private final Metrics metrics;
  private final ServerProbe probe;
  private volatile String phase = "starting";
  private volatile boolean stopping;

  public LoadContext(Vertx vertx, Context main, Fleet fleet, Metrics metrics, ServerProbe probe) {
    this.vertx = vertx;
    this.main = main;
    this.fleet = fleet;
    this.metrics = metrics;
    this.probe = probe;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Context main() {
    return main;
  }

  public Fleet fleet() {
    return fleet;
  }

  public Metrics metrics() {
    return metrics;
  }

  public ServerProbe probe() {
    return probe;
  }

  public RunSettings settings() {
    return fleet.settings();
  }

  public String phase() {
    return phase;
  }

  public void phase(String phase) {
    this.phase = phase;
  }

  /** True once the run's time limit has passed: scenarios finish their current phase and report. */
  public boolean stopping() {
    return stopping;
  }

  public void stop() {
    this.stopping = true;
  }

  /** Completes after {@code ms} milliseconds (or at once when stopping), on the main context. */
  public Future<Void> delay(long ms) {
    Promise<Void> p = Promise.promise();
    if (ms <= 0 || stopping) {
      main.runOnContext(v -> p.complete());
    } else {
      main.runOnContext(v -> {
        long[] timers = new long[2];
        timers[0] = vertx.setTimer(ms, t -> {
          vertx.cancelTimer(timers[1]);
          p.tryComplete();
        });
        // Wake early when the run is told to stop.
        timers[1] = vertx.setPeriodic(200, t -> {
          if (stopping) {
            vertx.cancelTimer(timers[0]);
            vertx.cancelTimer(timers[1]);
            p.tryComplete();
          }
        });
      });
    }
    return p.future();
  }

  /**
   * Completes on the main context once {@code condition} holds (checked every 50 ms) or after
   * {@code timeoutMs}; the result says whether the condition held.
   */
  public Future<Boolean> awaitCondition(java.util.function.BooleanSupplier condition, long timeoutMs) {
    Promise<Boolean> p = Promise.promise();
    main.runOnContext(v -> {
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      if (condition.getAsBoolean()) {
        p.complete(true);
        return;
      }
      vertx.setPeriodic(50, id -> {
        boolean ok = condition.getAsBoolean();
        if (ok || System.nanoTime() > deadline || stopping) {
          vertx.cancelTimer(id);
          p.tryComplete(ok);
        }
      });
    });
    return p.future();
  }
}
