package io.switchboard.launcher;

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

  /** Runs the project; fails with vitest's output unless every test passed. */
  static void run(String project, Map<String, String> env, long timeoutMs) throws IOException, InterruptedException {
    Path dir = webDir();
    Path cli = dir.resolve("node_modules/vitest/vitest.mjs");
    if (!Files.exists(cli)) {
      throw new AssertionError("vitest is not installed in " + dir + ": build the web module first (mvn -pl web package)");
    }
    ProcessBuilder builder = new ProcessBuilder(List.of("node", cli.toString(), "run", "--project", project))
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
