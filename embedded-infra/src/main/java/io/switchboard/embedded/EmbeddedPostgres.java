package io.switchboard.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run by this process, on 127.0.0.1 with trust authentication, its data in
 * a directory of the caller's choice so that it survives restarts.
 *
 * <p>PostgreSQL refuses to run as root; when this process is root, the server runs as the
 * unprivileged user {@code nobody} (through {@code setpriv}) and the data directory is given to it.
 * A server left running by a process that was killed is stopped before a new one starts.
 *
 * <p>Blocking: call from a main thread or a worker, never from an event loop.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String UNPRIVILEGED_UID = "65534";

  private final Path bin;
  private final Path baseDir;
  private final Path dataDir;
  private final int port;
  private final Thread shutdownHook;
  private volatile boolean stopped;

  private EmbeddedPostgres(Path bin, Path baseDir, int port) {
    this.bin = bin;
    this.baseDir = baseDir;
    this.dataDir = baseDir.resolve("pgdata");
    this.port = port;
    this.shutdownHook = new Thread(this::stopQuietly, "embedded-postgres-stop");
  }

  /**
   * Starts a server in a new temporary folder (named {@code prefix}...) for tests: at JVM exit it is
   * stopped and then its folder deleted, in that order, so that pg_ctl still finds its files.
   */
  public static EmbeddedPostgres startTemporary(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    EmbeddedPostgres pg = start(dir, 0, false);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      pg.stopQuietly();
      TempDirs.delete(dir);
    }, "embedded-postgres-cleanup"));
    return pg;
  }

  /**
   * Starts a server keeping its files under {@code baseDir}; {@code port} 0 picks a free one. With
   * {@code stopOnJvmExit} a shutdown hook stops it; without, the caller stops it (in its own order).
   */
  public static EmbeddedPostgres start(Path baseDir, int port, boolean stopOnJvmExit) throws IOException {
    Path home = PostgresBinaries.unpacked();
    Path base = baseDir.toAbsolutePath();
    EmbeddedPostgres pg = new EmbeddedPostgres(home.resolve("bin"), base, port == 0 ? Ports.free() : port);
    pg.boot();
    if (stopOnJvmExit) {
      Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
    }
    return pg;
  }

  public int port() {
    return port;
  }

  /** Connection URI for vertx-pg-client and the launcher's config. */
  public String uri(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  /** Creates the database unless it exists. */
  public void ensureDatabase(String name) throws SQLException {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("database name must be a plain identifier: " + name);
    }
    try (Connection c = Jdbc.connect(jdbcUrl("postgres"))) {
      var rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        c.createStatement().execute("CREATE DATABASE " + name);
      }
    }
  }

  private void boot() throws IOException {
    Files.createDirectories(baseDir);
    if (isRoot()) {
      requireTraversable(baseDir.getParent());
      run(List.of("chown", "-R", UNPRIVILEGED_UID + ":" + UNPRIVILEGED_UID, baseDir.toString()), false);
    }
    if (Files.exists(dataDir.resolve("postmaster.pid"))) {
      LOG.warn("embedded postgres: stopping a server left running in {}", dataDir);
      pgCtl(List.of("stop", "-m", "immediate", "-w"), true);
    }
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      LOG.info("embedded postgres: initializing {}", dataDir);
      runAsOwner(List.of(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
          "--locale=C", "-D", dataDir.toString()), false);
    }
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
        + "-c max_connections=300 -c fsync=on -c synchronous_commit=on -c log_lock_waits=on -c deadlock_timeout=200ms "
        + "-c log_min_duration_statement=1000";
    pgCtl(List.of("start", "-w", "-t", "60", "-l", baseDir.resolve("postgres.log").toString(), "-o", options), false);
    LOG.info("embedded postgres: listening on 127.0.0.1:{}, data in {}", port, dataDir);
  }

  /** Stops the server (fast shutdown: sessions are cut, committed data is safe). */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting; hooks can no longer be removed.
    }
  }

  /** Stops the server abruptly, like a crash; {@link #restart()} brings it back. For outage tests. */
  public void kill() throws IOException {
    pgCtl(List.of("stop", "-m", "immediate", "-w"), false);
  }

  /** Stops the server cleanly (a fast shutdown, with its checkpoint); {@link #restart()} brings it back. */
  public void stop() throws IOException {
    pgCtl(List.of("stop", "-m", "fast", "-w", "-t", "30"), false);
  }

  /** The data directory (its files belong to the server's user). */
  public Path dataDir() {
    return dataDir;
  }

  /** Starts the server again on the same port and data after {@link #kill()} or {@link #stop()}. */
  public void restart() throws IOException {
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
        + "-c max_connections=300";
    pgCtl(List.of("start", "-w", "-t", "60", "-l", baseDir.resolve("postgres.log").toString(), "-o", options), false);
  }

  private synchronized void stopQuietly() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      pgCtl(List.of("stop", "-m", "fast", "-w", "-t", "30"), true);
      LOG.info("embedded postgres: stopped");
    } catch (IOException | RuntimeException e) {
      LOG.warn("embedded postgres: stop failed: {}", e.toString());
    }
  }

  private void pgCtl(List<String> args, boolean tolerateFailure) throws IOException {
    List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString()));
    command.addAll(args);
    runAsOwner(command, tolerateFailure);
  }

  private void runAsOwner(List<String> command, boolean tolerateFailure) throws IOException {
    if (!isRoot()) {
      run(command, tolerateFailure);
      return;
    }
    List<String> dropped = new ArrayList<>(List.of("setpriv", "--reuid=" + UNPRIVILEGED_UID,
        "--regid=" + UNPRIVILEGED_UID, "--clear-groups"));
    dropped.addAll(command);
    run(dropped, tolerateFailure);
  }

  private void run(List<String> command, boolean tolerateFailure) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LC_ALL", "C");
    // Postgres changes into its data directory; a cwd the unprivileged user cannot read makes it warn.
    builder.directory(baseDir.toFile());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("embedded postgres: timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("embedded postgres: interrupted", e);
    }
    if (process.exitValue() != 0 && !tolerateFailure) {
      throw new IOException("embedded postgres: '" + String.join(" ", command) + "' failed ("
          + process.exitValue() + "): " + output.trim());
    }
  }

  /** The unprivileged server must be able to reach its directory through every parent. */
  private static void requireTraversable(Path dir) throws IOException {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException("embedded postgres runs as 'nobody' because this process is root, and nobody cannot"
            + " enter " + p + "; allow it (chmod o+x " + p + ") or choose another SWITCHBOARD_DATA_DIR");
      }
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

}
