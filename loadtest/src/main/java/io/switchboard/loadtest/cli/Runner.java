package io.switchboard.loadtest.cli;

import io.switchboard.loadtest.engine.Fleet;
import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.metrics.Metrics;
import io.switchboard.loadtest.metrics.ServerProbe;
import io.switchboard.loadtest.report.Progress;
import io.switchboard.loadtest.report.ResultFiles;
import io.switchboard.loadtest.scenario.Scenario;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one scenario from start to files: Vert.x with one context per event loop, the fleet, the
 * once-per-second sampler and progress line, the time limit; then the result document (JSON and
 * HTML) and a clean shutdown of every socket. The calling thread only waits, never an event loop.
 */
public final class Runner {
  /** Time after the limit for the scenario to report, the sockets to close and the files to be written. */
  private static final long GRACE_SECONDS = 90;

  private final CommonOptions common;
  private final PrintStream out;

  public Runner(CommonOptions common, PrintStream out) {
    this.common = common;
    this.out = out;
  }

  /** Runs the scenario; returns the result document (also written to files). */
  public JsonObject run(Scenario scenario) throws InterruptedException, IOException {
    if (Context.isOnVertxThread()) {
      // Its waits block the calling thread until the run ends: never an event loop's.
      throw new IllegalStateException("Runner.run is called from the CLI thread, not from a Vert.x thread");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(common.eventLoops()).setPreferNativeTransport(true)
        .setBlockedThreadCheckInterval(5000).setMaxEventLoopExecuteTime(5).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
    try {
      return run(vertx, scenario);
    } finally {
      CompletableFuture<Void> closed = vertx.close().toCompletionStage().toCompletableFuture();
      try {
        closed.get(20, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        out.println("loadtest: vert.x did not close cleanly: " + e.getMessage());
      }
    }
  }

  /** What the scenario produced: its result, or the reason it has none. */
  private record Outcome(JsonObject result, String error) {}

  private JsonObject run(Vertx vertx, Scenario scenario) throws InterruptedException, IOException {
    JsonObject machine = machine();
    List<Context> loops = eventLoopContexts(vertx, common.eventLoops());
    Context main = loops.get(0);
    Metrics metrics = new Metrics();
    ServerProbe probe = new ServerProbe(vertx, common.serverPid, common.socketMetricsUrl(), common.prometheusUrl,
        common.jcmdGc, common.watchedProcesses(), common.wirePorts());
    Fleet fleet = new Fleet(vertx, main, loops, common.settings(), metrics);
    LoadContext ctx = new LoadContext(vertx, main, fleet, metrics, probe);
    Progress progress = new Progress(out, System.console() != null);
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    out.println("loadtest: " + scenario.name() + " against " + common.urls + " (" + common.target + "), at most "
        + common.maxDurationSeconds + " s, results in " + common.out(scenario.name()) + ".{json,html}");

    AtomicLong sampler = new AtomicLong(-1);
    CompletableFuture<JsonObject> running = launch(ctx, scenario, () -> sampler.set(
        vertx.setPeriodic(1000, id -> sample(ctx, progress))));
    Outcome outcome = await(running, ctx);
    vertx.cancelTimer(sampler.get());
    await(probe.cpu().map(extra -> metrics.sample(extra.put("phase", "done"))), 5);
    progress.finish();
    ctx.phase("closing sockets");
    await(fleet.closeAll().eventually(fleet::close).eventually(probe::close), 30);

    JsonObject document = new JsonObject()
        .put("scenario", scenario.name())
        .put("target", common.target().name().toLowerCase())
        .put("label", common.label != null ? common.label : scenario.name())
        .put("startedAt", started.toString())
        .put("durationSeconds", Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0)
        .put("machine", machine)
        .put("options", common.toJson().put("scenario", scenario.options()))
        .put("result", outcome.result())
        .put("latency", metrics.latencySummaries())
        .put("counters", metrics.counterTotals())
        .put("timeline", metrics.timeline());
    if (outcome.error() != null) {
      document.put("error", outcome.error());
      out.println("loadtest: " + scenario.name() + " failed: " + outcome.error());
    }
    Path[] files = ResultFiles.write(common.out(scenario.name()), document);
    out.println("loadtest: wrote " + files[0] + " and " + files[1]);
    if (outcome.result().getJsonObject("verdict") != null) {
      out.println("loadtest: verdict " + outcome.result().getJsonObject("verdict").encode());
    }
    return document;
  }

  /** Starts the sampler, the time limit and the scenario on the main context. */
  private CompletableFuture<JsonObject> launch(LoadContext ctx, Scenario scenario, Runnable startSampler) {
    CompletableFuture<JsonObject> outcome = new CompletableFuture<>();
    ctx.main().runOnContext(v -> {
      startSampler.run();
      ctx.vertx().setTimer(common.maxDurationSeconds * 1000, id -> {
        ctx.stop();
        out.println();
        out.println("loadtest: time limit of " + common.maxDurationSeconds + " s reached, stopping");
      });
      Future<JsonObject> f;
      try {
        f = scenario.run(ctx);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(outcome::complete, outcome::completeExceptionally);
    });
    return outcome;
  }

  /** Waits for the scenario (bounded by the time limit and a grace period), then tells it to stop. */
  private Outcome await(CompletableFuture<JsonObject> running, LoadContext ctx) throws InterruptedException {
    try {
      return new Outcome(running.get(common.maxDurationSeconds + GRACE_SECONDS, TimeUnit.SECONDS), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      cause.printStackTrace(out);
      return new Outcome(new JsonObject(), cause.getMessage() != null ? cause.getMessage() : cause.toString());
    } catch (TimeoutException e) {
      return new Outcome(new JsonObject(), "the scenario did not finish within the time limit and its grace period");
    } finally {
      ctx.stop();
    }
  }

  private void sample(LoadContext ctx, Progress progress) {
    ctx.probe().cpu().onComplete(r -> {
      JsonObject extra = r.succeeded() ? r.result() : new JsonObject();
      JsonObject point = ctx.metrics().sample(extra.put("phase", ctx.phase()));
      if (!common.quiet) {
        progress.show(point);
      }
    });
  }

  // The blocking waits of this class (get with a timeout) run on the CLI's main thread, which owns
  // the run from start to end; every scenario itself runs on the event loops obtained here.

  /** One context per event loop: a verticle instance each, deployed round-robin over the loops. */
  private static List<Context> eventLoopContexts(Vertx vertx, int count) throws InterruptedException {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    Future<String> deployed = vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(count));
    try {
      deployed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("loadtest: could not start the event loops: " + e.getMessage(), e);
    }
    return List.copyOf(contexts);
  }

  private static <T> T await(Future<T> f, long seconds) throws InterruptedException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  static JsonObject machine() {
    JsonObject m = new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          m.put("memoryBytes", Long.parseLong(line.replaceAll("\\D", "")) * 1024);
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Not Linux: no memory figure.
    }
    return m;
  }
}
