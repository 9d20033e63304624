package io.switchboard.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cluster TLS material for tests, made at test time by the documented command
 * ({@code deploy/cluster-ca.sh}, with openssl) in folders deleted when the JVM exits: a CA, and
 * members' certificate and key from it.
 */
public final class ClusterCertificates {
  private static final long TIMEOUT_SECONDS = 60;

  /** A CA's folder ({@code ca.crt}, {@code ca.key}). */
  public record Ca(Path dir) {
    public Path certificate() {
      return dir.resolve("ca.crt");
    }
  }

  /** What one member is given: the CA certificates it trusts, its certificate, its key. */
  public record Member(Path ca, Path cert, Path key) {
    /** The three settings of a member, as environment variables of the launcher. */
    public Map<String, String> env() {
      return Map.of("CLUSTER_TLS_CA", ca.toString(), "CLUSTER_TLS_CERT", cert.toString(), "CLUSTER_TLS_KEY", key.toString());
    }
  }

  private ClusterCertificates() {}

  public static Ca newCa() {
    Path dir = TempDirs.deleteOnExit(tempDir("switchboard-ca"));
    run("ca", dir.resolve("ca").toString());
    return new Ca(dir.resolve("ca"));
  }

  /** A member certificate of {@code ca}. */
  public static Member member(Ca ca) {
    Path out = TempDirs.deleteOnExit(tempDir("switchboard-member"));
    run("member", ca.dir().toString(), out.toString());
    return new Member(out.resolve("ca.crt"), out.resolve("tls.crt"), out.resolve("tls.key"));
  }

  /** The script, found from the working directory (a module's folder or the repository's). */
  public static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("deploy/cluster-ca.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("deploy/cluster-ca.sh not found above " + Path.of("").toAbsolutePath());
  }

  private static void run(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script().toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output;
      try (var in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
