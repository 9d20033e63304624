package io.switchboard.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Folders that tests create for databases and processes, deleted with their contents when the JVM
 * exits: a test run must not leave its Postgres data (a hundred MB or more per server) behind.
 * Whoever runs a server in such a folder stops it before the JVM exits (or uses
 * {@link EmbeddedPostgres#startTemporary}, which stops its server before deleting the folder).
 */
public final class TempDirs {
  private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();
  private static boolean hooked;

  private TempDirs() {}

  /** Deletes {@code dir} and everything in it when the JVM exits. */
  public static synchronized Path deleteOnExit(Path dir) {
    // The hook is added here, not when the class loads: delete() may first be called from another
    // shutdown hook, when adding one is no longer allowed.
    if (!hooked) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> DIRS.forEach(TempDirs::delete), "temp-dirs-cleanup"));
      hooked = true;
    }
    DIRS.add(dir);
    return dir;
  }

  /** Deletes {@code dir} and everything in it now, as far as possible. */
  public static void delete(Path dir) {
    DIRS.remove(dir);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // Best effort: what cannot be deleted stays.
        }
      });
    } catch (IOException ignored) {
      // Best effort.
    }
  }
}
