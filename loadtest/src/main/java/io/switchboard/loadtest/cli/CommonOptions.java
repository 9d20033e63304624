package io.switchboard.loadtest.cli;

import io.switchboard.loadtest.engine.RunSettings;
import io.switchboard.loadtest.protocol.Endpoint;
import io.switchboard.loadtest.scenario.Target;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** The options every scenario shares: targets, addresses, auth, connection limits, bounds, output. */
public final class CommonOptions {
  @Option(names = "--url", description = "Gateway URL, repeatable; sockets are spread over them round-robin "
      + "(default: ${DEFAULT-VALUE})", defaultValue = "http://127.0.0.1:3000")
  List<String> urls = new ArrayList<>();

  @Option(names = "--target", description = "switchboard (create-room, then join by id) or reference "
      + "(join any id) (default: ${DEFAULT-VALUE})", defaultValue = "switchboard")
  String target;

  @Option(names = "--source-ips", description = "Local source addresses, e.g. 127.0.0.1-127.0.0.8 or a,b,c "
      + "(default: any)")
  String sourceIps;

  @Option(names = "--jwt-secret", description = "HS256 secret the server verifies tokens with "
      + "(default: $JWT_SECRET, else dev-secret)")
  String jwtSecret;

  @Option(names = "--receive", description = "How Switchboard's sockets receive other members' messages: "
      + "optimistic (the copy, then its confirmation) or durable (the stored message once); default: the server's")
  String receive;

  @Option(names = "--user-prefix", description = "Prefix of the simulated user ids and room names "
      + "(default: lt + random)")
  String userPrefix;

  @Option(names = "--connect-rate", description = "Connections started per second at most, e.g. 3000/s; "
      + "0 = no limit (default: ${DEFAULT-VALUE})", defaultValue = "2000/s")
  String connectRate;

  @Option(names = "--max-pending-connects", description = "Handshakes in flight at once, at most "
      + "(default: ${DEFAULT-VALUE})", defaultValue = "1000")
  int maxPendingConnects;

  @Option(names = "--connect-timeout", description = "Milliseconds one connection may take (default: ${DEFAULT-VALUE})",
      defaultValue = "30000")
  long connectTimeoutMs;

  @Option(names = "--request-timeout", description = "Milliseconds a setup request may wait for its ack "
      + "(default: ${DEFAULT-VALUE})", defaultValue = "15000")
  long requestTimeoutMs;

  @Option(names = "--setup-concurrency", description = "Setup requests (create-room, join-room) in flight at once "
      + "(default: ${DEFAULT-VALUE})", defaultValue = "500")
  int setupConcurrency;

  @Option(names = "--event-loops", description = "Event loops of the generator (default: number of cores)")
  Integer eventLoops;

  @Option(names = "--server-pid", description = "PID of the server process: RSS and CPU are sampled from /proc")
  Integer serverPid;

  @Option(names = "--watch-pid", description = "NAME=PID, repeatable: a process tree whose CPU per message the "
      + "fan-out steps report (e.g. gateway=, postgres=, redis=); default: server=SERVER_PID")
  Map<String, Integer> watchPids = new LinkedHashMap<>();

  @Option(names = "--compression", description = "Offer permessage-deflate (RFC 7692) on every WebSocket, as "
      + "browsers do; the server decides (Switchboard: WS_COMPRESSION)")
  boolean compression;

  @Option(names = "--wire-bytes", description = "Count the bytes on the wire of each fan-out phase: the TCP payload "
      + "the connections to the --url ports received and sent, from the kernel's counters (ss -ti; Linux)")
  boolean wireBytes;

  @Option(names = "--socket-metrics-url", description = "The server's /socket-metrics JSON "
      + "(default: first URL + /socket-metrics, ignored when absent; 'none' to skip)")
  String socketMetricsUrl;

  @Option(names = "--prometheus-url", description = "A Prometheus /metrics endpoint with jvm_memory_used_bytes "
      + "(JVM heap per connection)")
  String prometheusUrl;

  @Option(names = "--jcmd-gc", description = "Before each memory reading, run jcmd SERVER_PID GC.run "
      + "(JVM servers: the heap figure is then live data)")
  boolean jcmdGc;

  @Option(names = "--max-duration", description = "Hard bound of the run in seconds: the scenario stops and "
      + "reports when it passes (default: ${DEFAULT-VALUE})", defaultValue = "600")
  long maxDurationSeconds;

  @Option(names = "--out", description = "Prefix of the result files PREFIX.json and PREFIX.html "
      + "(default: loadtest-results/<scenario>-<target>-<time>)")
  Path out;

  @Option(names = "--label", description = "Name of this run in comparisons (default: the scenario name)")
  String label;

  @Option(names = "--quiet", description = "No progress line")
  boolean quiet;

  Target target() {
    return Target.parse(target);
  }

  RunSettings settings() {
    List<Endpoint> endpoints = urls.stream().map(Endpoint::parse).toList();
    String secret = jwtSecret != null ? jwtSecret
        : System.getenv("JWT_SECRET") != null && !System.getenv("JWT_SECRET").isBlank() ? System.getenv("JWT_SECRET")
        : "dev-secret";
    return new RunSettings(endpoints, SourceIps.parse(sourceIps), secret, userPrefix(),
        SourceIps.rate(connectRate), maxPendingConnects, connectTimeoutMs, requestTimeoutMs, setupConcurrency, receive,
        compression);
  }

  private String userPrefix() {
    if (userPrefix == null) {
      userPrefix = "lt" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
    }
    return userPrefix;
  }

  /** The process trees whose CPU is counted: the named ones, or else the server. */
  Map<String, Integer> watchedProcesses() {
    if (!watchPids.isEmpty() || serverPid == null) {
      return watchPids;
    }
    return Map.of("server", serverPid);
  }

  /** The server ports whose connections --wire-bytes counts; empty without it. */
  List<Integer> wirePorts() {
    return wireBytes ? urls.stream().map(u -> Endpoint.parse(u).port()).distinct().toList() : List.of();
  }

  int eventLoops() {
    return eventLoops != null && eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  String socketMetricsUrl() {
    if ("none".equalsIgnoreCase(socketMetricsUrl)) {
      return null;
    }
    return socketMetricsUrl != null ? socketMetricsUrl : Endpoint.parse(urls.get(0)).httpBase() + "/socket-metrics";
  }

  Path out(String scenario) {
    if (out != null) {
      return out;
    }
    String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("loadtest-results", scenario + "-" + target().name().toLowerCase() + "-" + time);
  }

  JsonObject toJson() {
    return new JsonObject().put("urls", new JsonArray(new ArrayList<>(urls))).put("target", target().name().toLowerCase())
        .put("sourceIps", sourceIps).put("userPrefix", userPrefix()).put("connectRate", connectRate)
        .put("maxPendingConnects", maxPendingConnects).put("connectTimeoutMs", connectTimeoutMs)
        .put("requestTimeoutMs", requestTimeoutMs).put("setupConcurrency", setupConcurrency)
        .put("eventLoops", eventLoops()).put("serverPid", serverPid).put("compression", compression)
        .put("wireBytes", wireBytes)
        .put("watchPids", new JsonObject(new LinkedHashMap<String, Object>(watchedProcesses()))).put("maxDurationSeconds", maxDurationSeconds);
  }
}
