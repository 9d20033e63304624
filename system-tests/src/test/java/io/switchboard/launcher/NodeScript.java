package io.switchboard.launcher;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a scenario of {@code src/test/js} with Node and the official socket.io-client; returns its JSON. */
final class NodeScript {
  private NodeScript() {}

  static JsonObject run(String script, long timeoutMs, String... args) throws IOException, InterruptedException {
    Path dir = Path.of(System.getProperty("switchboard.e2e.js"));
    List<String> command = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("node-" + script, ".out");
    Process node = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!node.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      node.destroyForcibly();
      throw new AssertionError(script + " did not finish within " + timeoutMs + " ms:\n" + Files.readString(log));
    }
    String text = Files.readString(log, StandardCharsets.UTF_8).trim();
    Files.deleteIfExists(log);
    if (node.exitValue() != 0) {
      throw new AssertionError(script + " failed (" + node.exitValue() + "):\n" + text);
    }
    String last = text.substring(text.lastIndexOf('\n') + 1);
    return new JsonObject(last);
  }

  /**
   * Starts a long-running scenario that prints one JSON object per line as it goes (the last one is
   * its result) and reads commands from its standard input: the test drives the system while the
   * clients run.
   */
  static Running start(String script, String... args) throws IOException {
    return startWith(List.of(), script, args);
  }

  /** As {@link #start}, with {@code prefix} before {@code node} (such as {@code ip netns exec <name>}). */
  static Running startWith(List<String> prefix, String script, String... args) throws IOException {
    Path dir = Path.of(System.getProperty("switchboard.e2e.js"));
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("node", dir.resolve(script).toString()));
    command.addAll(List.of(args));
    Process node = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    return new Running(script, node);
  }

  /** A scenario still running: its output lines so far, its standard input. */
  static final class Running implements AutoCloseable {
    private final String script;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private final Writer input;

    private Running(String script, Process process) {
      this.script = script;
      this.process = process;
      this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.reader = new Thread(this::pump, script + "-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void pump() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          System.out.println("[" + script + "] " + (line.length() > 400 ? line.substring(0, 400) + "..." : line));
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // The script ended.
      }
    }

    /** Waits for a JSON line whose {@code phase} is {@code phase}, and returns it. */
    JsonObject awaitPhase(String phase, long timeoutMs) throws InterruptedException {
      return awaitLine(0, line -> phase.equals(line.getString("phase")), "phase " + phase, timeoutMs);
    }

    /** Lines printed so far: a mark for {@link #awaitLine}. */
    int mark() {
      synchronized (lines) {
        return lines.size();
      }
    }

    /** Waits for a JSON line, printed after {@code from} lines, that matches; returns it. */
    JsonObject awaitLine(int from, java.util.function.Predicate<JsonObject> matches, String what, long timeoutMs)
        throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      int seen = from;
      synchronized (lines) {
        while (true) {
          for (; seen < lines.size(); seen++) {
            String line = lines.get(seen);
            if (line.startsWith("{")) {
              JsonObject json = new JsonObject(line);
              if (matches.test(json)) {
                return json;
              }
            }
          }
          long left = deadline - System.currentTimeMillis();
          if (left <= 0 || !process.isAlive() && seen == lines.size()) {
            throw new AssertionError(script + ": no " + what + " within " + timeoutMs + " ms (alive: "
                + process.isAlive() + ")");
          }
          lines.wait(Math.min(left, 500));
        }
      }
    }

    /** Waits until the scenario reports at least {@code acked} acknowledged sends. */
    JsonObject awaitAcked(int acked, long timeoutMs) throws InterruptedException {
      return awaitLine(mark(), line -> "progress".equals(line.getString("phase")) && line.getInteger("acked") >= acked,
          acked + " acknowledged sends", timeoutMs);
    }

    /** Writes one command line to the script's standard input. */
    void tell(String command) throws IOException {
      input.write(command + "\n");
      input.flush();
    }

    /** Waits for the script to exit successfully and returns its last line, its result. */
    JsonObject result(long timeoutMs) throws InterruptedException {
      JsonObject result = awaitPhase("result", timeoutMs);
      if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new AssertionError(script + " printed its result but did not exit");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(script + " failed (" + process.exitValue() + ")");
      }
      return result;
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
