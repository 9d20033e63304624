package io.switchboard.socketio.support;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/js/client.js} (the official socket.io-client) as a child process and reads the
 * JSON lines it prints. Every wait is bounded; the process is killed on close.
 */
public final class NodeClient implements AutoCloseable {
  private static final File JS_DIR = new File(System.getProperty("socketio.js.dir", "src/test/js"));

  private final Process process;
  private final BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
  private final List<JsonObject> seen = new ArrayList<>();
  private final Map<String, Integer> consumed = new HashMap<>();
  private final StringBuffer stderr = new StringBuffer();

  private NodeClient(Process process) {
    this.process = process;
    Thread out = new Thread(() -> read(process, true), "node-stdout");
    Thread err = new Thread(() -> read(process, false), "node-stderr");
    out.setDaemon(true);
    err.setDaemon(true);
    out.start();
    err.start();
  }

  public static NodeClient start(String scenario, String url, JsonObject options) {
    ensureInstalled();
    try {
      Process process = new ProcessBuilder("node", "client.js", scenario, url, options.encode())
          .directory(JS_DIR)
          .start();
      return new NodeClient(process);
    } catch (IOException e) {
      throw new AssertionError("cannot start node: " + e.getMessage(), e);
    }
  }

  /** Maven runs "npm ci" before the tests; this covers runs from an IDE. */
  private static synchronized void ensureInstalled() {
    if (new File(JS_DIR, "node_modules/socket.io-client").isDirectory()) {
      return;
    }
    try {
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JS_DIR).inheritIO().start();
      if (!npm.waitFor(120, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        throw new AssertionError("npm ci failed in " + JS_DIR);
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("npm ci failed: " + e.getMessage(), e);
    }
  }

  private void read(Process p, boolean stdout) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        stdout ? p.getInputStream() : p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (stdout && line.startsWith("{")) {
          lines.add(new JsonObject(line));
        } else {
          stderr.append(line).append('\n');
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /**
   * The next line whose "ev" is {@code event}: lines of one event come in the order printed, while
   * lines of different events may be awaited in any order (several sockets print concurrently).
   */
  public JsonObject await(String event) {
    int wanted = consumed.merge(event, 1, Integer::sum);
    long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
    while (true) {
      List<JsonObject> matching = seen(event);
      if (matching.size() >= wanted) {
        return matching.get(wanted - 1);
      }
      long left = deadline - System.nanoTime();
      JsonObject line;
      try {
        line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
      if (line == null) {
        throw new AssertionError("node client printed no \"" + event + "\" line; seen " + seen + "; stderr: " + stderr);
      }
      seen.add(line);
      if ("timeout".equals(line.getString("ev")) || "error".equals(line.getString("ev"))) {
        throw new AssertionError("node client gave up: " + line + "; seen " + seen + "; stderr: " + stderr);
      }
    }
  }

  /** Every line read so far by {@link #await}. */
  public List<JsonObject> seen() {
    return List.copyOf(seen);
  }

  public List<JsonObject> seen(String event) {
    return seen.stream().filter(l -> event.equals(l.getString("ev"))).toList();
  }

  /** Waits for the process to exit and returns its exit code. */
  public int exitCode() {
    try {
      if (!process.waitFor(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node client did not exit; seen " + seen);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
