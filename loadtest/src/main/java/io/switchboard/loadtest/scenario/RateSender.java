package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.protocol.SioClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

/**
 * Open-loop sending at a fixed aggregate rate: message k of a phase is due at
 * {@code start + k / rate} and carries that due time, so a stall anywhere (server or generator) shows
 * up as latency instead of silently lowering the load. Message n goes to room {@code n % rooms}, sent
 * by the room's members in turn. A tick that finds more than a quarter second of messages overdue
 * sends those and counts the rest as skipped (the generator could not keep up).
 */
final class RateSender {
  /**
   * A message waits for the first tick after its due time, and that wait counts as latency: 1 ms
   * (Vert.x's finest timer) adds at most about 1 ms to what a run measures; a coarser tick would
   * add half of itself to every median and all of it to every p99, for either server.
   */
  private static final long TICK_MS = 1;

  private final LoadContext ctx;
  private final Population population;
  private final Probe probe;
  private long messageCounter;

  RateSender(LoadContext ctx, Population population, Probe probe) {
    this.ctx = ctx;
    this.population = population;
    this.probe = probe;
  }

  /** Sends at {@code rate} per second for {@code seconds}; completes when the last one is sent. */
  Future<Void> run(Tally tally, double rate, double seconds) {
    Promise<Void> done = Promise.promise();
    ctx.main().runOnContext(v -> {
      long startNanos = System.nanoTime();
      long startMicros = Clock.micros();
      long total = Math.round(rate * seconds);
      long[] issued = {0};
      long maxBurst = Math.max(1, Math.round(rate / 4));
      ctx.vertx().setPeriodic(TICK_MS, id -> {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        // Message k is due at k / rate: message 0 at once.
        long due = Math.min(total, (long) Math.floor(elapsed * rate) + 1);
        if (due - issued[0] > maxBurst) {
          tally.skipped.add(due - issued[0] - maxBurst);
          issued[0] = due - maxBurst;
        }
        while (issued[0] < due) {
          long k = issued[0]++;
          sendOne(tally, startMicros + (long) (k * 1e6 / rate));
        }
        if (issued[0] >= total || ctx.stopping()) {
          ctx.vertx().cancelTimer(id);
          tally.seconds = (System.nanoTime() - startNanos) / 1e9;
          done.complete();
        }
      });
    });
    return done.future();
  }

  private void sendOne(Tally tally, long dueMicros) {
    long n = messageCounter++;
    int rooms = population.roomCount();
    int room = (int) (n % rooms);
    List<SioClient> members = population.members(room);
    if (members.isEmpty() || population.roomId(room) == null) {
      tally.skipped.increment();
      return;
    }
    SioClient sender = members.get((int) ((n / rooms) % members.size()));
    int receivers = members.size() - 1;
    String roomId = population.roomId(room);
    probe.send(sender, roomId, receivers, tally, dueMicros, null);
  }
}
