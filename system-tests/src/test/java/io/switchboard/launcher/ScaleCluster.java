package io.switchboard.launcher;

import io.switchboard.embedded.TempDirs;
import io.switchboard.embedded.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

/**
 * The production layout on this machine: gateways, message-services and presence-services of the
 * packaged jar, each in its own JVM, on one Hazelcast cluster, with the gateways behind a
 * {@link TcpBalancer}. Postgres and Redis are the tests' shared servers (a fresh database per
 * cluster).
 *
 * <p>Each member has its own Hazelcast port and the member list names them all, so this cluster
 * never meets another one started on the same machine with the default ports (other test classes,
 * other checkouts). A member restarted after a kill reuses its ports.
 *
 * <p>Every process is started with a small heap; {@link #close()} kills whatever is still running.
 */
final class ScaleCluster implements AutoCloseable {
  static final String JWT_SECRET = "scale-test-secret-0123456789abcdef-0123";
  static final long START_TIMEOUT_MS = 180_000;
  static final long STOP_TIMEOUT_MS = 60_000;
  /**
   * Small heaps, one GC thread, and the client compiler only: seven JVMs start on two busy cores in
   * a reasonable time, and the traffic of the tests needs no peak performance. Hazelcast's master
   * holds a join request for 5 s by default (to admit simultaneous joiners together); 1 s is enough
   * here and makes each restart of a rolling restart shorter. A benchmark passes production options
   * in {@code -Dscale.jvm} (space-separated) instead.
   */
  private static final List<String> JVM = List.of((System.getProperty("scale.jvm",
      "-Xmx200m -XX:+UseSerialGC -XX:TieredStopAtLevel=1") + " -Dhazelcast.wait.seconds.before.join=1").trim().split("\\s+"));

  enum Role {
    GATEWAY("gateway"), MESSAGE("message"), PRESENCE("presence");

    final String service;

    Role(String service) {
      this.service = service;
    }
  }

  /**
   * One process of the layout: its HTTP port (gateway or ops), the port of its {@code /metrics}
   * (the gateway's ops port; the same as httpPort for the others) and its Hazelcast port stay across
   * restarts.
   */
  record Member(String name, Role role, int httpPort, int metricsPort, int clusterPort) {}

  private final Path workDir;
  private final Map<String, String> common;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Map<String, SwitchboardProcess> processes = new java.util.concurrent.ConcurrentHashMap<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = vertx.createHttpClient();
  private final TcpBalancer balancer;

  private ScaleCluster(Path workDir, Map<String, String> common) {
    this.workDir = workDir;
    this.common = common;
    this.balancer = TcpBalancer.start(vertx);
    // Should the test JVM end without close() (killed by a timeout), seven JVMs must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.values().forEach(SwitchboardProcess::close),
        "scale-cluster-cleanup"));
  }

  /**
   * Starts {@code gateways} gateways (named gateway-1, ...), {@code messages} message-services and
   * {@code presences} presence-services, services first, and waits until the balancer routes to
   * every gateway. {@code env} is added to every process's environment.
   */
  static ScaleCluster start(int gateways, int messages, int presences, Map<String, String> env) throws Exception {
    Map<String, String> common = new HashMap<>(Map.of(
        "SWITCHBOARD_CLUSTER", "true",
        "CLUSTER_HOST", "127.0.0.1",
        "JWT_SECRET", JWT_SECRET,
        "PG_URL", TestServers.freshDatabase(),
        "REDIS_URL", TestServers.redisUri()));
    common.putAll(SwitchboardProcess.clusterTls());
    common.putAll(env);
    ScaleCluster cluster = new ScaleCluster(TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-scale")), common);
    try {
      cluster.plan(Role.MESSAGE, messages);
      cluster.plan(Role.PRESENCE, presences);
      cluster.plan(Role.GATEWAY, gateways);
      cluster.common.put("CLUSTER_MEMBERS", cluster.members.values().stream()
          .map(m -> "127.0.0.1:" + m.clusterPort()).collect(Collectors.joining(",")));
      List<String> services = cluster.names(Role.MESSAGE);
      services.addAll(cluster.names(Role.PRESENCE));
      cluster.startAll(services);
      cluster.startAll(cluster.names(Role.GATEWAY));
      cluster.awaitRouting();
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  private void plan(Role role, int count) throws IOException {
    for (int i = 1; i <= count; i++) {
      String name = role.service + "-" + i;
      int httpPort = SwitchboardProcess.freePort();
      members.put(name, new Member(name, role, httpPort, role == Role.GATEWAY ? SwitchboardProcess.freePort() : httpPort,
          SwitchboardProcess.freePort()));
    }
  }

  List<String> names(Role role) {
    return members.values().stream().filter(m -> m.role() == role).map(Member::name)
        .collect(Collectors.toCollection(ArrayList::new));
  }

  List<String> all() {
    return new ArrayList<>(members.keySet());
  }

  TcpBalancer balancer() {
    return balancer;
  }

  String url() {
    return balancer.url();
  }

  /** Each gateway's own URL, bypassing the balancer. */
  List<String> gatewayUrls() {
    return names(Role.GATEWAY).stream().map(n -> "http://127.0.0.1:" + members.get(n).httpPort()).toList();
  }

  SwitchboardProcess process(String name) {
    return processes.get(name);
  }

  boolean running(String name) {
    SwitchboardProcess process = processes.get(name);
    return process != null && process.isAlive();
  }

  /** Starts the named members at once and waits until each runs its service. */
  void startAll(List<String> names) throws Exception {
    for (String name : names) {
      launch(name);
    }
    for (String name : names) {
      awaitRunning(name);
    }
  }

  /** Starts one member again (after a kill or a stop), on its ports, and waits until it runs. */
  void restart(String name) throws Exception {
    startAll(List.of(name));
  }

  /** Starts whatever is not running, then waits until the balancer routes to every gateway. */
  void ensureAllRunning() throws Exception {
    List<String> stopped = members.keySet().stream().filter(n -> !running(n)).toList();
    if (!stopped.isEmpty()) {
      startAll(stopped);
    }
    awaitRouting();
  }

  /** Waits until the balancer routes to exactly the running gateways. */
  void awaitRouting() {
    List<String> up = names(Role.GATEWAY).stream().filter(this::running).toList();
    Blocking.await(balancer.whenRouting(up, START_TIMEOUT_MS), START_TIMEOUT_MS + 1000, "routing");
  }

  /** The sum of the member's samples of {@code metric} on its {@code /metrics}, now. */
  double metric(String name, String metric) {
    return Blocking.await(http.request(HttpMethod.GET, members.get(name).metricsPort(), "127.0.0.1", "/metrics")
        .compose(req -> req.send().compose(HttpClientResponse::body))
        .map(body -> sum(body.toString(), metric)), 10_000, metric + " of " + name);
  }

  /**
   * Completes when the sum of the member's samples of {@code metric} on its {@code /metrics} passes
   * {@code test}; polled every 20 ms.
   */
  Future<Void> whenMetric(String name, String metric, DoublePredicate test, long timeoutMs) {
    Promise<Void> done = Promise.promise();
    pollMetric(members.get(name).metricsPort(), metric, test, System.currentTimeMillis() + timeoutMs, done);
    return done.future();
  }

  private void pollMetric(int port, String metric, DoublePredicate test, long deadline, Promise<Void> done) {
    http.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(req -> req.send().compose(HttpClientResponse::body))
        .onComplete(body -> {
          if (body.succeeded() && test.test(sum(body.result().toString(), metric))) {
            done.complete();
          } else if (System.currentTimeMillis() > deadline) {
            done.fail(new AssertionError(metric + " never matched on port " + port));
          } else {
            vertx.setTimer(20, id -> pollMetric(port, metric, test, deadline, done));
          }
        });
  }

  private static double sum(String prometheusText, String metric) {
    return prometheusText.lines()
        .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** SIGKILL, and wait for the process to be gone. */
  void kill(String name) throws InterruptedException {
    processes.get(name).kill(STOP_TIMEOUT_MS);
  }

  /** SIGTERM, and wait for the graceful stop; returns the exit code. */
  int terminate(String name) throws InterruptedException {
    return processes.get(name).terminate(STOP_TIMEOUT_MS);
  }

  private void launch(String name) throws IOException {
    Member member = members.get(name);
    Map<String, String> env = new HashMap<>(common);
    env.put("CLUSTER_PORT", String.valueOf(member.clusterPort()));
    if (member.role() == Role.GATEWAY) {
      env.put("GATEWAY_OPS_PORT", String.valueOf(member.metricsPort()));
    }
    env.put(switch (member.role()) {
      case GATEWAY -> "PORT";
      case MESSAGE -> "MESSAGE_OPS_PORT";
      case PRESENCE -> "PRESENCE_OPS_PORT";
    }, String.valueOf(member.httpPort()));
    processes.put(name, SwitchboardProcess.start(name, workDir, env, JVM, "--services", member.role().service));
    if (member.role() == Role.GATEWAY) {
      balancer.put(name, member.httpPort());
    }
  }

  private void awaitRunning(String name) throws InterruptedException {
    Member member = members.get(name);
    processes.get(name).awaitLog("switchboard: running \\[" + member.role().service + "\\] \\(clustered\\)", START_TIMEOUT_MS);
  }

  /** Kills every process still running (SIGKILL: a test that failed half-way leaves nothing behind). */
  @Override
  public void close() {
    // Their Postgres and Redis belong to the test JVM, so nothing is left behind by a SIGKILL.
    processes.values().forEach(SwitchboardProcess::killNow);
    for (SwitchboardProcess process : processes.values()) {
      try {
        process.awaitExit(STOP_TIMEOUT_MS);
      } catch (InterruptedException | AssertionError e) {
        // Already asked to die; nothing more to do.
      }
    }
    try {
      balancer.close();
    } finally {
      Blocking.await(vertx.close(), STOP_TIMEOUT_MS, "test vert.x close");
    }
  }
}
