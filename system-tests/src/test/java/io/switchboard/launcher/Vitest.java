package io.switchboard.launcher;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one vitest project of the {@code web} module (its {@code npm ci} ran in the web build) with
 * Node, against a running gateway. Its output goes to the test log as it comes.
 */
final class Vitest {
  private Vitest() {}

  static Path webDir() {
    return Path.of(System.getProperty("switchboard.web.dir")).toAbsolutePath().normalize();
  }

  /**
   * Runs the project and returns vitest's JSON summary ({@code numPassedTests}, {@code numFailedTests},
   * {@code numPendingTests}, ...) for the caller to assert on; fails with vitest's output when it
   * does not exit cleanly.
   */
  static JsonObject run(String project, Map<String, String> env, long timeoutMs) throws IOException, InterruptedException {
    Path dir = webDir();
    Path cli = dir.resolve("node_modules/vitest/vitest.mjs");
    if (!Files.exists(cli)) {
      throw new AssertionError("vitest is not installed in " + dir + ": build the web module first (mvn -pl web package)");
    }
    Path summary = Files.createTempFile("vitest-" + project, ".json");
    ProcessBuilder builder = new ProcessBuilder(List.of("node", cli.toString(), "run", "--project", project,
        "--reporter=default", "--reporter=json", "--outputFile.json=" + summary))
        .directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("NO_COLOR", "1");
    Process node = builder.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread pump = new Thread(() -> copy(node.getInputStream(), output), "vitest-" + project);
    pump.start();
    if (!node.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
      pump.join(5000);
      throw new AssertionError("vitest " + project + " did not finish within " + timeoutMs + " ms:\n" + text(output));
    }
    pump.join(5000);
    if (node.exitValue() != 0) {
      throw new AssertionError("vitest " + project + " failed (exit " + node.exitValue() + "):\n" + text(output));
    }
    try {
      return new JsonObject(Files.readString(summary));
    } finally {
      Files.deleteIfExists(summary);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream sink) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        System.out.write(buffer, 0, n);
        System.out.flush();
        synchronized (sink) {
          sink.write(buffer, 0, n);
        }
      }
    } catch (IOException ignored) {
      // The process ended.
    }
  }

  private static String text(ByteArrayOutputStream output) {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }
}
