package io.switchboard.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PgBouncer in transaction mode in front of a Postgres, run by this process on 127.0.0.1 with
 * trust authentication. The binary is Debian 12's package (PgBouncer 1.18, which knows no prepared
 * statements: {@code max_prepared_statements} came in 1.21) with the c-ares library it needs,
 * fetched with {@code apt-get download} and unpacked with {@code dpkg -x} into the temp directory
 * once, without installing anything. PgBouncer refuses to run as root; when this process is root it
 * runs as {@code nobody}, like {@link EmbeddedPostgres}.
 *
 * <p>Blocking: call from a test thread, never from an event loop. It stops at JVM exit.
 */
public final class EmbeddedPgBouncer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPgBouncer.class);
  private static final String PACKAGES = "pgbouncer libc-ares2";
  private static final String UNPRIVILEGED_UID = "65534";
  private static final Await STARTING = new Await("pgbouncer", 15_000, 20);

  private final Process process;
  private final int port;
  private final Path dir;

  private EmbeddedPgBouncer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts PgBouncer on a free port for every database of the Postgres on {@code postgresPort}, in
   * transaction mode with {@code serverConnections} server connections per database and user (few,
   * so that the clients' transactions share them).
   */
  public static EmbeddedPgBouncer start(int postgresPort, int serverConnections) throws IOException {
    Path home = unpacked();
    Path dir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-pgbouncer"));
    int port = Ports.free();
    Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
    Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
        "[databases]",
        "* = host=127.0.0.1 port=" + postgresPort,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        "auth_type = trust",
        "auth_file = " + dir.resolve("users.txt"),
        "pool_mode = transaction",
        "default_pool_size = " + serverConnections,
        "max_client_conn = 500",
        // Startup parameters PgBouncer does not track; the JDBC driver (Flyway) sends it.
        "ignore_startup_parameters = extra_float_digits",
        "logfile = " + dir.resolve("pgbouncer.log"),
        ""));
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      dir.toFile().setExecutable(true, false);
      run(List.of("chown", "-R", UNPRIVILEGED_UID + ":" + UNPRIVILEGED_UID, dir.toString()));
      command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_UID, "--regid=" + UNPRIVILEGED_UID, "--clear-groups"));
    }
    command.add(home.resolve("usr/sbin/pgbouncer").toString());
    command.add(dir.resolve("pgbouncer.ini").toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("pgbouncer.out").toFile()).directory(dir.toFile());
    builder.environment().put("LD_LIBRARY_PATH", home.resolve("usr/lib/x86_64-linux-gnu").toString());
    Process process = builder.start();
    EmbeddedPgBouncer bouncer = new EmbeddedPgBouncer(process, port, dir);
    Runtime.getRuntime().addShutdownHook(new Thread(bouncer::close, "embedded-pgbouncer-stop"));
    STARTING.ready(process, () -> listening(port), notStarted -> {
      bouncer.close();
      return new IOException("pgbouncer did not start: " + Files.readString(dir.resolve("pgbouncer.out")));
    });
    LOG.info("embedded pgbouncer {}: listening on 127.0.0.1:{} for postgres on {}", version(home), port, postgresPort);
    return bouncer;
  }

  public int port() {
    return port;
  }

  /** Connection URI of {@code database} through PgBouncer. */
  public String uri(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  /** What PgBouncer logged (the server errors it passed on show there too). */
  public String log() throws IOException {
    Path log = dir.resolve("pgbouncer.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The unpacked packages, fetched once per machine (keyed by the package list). */
  static synchronized Path unpacked() throws IOException {
    Path target = Path.of(System.getProperty("java.io.tmpdir"), "switchboard-pgbouncer-" + Integer.toHexString(PACKAGES.hashCode()));
    if (Files.isExecutable(target.resolve("usr/sbin/pgbouncer"))) {
      return target;
    }
    Path staging = Files.createTempDirectory(target.getParent(), "switchboard-pgbouncer-unpack-");
    Path debs = Files.createDirectories(staging.resolve("debs"));
    List<String> download = new ArrayList<>(List.of("apt-get", "download"));
    download.addAll(List.of(PACKAGES.split(" ")));
    if (runIn(debs, download) != 0) {
      // No package lists on this machine: lists of our own, the system's untouched (as system-tests' deps.sh).
      Path lists = Files.createDirectories(staging.resolve("apt/lists/partial")).getParent();
      Path cache = Files.createDirectories(staging.resolve("apt/cache/archives/partial")).getParent().getParent();
      List<String> opts = List.of("-o", "Dir::State::Lists=" + lists, "-o", "Dir::Cache=" + cache, "-o", "Debug::NoLocking=1");
      List<String> update = new ArrayList<>(List.of("apt-get"));
      update.addAll(opts);
      update.addAll(List.of("-qq", "update"));
      List<String> again = new ArrayList<>(List.of("apt-get"));
      again.addAll(opts);
      again.addAll(download.subList(1, download.size()));
      if (runIn(debs, update) != 0 || runIn(debs, again) != 0) {
        throw new IOException("pgbouncer: apt-get download " + PACKAGES + " failed (Debian's packages are needed)");
      }
    }
    try (var files = Files.list(debs)) {
      for (Path deb : files.filter(f -> f.toString().endsWith(".deb")).toList()) {
        run(List.of("dpkg", "-x", deb.toString(), staging.toString()));
      }
    }
    run(List.of("chmod", "-R", "a+rX", staging.toString()));
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      if (!Files.isExecutable(target.resolve("usr/sbin/pgbouncer"))) {
        throw raced;
      }
    }
    return target;
  }

  private static String version(Path home) {
    try {
      ProcessBuilder builder = new ProcessBuilder(home.resolve("usr/sbin/pgbouncer").toString(), "--version").redirectErrorStream(true);
      builder.environment().put("LD_LIBRARY_PATH", home.resolve("usr/lib/x86_64-linux-gnu").toString());
      Process p = builder.start();
      String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(List<String> command) throws IOException {
    if (runIn(null, command) != 0) {
      throw new IOException("pgbouncer: '" + String.join(" ", command) + "' failed");
    }
  }

  private static int runIn(Path dir, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("pgbouncer: interrupted", e);
    }
    if (process.exitValue() != 0) {
      LOG.info("pgbouncer: '{}' failed: {}", String.join(" ", command), output.trim());
    }
    return process.exitValue();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
