package io.switchboard.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TempDirs;
import io.switchboard.embedded.TestServers;
import io.switchboard.launcher.Switchboard;
import io.switchboard.loadtest.cli.LoadTest;
import io.switchboard.loadtest.report.ResultFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Tiny scenarios, run through the command line, against a real Switchboard started in this JVM (on
 * the test Postgres and Redis). They check counts, never speed: speed is for the benchmarks.
 */
@DisplayName("The load generator against a real Switchboard")
class LoadGeneratorIT {
  private static final String SECRET = "loadtest-it-secret";
  private static Switchboard switchboard;
  private static int port;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws IOException {
    port = freePort();
    Path data = TempDirs.deleteOnExit(Files.createTempDirectory("loadtest-it"));
    switchboard = Switchboard.start(Config.defaults()
        .with(ConfigKey.HTTP_HOST, "127.0.0.1")
        .with(ConfigKey.HTTP_PORT, port)
        .with(ConfigKey.DATA_DIR, data)
        .with(ConfigKey.JWT_SECRET, SECRET)
        .with(ConfigKey.PG_URL, TestServers.freshDatabase())
        .with(ConfigKey.REDIS_URL, TestServers.redisUri())
        .with(ConfigKey.MESSAGE_OPS_PORT, freePort())
        .with(ConfigKey.PRESENCE_OPS_PORT, freePort())
        // A load generator sends faster from one socket than a person: lift the per-socket limits.
        .with(ConfigKey.RATE_MESSAGES, "100000:100000")
        .with(ConfigKey.RATE_USER_MESSAGES, "100000:100000"));
  }

  @AfterAll
  static void stop() {
    if (switchboard != null) {
      switchboard.stopAndWait();
    }
  }

  private JsonObject run(String scenario, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of(scenario, "--url", "http://127.0.0.1:" + port, "--jwt-secret", SECRET,
        "--out", dir.resolve(scenario).toString(), "--quiet", "--socket-metrics-url", "none", "--max-duration", "30"));
    args.addAll(List.of(options));
    int exit = new CommandLine(new LoadTest()).execute(args.toArray(String[]::new));
    JsonObject result = ResultFiles.read(dir.resolve(scenario + ".json"));
    assertEquals(0, exit, () -> "exit code; result: " + result.encodePrettily());
    assertTrue(Files.exists(dir.resolve(scenario + ".html")), "the HTML report");
    return result;
  }

  @Test
  @DisplayName("fan-out: every message reaches every other member of its room, and every send is acked")
  void fanout() throws IOException {
    JsonObject r = run("fanout", "--rooms", "2", "--members", "10", "--rates", "20", "--step-seconds", "3",
        "--warmup-seconds", "0");
    assertEquals(20, r.getJsonObject("counters").getInteger("connects"));
    JsonObject population = r.getJsonObject("result").getJsonObject("population");
    assertEquals(20, population.getInteger("joined"));
    JsonObject step = r.getJsonObject("result").getJsonArray("steps").getJsonObject(0);
    assertEquals(60, step.getInteger("sent"));
    assertEquals(60 * 9, step.getInteger("expectedDeliveries"));
    assertEquals(60 * 9, step.getInteger("delivered"));
    assertEquals(60, step.getInteger("acked"));
    assertEquals(0, step.getInteger("ackErrors") + step.getInteger("ackLost"));
    assertEquals(60 * 9, r.getJsonObject("counters").getInteger("confirmed"), "room-message-confirmed to the others");
  }

  @Test
  @DisplayName("fan-out with a go file: the joined sockets hold, silent, until the file exists, then chat")
  void fanoutHoldsUntilGo() throws Exception {
    Path ready = dir.resolve("ready");
    Path go = dir.resolve("go");
    CompletableFuture<JsonObject> run = CompletableFuture.supplyAsync(() -> {
      try {
        return run("fanout", "--rooms", "2", "--members", "10", "--rates", "20", "--step-seconds", "2",
            "--warmup-seconds", "0", "--ready-file", ready.toString(), "--go-file", go.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(ready) && System.nanoTime() < deadline && !run.isDone()) {
      Thread.sleep(20);
    }
    assertEquals("20", Files.readString(ready).trim(), "the ready file holds the joined sockets");
    assertFalse(run.isDone(), "the run holds until the go file exists");
    Instant goAt = Instant.now();
    Files.writeString(go, "");
    JsonObject r = run.get(30, TimeUnit.SECONDS);
    JsonObject gate = r.getJsonObject("result").getJsonObject("gate");
    assertFalse(Instant.parse(gate.getString("goAt")).isBefore(goAt), gate::encode);
    JsonObject step = r.getJsonObject("result").getJsonArray("steps").getJsonObject(0);
    assertEquals(40, step.getInteger("sent"));
    assertEquals(40 * 9, step.getInteger("delivered"));
  }

  @Test
  @DisplayName("storm: every socket joins its room as it connects, the first of each room creating it")
  void storm() throws IOException {
    JsonObject r = run("storm", "--connections", "45", "--room-size", "10", "--connect-rate", "200", "--hold", "0");
    assertEquals(45, r.getJsonObject("counters").getInteger("connects"));
    JsonObject verdict = r.getJsonObject("result").getJsonObject("verdict");
    assertEquals(45, verdict.getInteger("joined"), verdict::encode);
    assertEquals(0, verdict.getInteger("notJoined"));
    assertEquals(45, r.getJsonObject("latency").getJsonObject("connectToJoined").getInteger("count"));
    assertEquals(null, r.getJsonObject("counters").getInteger("createRoomFailed"), "no room failed to be created");
  }

  @Test
  @DisplayName("broadcast with a slow consumer: the stalled member neither sends nor is expected, the others get everything")
  void broadcastWithSlowConsumer() throws IOException {
    JsonObject r = run("broadcast", "--members", "6", "--rates", "10", "--step-seconds", "2", "--warmup-seconds", "0",
        "--slow-consumers", "1");
    assertEquals(1, r.getJsonObject("result").getJsonObject("slowConsumers").getInteger("count"));
    JsonObject step = r.getJsonObject("result").getJsonArray("steps").getJsonObject(0);
    assertEquals(20, step.getInteger("sent"));
    assertEquals(20 * 4, step.getInteger("expectedDeliveries"), "5 members read: 4 receivers per message");
    assertEquals(20 * 4, step.getInteger("delivered"));
    assertEquals(20, step.getInteger("acked"));
  }

  @Test
  @DisplayName("durable: closed-loop sends are all acked once the window drains")
  void durable() throws IOException {
    JsonObject r = run("durable", "--rooms", "4", "--members", "2", "--window", "8", "--seconds", "2",
        "--warmup-seconds", "0");
    JsonObject measured = r.getJsonObject("result").getJsonObject("measured");
    assertTrue(measured.getInteger("sent") > 0, "some sends");
    assertEquals(measured.getInteger("sent"), measured.getInteger("acked"));
    assertEquals(measured.getInteger("expectedDeliveries"), measured.getInteger("delivered"));
  }

  @Test
  @DisplayName("idle: every socket connects and joins, the last room being the partial one")
  void idle() throws IOException {
    JsonObject r = run("idle", "--connections", "20", "--room-size", "7", "--settle", "0", "--hold", "0");
    JsonObject population = r.getJsonObject("result").getJsonObject("population");
    assertEquals(3, population.getInteger("rooms"));
    assertEquals(20, population.getInteger("connected"));
    assertEquals(20, population.getInteger("joined"));
    assertEquals(20, r.getJsonObject("result").getInteger("connectedAtSample"));
  }

  @Test
  @DisplayName("churn: every cycle connects, joins, leaves and disconnects")
  void churn() throws IOException {
    JsonObject r = run("churn", "--rooms", "3", "--rate", "10", "--seconds", "2", "--warmup-seconds", "0");
    JsonObject verdict = r.getJsonObject("result").getJsonObject("verdict");
    assertEquals(20, verdict.getInteger("completed"));
    assertEquals(0, verdict.getInteger("failed"));
    assertEquals(0, verdict.getInteger("skipped"));
    assertEquals(20, r.getJsonObject("result").getJsonObject("measured").getJsonObject("latency")
        .getJsonObject("leave").getInteger("count"));
  }

  private static int freePort() throws IOException {
    return io.switchboard.embedded.Ports.free();
  }
}
