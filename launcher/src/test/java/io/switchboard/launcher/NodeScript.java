package io.switchboard.launcher;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
}
