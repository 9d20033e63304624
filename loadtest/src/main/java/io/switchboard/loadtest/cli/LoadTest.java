package io.switchboard.loadtest.cli;

import io.switchboard.loadtest.report.Comparison;
import io.switchboard.loadtest.report.ResultFiles;
import io.switchboard.loadtest.scenario.Backoff;
import io.switchboard.loadtest.scenario.ChurnScenario;
import io.switchboard.loadtest.scenario.DurableScenario;
import io.switchboard.loadtest.scenario.FailoverScenario;
import io.switchboard.loadtest.scenario.FanoutScenario;
import io.switchboard.loadtest.scenario.IdleScenario;
import io.switchboard.loadtest.scenario.Scenario;
import io.switchboard.loadtest.scenario.StormScenario;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar loadtest.jar <scenario> [options]}: drives a Socket.IO v4 chat server (Switchboard
 * or the Node reference) with many raw-WebSocket clients and writes a JSON result and an HTML report.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "loadtest 0.1.0",
    description = "Load generator for Switchboard and the Node Socket.IO reference server.",
    subcommands = {LoadTest.Idle.class, LoadTest.Storm.class, LoadTest.Fanout.class, LoadTest.Reactions.class, LoadTest.Broadcast.class, LoadTest.Durable.class,
        LoadTest.Churn.class, LoadTest.Failover.class, LoadTest.Compare.class})
public final class LoadTest {

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.exit(new CommandLine(new LoadTest()).execute(args));
  }

  /** Runs a scenario: 0 when it completed, 1 when it failed. */
  static int execute(CommonOptions common, Scenario scenario) throws Exception {
    JsonObject result = new Runner(common, System.out).run(scenario);
    return result.getString("error") == null ? 0 : 1;
  }

  @Command(name = "idle", mixinStandardHelpOptions = true,
      description = "N idle connections, each joined to a room; the server's memory per connection. "
          + "With a high --connect-rate it is the connection storm.")
  static final class Idle implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--connections", defaultValue = "1000", description = "Sockets (default: ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--room-size", defaultValue = "10", description = "Members per room (default: ${DEFAULT-VALUE})")
    int roomSize;
    @Option(names = "--settle", defaultValue = "10", description = "Seconds after the last join before memory is read (default: ${DEFAULT-VALUE})")
    double settle;
    @Option(names = "--hold", defaultValue = "10", description = "Seconds the sockets then stay open (default: ${DEFAULT-VALUE})")
    double hold;

    @Override
    public Integer call() throws Exception {
      return execute(common, new IdleScenario(new IdleScenario.Options(common.target(), connections, roomSize, settle, hold)));
    }
  }

  @Command(name = "storm", mixinStandardHelpOptions = true,
      description = "A connection storm as clients make it: each socket joins its room as soon as it is connected; "
          + "the time from opening a socket to its join's ack.")
  static final class Storm implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--connections", defaultValue = "18000", description = "Sockets (default: ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--room-size", defaultValue = "10", description = "Members per room (default: ${DEFAULT-VALUE})")
    int roomSize;
    @Option(names = "--hold", defaultValue = "5", description = "Seconds the sockets then stay open (default: ${DEFAULT-VALUE})")
    double hold;

    @Override
    public Integer call() throws Exception {
      return execute(common, new StormScenario(new StormScenario.Options(common.target(), connections, roomSize, hold)));
    }
  }

  /** Options of the stepped-rate scenarios (fanout, broadcast). */
  static final class StepOptions {
    @Option(names = "--step-seconds", defaultValue = "15", description = "Seconds each rate step sends (default: ${DEFAULT-VALUE})")
    double stepSeconds;
    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Unjudged warm-up (default: ${DEFAULT-VALUE})")
    double warmupSeconds;
    @Option(names = "--warmup-rate", description = "Warm-up rate (default: the first step's rate)")
    Double warmupRate;
    @Option(names = "--drain-ms", defaultValue = "5000", description = "Longest wait after a step for its acks and deliveries (default: ${DEFAULT-VALUE})")
    long drainMs;
    @Option(names = "--slo-ms", defaultValue = "100", description = "p99 bound of the verdict (default: ${DEFAULT-VALUE})")
    double sloMs;
    @Option(names = "--stop-p99-ms", defaultValue = "2000", description = "Stop stepping once a step's p99 exceeds this (default: ${DEFAULT-VALUE})")
    double stopP99Ms;
    @Option(names = "--body-bytes", defaultValue = "64", description = "Message body length (default: ${DEFAULT-VALUE})")
    int bodyBytes;
    @Option(names = "--body-text", defaultValue = "x", description = "What bodies are made of: x (one letter "
        + "repeated) or words (common words at random; compresses about as prose does) (default: ${DEFAULT-VALUE})")
    String bodyText;
    @Option(names = "--slow-consumers", defaultValue = "0",
        description = "Members of the first room that stop reading after joining (default: ${DEFAULT-VALUE})")
    int slowConsumers;
    @Option(names = "--ready-file", description = "Written (the number of joined sockets) once every socket has joined")
    String readyFile;
    @Option(names = "--go-file", description = "Hold the joined sockets, silent, until this file exists; then warm "
        + "up and step (several generators started together)")
    String goFile;
  }

  @Command(name = "fanout", mixinStandardHelpOptions = true,
      description = "R rooms x M members; the aggregate send rate stepped up; delivery and ack latency per step.")
  static final class Fanout implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin StepOptions steps;
    @Option(names = "--rooms", defaultValue = "1000", description = "Rooms (default: ${DEFAULT-VALUE})")
    int rooms;
    @Option(names = "--members", defaultValue = "10", description = "Members per room (default: ${DEFAULT-VALUE})")
    int members;
    @Option(names = "--rates", split = ",", defaultValue = "250,500,1000,1500,2000,3000",
        description = "Aggregate send rates of the steps, msg/s (default: ${DEFAULT-VALUE})")
    List<Double> rates;

    @Override
    public Integer call() throws Exception {
      return execute(common, stepped("fanout", common, steps, rooms, members, rates));
    }
  }

  @Command(name = "reactions", mixinStandardHelpOptions = true,
      description = "Fanout's rooms and rates with reactions instead of messages (Switchboard only): a message per room, "
          + "then add-reaction / remove-reaction on it; message-reaction delivery and ack latency per step.")
  static final class Reactions implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin StepOptions steps;
    @Option(names = "--rooms", defaultValue = "1000", description = "Rooms (default: ${DEFAULT-VALUE})")
    int rooms;
    @Option(names = "--members", defaultValue = "10", description = "Members per room (default: ${DEFAULT-VALUE})")
    int members;
    @Option(names = "--rates", split = ",", defaultValue = "250,500,1000,1500,2000,3000",
        description = "Aggregate reaction changes per second of the steps (default: ${DEFAULT-VALUE})")
    List<Double> rates;

    @Override
    public Integer call() throws Exception {
      return execute(common, stepped("reactions", common, steps, rooms, members, rates));
    }
  }

  @Command(name = "broadcast", mixinStandardHelpOptions = true,
      description = "One room of several thousand members; the send rate stepped up.")
  static final class Broadcast implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin StepOptions steps;
    @Option(names = "--members", defaultValue = "5000", description = "Members of the room (default: ${DEFAULT-VALUE})")
    int members;
    @Option(names = "--rates", split = ",", defaultValue = "1,2,5,10,20",
        description = "Send rates of the steps, msg/s (default: ${DEFAULT-VALUE})")
    List<Double> rates;

    @Override
    public Integer call() throws Exception {
      return execute(common, stepped("broadcast", common, steps, 1, members, rates));
    }
  }

  static Scenario stepped(String name, CommonOptions common, StepOptions s, int rooms, int members, List<Double> rates) {
    double warmupRate = s.warmupRate != null ? s.warmupRate : rates.get(0);
    return new FanoutScenario(new FanoutScenario.Options(name, common.target(), rooms, members, rates, s.stepSeconds,
        s.warmupSeconds, warmupRate, s.drainMs, s.sloMs, s.stopP99Ms, s.bodyBytes, s.bodyText, s.slowConsumers,
        s.readyFile, s.goFile));
  }

  @Command(name = "durable", mixinStandardHelpOptions = true,
      description = "Closed-loop send-message with a window of outstanding sends: durable messages/s and ack latency.")
  static final class Durable implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--rooms", defaultValue = "1000", description = "Rooms (default: ${DEFAULT-VALUE})")
    int rooms;
    @Option(names = "--members", defaultValue = "1", description = "Members per room (default: ${DEFAULT-VALUE})")
    int members;
    @Option(names = "--window", defaultValue = "200", description = "Sends awaiting their ack at once (default: ${DEFAULT-VALUE})")
    int window;
    @Option(names = "--seconds", defaultValue = "20", description = "Measurement window (default: ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Unmeasured warm-up (default: ${DEFAULT-VALUE})")
    double warmupSeconds;
    @Option(names = "--drain-ms", defaultValue = "10000", description = "Longest wait for the last acks (default: ${DEFAULT-VALUE})")
    long drainMs;
    @Option(names = "--body-bytes", defaultValue = "64", description = "Message body length (default: ${DEFAULT-VALUE})")
    int bodyBytes;

    @Override
    public Integer call() throws Exception {
      return execute(common, new DurableScenario(new DurableScenario.Options(common.target(), rooms, members, window,
          seconds, warmupSeconds, drainMs, bodyBytes)));
    }
  }

  @Command(name = "churn", mixinStandardHelpOptions = true,
      description = "Cycles per second of connect, join, leave, disconnect, each with a fresh user.")
  static final class Churn implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--rooms", defaultValue = "100", description = "Rooms the cycles join (default: ${DEFAULT-VALUE})")
    int rooms;
    @Option(names = "--rate", defaultValue = "200", description = "Cycles started per second (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--seconds", defaultValue = "20", description = "How long cycles are started (default: ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--warmup-seconds", defaultValue = "10", description = "Unmeasured warm-up (default: ${DEFAULT-VALUE})")
    double warmupSeconds;
    @Option(names = "--warmup-rate", description = "Warm-up cycles per second (default: half of --rate)")
    Double warmupRate;
    @Option(names = "--hold-ms", defaultValue = "0", description = "Time in the room before leaving (default: ${DEFAULT-VALUE})")
    long holdMs;
    @Option(names = "--max-in-flight", defaultValue = "2000", description = "Cycles running at once, at most (default: ${DEFAULT-VALUE})")
    int maxInFlight;

    @Override
    public Integer call() throws Exception {
      return execute(common, new ChurnScenario(new ChurnScenario.Options(common.target(), rooms, rate, seconds,
          warmupSeconds, warmupRate != null ? warmupRate : rate / 2, holdMs, maxInFlight)));
    }
  }

  @Command(name = "failover", mixinStandardHelpOptions = true,
      description = "Sockets chat on gateway A (--url); A is killed; all reconnect to gateway B (--failover-url) and "
          + "rejoin with sinceSeq: drop-to-rejoined latency, refusals, missed and duplicate messages.")
  static final class Failover implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--failover-url", required = true,
        description = "Gateway B, repeatable: where dropped sockets reconnect (socket i to URL i modulo their number)")
    List<String> failoverUrls;
    @Option(names = "--kill-pid", description = "PID killed with SIGKILL (kill -9) at --kill-after, repeatable "
        + "(default: none; kill gateway A yourself then)")
    List<Long> killPids = new ArrayList<>();
    @Option(names = "--rooms", defaultValue = "500", description = "Rooms (default: ${DEFAULT-VALUE})")
    int rooms;
    @Option(names = "--members", defaultValue = "10", description = "Members per room (default: ${DEFAULT-VALUE})")
    int members;
    @Option(names = "--rate", defaultValue = "250", description = "Aggregate send rate, msg/s, throughout (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--kill-after", defaultValue = "10", description = "Seconds of sending before A is killed (default: ${DEFAULT-VALUE})")
    double killAfter;
    @Option(names = "--after", defaultValue = "20", description = "Seconds of sending after the kill (default: ${DEFAULT-VALUE})")
    double after;
    @Option(names = "--reconnect-delay-ms", defaultValue = "1000",
        description = "First reconnection delay, doubled per failed attempt; 0 reconnects at once (default: ${DEFAULT-VALUE}, as socket.io-client)")
    long reconnectDelayMs;
    @Option(names = "--reconnect-delay-max-ms", defaultValue = "5000",
        description = "Longest reconnection delay (default: ${DEFAULT-VALUE}, as socket.io-client)")
    long reconnectDelayMaxMs;
    @Option(names = "--reconnect-jitter", defaultValue = "0.5",
        description = "Randomization of each delay, 0..1: 0.5 is +-50%% (default: ${DEFAULT-VALUE}, as socket.io-client)")
    double reconnectJitter;
    @Option(names = "--reconnect-attempts", defaultValue = "0",
        description = "Attempts per drop before a socket gives up; 0 = no limit but the run's (default: ${DEFAULT-VALUE})")
    int reconnectAttempts;
    @Option(names = "--drain-ms", defaultValue = "30000",
        description = "Longest wait after sending for rejoins, acks and deliveries (default: ${DEFAULT-VALUE})")
    long drainMs;
    @Option(names = "--body-bytes", defaultValue = "64", description = "Message body length (default: ${DEFAULT-VALUE})")
    int bodyBytes;

    @Override
    public Integer call() throws Exception {
      return execute(common, new FailoverScenario(new FailoverScenario.Options(common.target(), rooms, members, rate,
          killAfter, after, failoverUrls, killPids, new Backoff(reconnectDelayMs, reconnectDelayMaxMs, reconnectJitter),
          reconnectAttempts, drainMs, bodyBytes)));
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "A Markdown table of result files, Switchboard next to the reference, with ratios.")
  static final class Compare implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "Result JSON files")
    List<Path> files;
    @Option(names = "--at-rate", defaultValue = "1000", description = "Fan-out step whose latencies are compared (default: ${DEFAULT-VALUE})")
    double atRate;
    @Option(names = "--out", description = "Write the table to this file as well")
    Path out;

    @Override
    public Integer call() throws Exception {
      List<JsonObject> results = new ArrayList<>();
      for (Path f : files) {
        results.add(ResultFiles.read(f));
      }
      String table = new Comparison(atRate).table(results);
      System.out.print(table);
      if (out != null) {
        Files.writeString(out, table);
      }
      return 0;
    }
  }
}
