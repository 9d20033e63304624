package io.switchboard.launcher;

import io.switchboard.embedded.ClusterCertificates;
import io.switchboard.embedded.TempDirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code switchboard.jar} run as the README's run command runs it: a separate JVM with
 * settings from environment variables. Its output is kept so tests can wait for log lines.
 */
final class SwitchboardProcess implements AutoCloseable {
  private static final List<String> INHERITED_SETTINGS = List.of("PG_URL", "REDIS_URL", "JWT_SECRET", "JWT_PUBLIC_KEY",
      "SERVICE_TOKEN", "SWITCHBOARD_CONFIG", "SWITCHBOARD_CLUSTER", "SWITCHBOARD_SERVICES", "PORT", "GATEWAY_OPS_PORT",
      "CLUSTER_TLS_CA", "CLUSTER_TLS_CERT", "CLUSTER_TLS_KEY");
  private static Map<String, String> clusterTls;

  private static final long CLOSE_GRACE_MS = 15_000;

  private final Process process;
  private final String label;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;
  private String url;
  private String opsUrl;

  private SwitchboardProcess(Process process, String label) {
    this.process = process;
    this.label = label;
    this.reader = new Thread(this::pump, label + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The whole system in one process, as the README's run command starts it, in a fresh working
   * directory, on ports of its own; {@code env} adds or overrides settings. Returns once it serves.
   */
  static SwitchboardProcess startSystem(String name, Map<String, String> env) throws IOException, InterruptedException {
    return startSystem(name, env, List.of());
  }

  /**
   * As {@link #startSystem(String, Map)}, with {@code prefix} before the {@code java} command (such as
   * {@code ip netns exec <name>}, which runs it in a network namespace).
   */
  static SwitchboardProcess startSystem(String name, Map<String, String> env, List<String> prefix)
      throws IOException, InterruptedException {
    // World-traversable like a user's working directory: as root, the embedded Postgres runs as nobody.
    Path workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-" + name,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
    Map<String, String> settings = new java.util.HashMap<>(Map.of(
        "PORT", String.valueOf(freePort()),
        "MESSAGE_OPS_PORT", String.valueOf(freePort()),
        "PRESENCE_OPS_PORT", String.valueOf(freePort())));
    settings.putAll(env);
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(javaBin(), "-Xmx512m", "-jar", System.getProperty("switchboard.jar")));
    SwitchboardProcess app = run("switchboard-" + name, workDir, settings, command);
    app.url = "http://127.0.0.1:" + settings.get("PORT");
    app.awaitLog("switchboard: open", 180_000);
    return app;
  }

  /** The gateway's base URL, for processes started with {@link #startSystem}. */
  String url() {
    return url;
  }

  static SwitchboardProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    return start("switchboard", workDir, env, List.of("-Xmx512m"), args);
  }

  /**
   * As {@link #start(Path, Map, String...)}, its output prefixed with {@code label}, with these JVM
   * options (heap size and the like, for tests that run many processes).
   */
  static SwitchboardProcess start(String label, Path workDir, Map<String, String> env, List<String> jvmOptions,
      String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBin()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", System.getProperty("switchboard.jar")));
    command.addAll(List.of(args));
    return run(label, workDir, env, command);
  }

  /** Any command that starts Switchboard (the container image's entrypoint, say), as {@link #start}. */
  static SwitchboardProcess run(String label, Path workDir, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    INHERITED_SETTINGS.forEach(builder.environment()::remove);
    // A gateway's ops port of its own unless the test chose one: several gateways run at once.
    builder.environment().put("GATEWAY_OPS_PORT", String.valueOf(freePort()));
    builder.environment().putAll(env);
    SwitchboardProcess started = new SwitchboardProcess(builder.start(), label);
    started.opsUrl = "http://127.0.0.1:" + builder.environment().get("GATEWAY_OPS_PORT");
    return started;
  }

  /** The base URL of the gateway's ops port (/metrics, /socket-metrics, /admin/log-level). */
  String opsUrl() {
    return opsUrl;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        System.out.println("[" + label + "] " + line);
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // The process ended.
    }
  }

  /** Waits until a line of output matches, and returns the match. */
  Matcher awaitLog(String regex, long timeoutMs) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.currentTimeMillis() + timeoutMs;
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.find()) {
            return m;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || !process.isAlive() && seen == lines.size()) {
          throw new AssertionError("no log line matching /" + regex + "/ (process alive: " + process.isAlive() + ")");
        }
        lines.wait(Math.min(left, 500));
      }
    }
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Sends SIGTERM and waits for the exit; returns the exit code. */
  int terminate(long timeoutMs) throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of its output.
    process.toHandle().destroy();
    return awaitExit(timeoutMs);
  }

  /** SIGKILL without waiting, for processes that started no embedded servers (clusters of tests). */
  void killNow() {
    process.toHandle().destroyForcibly();
  }

  /** Kills the process as {@code kill -9} does: no shutdown hook, no goodbye to anyone. */
  void kill(long timeoutMs) throws InterruptedException {
    process.toHandle().destroyForcibly();
    awaitExit(timeoutMs);
  }

  /** Waits for the exit and for the last of its output. */
  int awaitExit(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("switchboard did not exit within " + timeoutMs + " ms");
    }
    reader.join(timeoutMs);
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  @Override
  /**
   * Stops the process gracefully (SIGTERM) so that its shutdown hook stops the embedded Postgres and
   * Redis it started (a SIGKILL left them running after every test run), and kills it when that
   * takes longer than {@link #CLOSE_GRACE_MS}.
   */
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.toHandle().destroy();
    try {
      if (process.waitFor(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }

  /**
   * The cluster TLS settings of a member of this test JVM's clusters: a CA and one member
   * certificate from it, made once (deploy/cluster-ca.sh), as one Secret serves all pods.
   */
  static synchronized Map<String, String> clusterTls() {
    if (clusterTls == null) {
      clusterTls = ClusterCertificates.member(ClusterCertificates.newCa()).env();
    }
    return clusterTls;
  }

  static int freePort() throws IOException {
    return io.switchboard.embedded.Ports.free();
  }
}
