package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.protocol.SioClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fan-out: {@code rooms x members} sockets, an aggregate send rate stepped up over time. Each step
 * sends open-loop for a bounded time, then waits (bounded) for its acks and deliveries before it is
 * judged; stepping stops early once a step saturates (p99 beyond the stop threshold or fewer than
 * half the deliveries arrived). Reports per step: offered and achieved deliveries per second,
 * delivery latency (send to {@code room-message-created} at every receiver) and ack latency (send to
 * the durable ack), and the highest rate whose delivery and ack p99 stayed within the SLO.
 * The broadcast scenario is this one with one big room. The reactions scenario (Switchboard only) is this
 * one with reactions instead of messages ({@link ReactionProbe}): one message per room, posted first, and
 * at the steps' rates {@code add-reaction} / {@code remove-reaction} on it; a delivery is a member's
 * {@code message-reaction}.
 */
public final class FanoutScenario implements Scenario {

  /**
   * @param name the scenario name in reports (fanout or broadcast)
   * @param rates the aggregate send rates of the steps, messages per second
   * @param stepSeconds how long each step sends
   * @param warmupSeconds a first phase at {@code warmupRate} that is not judged (JIT, pools)
   * @param drainMs the longest wait after a step for its acks and deliveries
   * @param sloMs the p99 bound of the verdict (delivery and ack)
   * @param stopP99Ms a step whose delivery or ack p99 exceeds this ends the stepping
   * @param bodyBytes the message body length
   * @param bodyText what the body is made of: {@code x} (one letter repeated) or {@code words} (text of
   *     common words at random, which compresses about as prose does)
   * @param slowConsumers members of the first room that stop reading once everyone has joined: they
   *     neither send nor count as receivers; the others' latency shows whether they suffer for it
   * @param readyFile written (the number of joined sockets) once every socket has joined, or null
   * @param goFile when not null, the sockets hold, joined and silent, until this file exists: several
   *     generators then start chatting together, after a script has read the servers' idle memory
   */
  public record Options(String name, Target target, int rooms, int members, List<Double> rates, double stepSeconds,
      double warmupSeconds, double warmupRate, long drainMs, double sloMs, double stopP99Ms, int bodyBytes,
      String bodyText, int slowConsumers, String readyFile, String goFile) {

    public JsonObject toJson() {
      return new JsonObject().put("target", target.name().toLowerCase()).put("rooms", rooms).put("members", members)
          .put("rates", new JsonArray(new ArrayList<>(rates))).put("stepSeconds", stepSeconds)
          .put("warmupSeconds", warmupSeconds).put("warmupRate", warmupRate).put("drainMs", drainMs)
          .put("sloMs", sloMs).put("stopP99Ms", stopP99Ms).put("bodyBytes", bodyBytes).put("bodyText", bodyText)
          .put("slowConsumers", slowConsumers).put("readyFile", readyFile).put("goFile", goFile);
    }
  }

  private final Options options;
  private final List<Tally> steps = new ArrayList<>();
  private String stopReason = "all steps run";
  private List<SioClient> slow = List.of();
  private Tally warmup;
  private JsonObject gate;

  public FanoutScenario(Options options) {
    if (options.rooms() < 1 || options.members() < 2) {
      throw new IllegalArgumentException("fanout needs at least one room of at least 2 members");
    }
    if (options.rates().isEmpty() || options.rates().stream().anyMatch(r -> r <= 0)) {
      throw new IllegalArgumentException("--rates must list positive rates");
    }
    if (options.slowConsumers() < 0 || options.slowConsumers() > options.members() - 2) {
      throw new IllegalArgumentException("--slow-consumers must leave at least 2 members that read");
    }
    if (reactions(options) && options.target() != Target.SWITCHBOARD) {
      throw new IllegalArgumentException("reactions: the reference server has none; --target switchboard");
    }
    this.options = options;
  }

  private static boolean reactions(Options options) {
    return "reactions".equals(options.name());
  }

  @Override
  public String name() {
    return options.name();
  }

  @Override
  public JsonObject options() {
    return options.toJson();
  }

  @Override
  public Future<JsonObject> run(LoadContext ctx) {
    ReactionProbe reactionProbe = reactions(options) ? new ReactionProbe(ctx.metrics()) : null;
    Probe probe = reactionProbe != null ? reactionProbe
        : new MessageProbe(ctx.metrics(), options.bodyBytes(), options.bodyText());
    Population population = Population.ofRooms(ctx, options.target(), options.rooms(), options.members());
    return population.setUp(probe::onEvent)
        .compose(p -> reactionProbe == null ? Future.succeededFuture(p) : reactionProbe.prepare(ctx, p).map(p))
        .compose(p -> {
          slow = stopReading(p);
          return gate(ctx, population).map(p);
        })
        .compose(p -> {
          RateSender sender = new RateSender(ctx, p, probe);
          Future<Void> warm = Future.succeededFuture();
          if (options.warmupSeconds() > 0 && options.warmupRate() > 0) {
            ctx.phase("warm-up at " + fmt(options.warmupRate()) + "/s");
            Tally warmup = probe.tally("warm-up", options.warmupRate());
            this.warmup = warmup;
            warm = costed(ctx, warmup, () -> sender.run(warmup, options.warmupRate(), options.warmupSeconds())
                .compose(v -> drain(ctx, warmup)));
          }
          return warm.compose(v -> step(ctx, probe, sender, 0));
        })
        .map(v -> result(population));
  }

  /**
   * Writes the ready file once everyone has joined, then holds until the go file exists (or the run's
   * time limit); the result's {@code gate} says when each happened.
   */
  private Future<Void> gate(LoadContext ctx, Population population) {
    if (options.readyFile() == null && options.goFile() == null) {
      return Future.succeededFuture();
    }
    gate = new JsonObject();
    Future<Void> ready = Future.succeededFuture();
    if (options.readyFile() != null) {
      ready = ctx.vertx().fileSystem().writeFile(options.readyFile(),
          io.vertx.core.buffer.Buffer.buffer(population.joinedCount() + "\n"));
    }
    return ready.compose(v -> {
      gate.put("readyAt", java.time.Instant.now().toString());
      if (options.goFile() == null) {
        return Future.succeededFuture();
      }
      ctx.phase("holding until " + options.goFile() + " exists");
      Promise<Void> go = Promise.promise();
      awaitGo(ctx, go);
      return go.future().onSuccess(x -> gate.put("goAt", java.time.Instant.now().toString()));
    });
  }

  private void awaitGo(LoadContext ctx, Promise<Void> go) {
    ctx.vertx().fileSystem().exists(options.goFile()).onComplete(exists -> {
      if (ctx.stopping() || exists.succeeded() && exists.result()) {
        go.tryComplete();
      } else {
        ctx.vertx().setTimer(100, t -> awaitGo(ctx, go));
      }
    });
  }

  /** Takes the slow consumers out of the first room's senders and receivers, and stalls them. */
  private List<SioClient> stopReading(Population p) {
    List<SioClient> members = p.members(0);
    List<SioClient> stalled = new ArrayList<>();
    for (int i = 0; i < options.slowConsumers() && members.size() > 2; i++) {
      SioClient client = members.remove(members.size() - 1);
      client.stopReading();
      stalled.add(client);
    }
    return stalled;
  }

  private Future<Void> step(LoadContext ctx, Probe probe, RateSender sender, int i) {
    if (i >= options.rates().size()) {
      return Future.succeededFuture();
    }
    if (ctx.stopping()) {
      stopReason = "time limit";
      return Future.succeededFuture();
    }
    double rate = options.rates().get(i);
    Tally tally = probe.tally("step " + (i + 1), rate);
    steps.add(tally);
    ctx.phase("step " + (i + 1) + "/" + options.rates().size() + " at " + fmt(rate) + " msg/s");
    return costed(ctx, tally, () -> sender.run(tally, rate, options.stepSeconds()).compose(v -> drain(ctx, tally)))
        .compose(v -> {
          if (saturated(tally)) {
            stopReason = "saturated at " + fmt(rate) + " msg/s";
            return Future.succeededFuture();
          }
          return step(ctx, probe, sender, i + 1);
        });
  }

  /**
   * Runs a phase between two readings of the watched processes' CPU, so that its tally reports the
   * CPU per message of everything the phase's messages caused, until the last was delivered.
   */
  private static Future<Void> costed(LoadContext ctx, Tally tally, Supplier<Future<Void>> phase) {
    return wired(ctx, tally, () -> {
      if (!ctx.probe().watchesProcesses()) {
        return phase.get();
      }
      return ctx.probe().processCpu().compose(before -> phase.get()
          .compose(v -> ctx.probe().processCpu())
          .map(after -> {
            tally.cpu(before, after);
            return (Void) null;
          }));
    });
  }

  /** Runs a phase between two readings of the bytes on the wire (--wire-bytes), for its tally. */
  private static Future<Void> wired(LoadContext ctx, Tally tally, Supplier<Future<Void>> phase) {
    if (!ctx.probe().countsWire()) {
      return phase.get();
    }
    return ctx.probe().wireBytes().compose(before -> phase.get()
        .compose(v -> ctx.probe().wireBytes())
        .map(after -> {
          tally.wire(before, after);
          return (Void) null;
        }));
  }

  private Future<Void> drain(LoadContext ctx, Tally tally) {
    ctx.phase("draining " + tally.name);
    return ctx.awaitCondition(() -> tally.acksOutstanding() <= 0 && tally.delivered.sum() >= tally.expected.sum(),
        options.drainMs()).mapEmpty();
  }

  private boolean saturated(Tally t) {
    return t.deliveryP99Ms() > options.stopP99Ms() || t.ackP99Ms() > options.stopP99Ms() || t.deliveryRatio() < 0.5;
  }

  /** Within the SLO: delivery and ack p99 at most sloMs, at least 99.9% delivered, no failed acks. */
  private boolean withinSlo(Tally t) {
    return t.delivered.sum() > 0 && t.deliveryP99Ms() <= options.sloMs() && t.ackP99Ms() <= options.sloMs()
        && t.deliveryRatio() >= 0.999 && t.ackErrors.sum() == 0 && t.ackLost.sum() == 0 && t.acksOutstanding() == 0;
  }

  private JsonObject result(Population population) {
    JsonArray stepJson = new JsonArray();
    Double best = null;
    JsonObject bestStep = null;
    for (Tally t : steps) {
      boolean ok = withinSlo(t);
      JsonObject j = t.toJson().put("withinSlo", ok);
      stepJson.add(j);
      if (ok && (best == null || t.offeredRate > best)) {
        best = t.offeredRate;
        bestStep = j;
      }
    }
    JsonObject verdict = new JsonObject().put("sloMs", options.sloMs()).put("stopReason", stopReason)
        .put("maxRateWithinSlo", best);
    if (bestStep != null) {
      verdict.put("deliveriesPerSecondAtMax", bestStep.getLong("deliveriesPerSecond"))
          .put("deliveryP99AtMax", bestStep.getJsonObject("latency").getJsonObject("delivery").getDouble("p99"))
          .put("ackP99AtMax", bestStep.getJsonObject("latency").getJsonObject("ack").getDouble("p99"));
    }
    JsonObject result = new JsonObject().put("population", population.toJson()).put("steps", stepJson)
        .put("verdict", verdict);
    if (gate != null) {
      result.put("gate", gate);
    }
    if (warmup != null) {
      result.put("warmup", warmup.toJson());
    }
    if (!slow.isEmpty()) {
      // As this side sees it; a server that dropped a stalled socket may not have been heard yet.
      result.put("slowConsumers", new JsonObject().put("count", slow.size())
          .put("stillConnected", slow.stream().filter(SioClient::isConnected).count()));
    }
    return result;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
