package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.protocol.SioClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable throughput: sockets in many rooms send closed-loop with a fixed window of outstanding
 * {@code send-message}s; each ack (the message is durable) releases the next send, from the next
 * socket in turn. After a warm-up, a measurement window reports acks per second (durable messages
 * per second) and the ack latency; then sending stops and the remaining acks are awaited (bounded).
 */
public final class DurableScenario implements Scenario {

  /**
   * @param window sends outstanding at once (awaiting their ack)
   * @param seconds length of the measurement window
   * @param warmupSeconds closed-loop sending before the measurement window, not reported
   */
  public record Options(Target target, int rooms, int members, int window, double seconds, double warmupSeconds,
      long drainMs, int bodyBytes) {
    public JsonObject toJson() {
      return new JsonObject().put("target", target.name().toLowerCase()).put("rooms", rooms).put("members", members)
          .put("window", window).put("seconds", seconds).put("warmupSeconds", warmupSeconds)
          .put("drainMs", drainMs).put("bodyBytes", bodyBytes);
    }
  }

  private final Options options;
  private final AtomicLong next = new AtomicLong();
  private volatile Tally current;
  private volatile boolean sending;
  private List<SioClient> senders;
  private List<String> senderRooms;
  private List<Integer> receivers;
  private MessageProbe probe;

  public DurableScenario(Options options) {
    if (options.rooms() < 1 || options.members() < 1 || options.window() < 1) {
      throw new IllegalArgumentException("durable needs rooms, members and window of at least 1");
    }
    this.options = options;
  }

  @Override
  public String name() {
    return "durable";
  }

  @Override
  public JsonObject options() {
    return options.toJson();
  }

  @Override
  public Future<JsonObject> run(LoadContext ctx) {
    probe = new MessageProbe(ctx.metrics(), options.bodyBytes(), "x");
    Population population = Population.ofRooms(ctx, options.target(), options.rooms(), options.members());
    Tally warmup = probe.tally("warm-up", 0);
    Tally measured = probe.tally("measured", 0);
    return population.setUp(probe::onEvent)
        .compose(p -> {
          collectSenders(p);
          if (senders.isEmpty()) {
            return Future.failedFuture("no socket joined a room");
          }
          current = options.warmupSeconds() > 0 ? warmup : measured;
          sending = true;
          ctx.phase("closed loop, window " + options.window() + (current == warmup ? " (warm-up)" : ""));
          for (int i = 0; i < options.window(); i++) {
            sendNext();
          }
          return ctx.delay((long) (options.warmupSeconds() * 1000));
        })
        .compose(v -> {
          long start = System.nanoTime();
          current = measured;
          ctx.phase("closed loop, window " + options.window() + ", measuring");
          return ctx.delay((long) (options.seconds() * 1000)).map(x -> System.nanoTime() - start);
        })
        .compose(elapsed -> {
          sending = false;
          // Acks of the window still in flight belong to the measured tally only if they were sent in it.
          measured.seconds = elapsed / 1e9;
          ctx.phase("draining");
          return ctx.awaitCondition(() -> measured.acksOutstanding() <= 0 && warmup.acksOutstanding() <= 0,
              options.drainMs());
        })
        .map(v -> {
          JsonObject m = measured.toJson();
          return new JsonObject().put("population", population.toJson()).put("measured", m)
              .put("warmup", warmup.toJson())
              .put("verdict", new JsonObject()
                  .put("durableMessagesPerSecond", m.getLong("ackedPerSecond"))
                  .put("ackP50", m.getJsonObject("latency").getJsonObject("ack").getDouble("p50"))
                  .put("ackP99", m.getJsonObject("latency").getJsonObject("ack").getDouble("p99"))
                  .put("ackErrors", m.getLong("ackErrors") + m.getLong("ackLost")));
        });
  }

  private void collectSenders(Population p) {
    senders = new ArrayList<>();
    senderRooms = new ArrayList<>();
    receivers = new ArrayList<>();
    for (int r = 0; r < p.roomCount(); r++) {
      for (SioClient c : p.members(r)) {
        senders.add(c);
        senderRooms.add(p.roomId(r));
        receivers.add(p.members(r).size() - 1);
      }
    }
  }

  /** Sends from the next socket in turn; its ack sends the one after, while sending lasts. */
  private void sendNext() {
    if (!sending) {
      return;
    }
    int i = (int) Math.floorMod(next.getAndIncrement(), (long) senders.size());
    SioClient c = senders.get(i);
    Tally tally = current;
    probe.send(c, senderRooms.get(i), receivers.get(i), tally, -1, this::sendNext);
  }
}
