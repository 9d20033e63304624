package io.switchboard.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Postgres primary and a hot standby that streams from it, both run by this process with the
 * embedded binaries (which have no pg_basebackup): the primary is made and stopped cleanly, its data
 * directory copied cold, the copy given {@code standby.signal} and a {@code primary_conninfo}, then
 * both start. initdb's defaults already allow it: {@code wal_level=replica}, ten WAL senders, and a
 * {@code replication} line of pg_hba for 127.0.0.1 with trust. Asynchronous replication, as a managed
 * replica usually is.
 *
 * <p>Blocking: call from a test thread, never from an event loop. At JVM exit both stop and their
 * folder goes.
 */
public final class EmbeddedPostgresReplica implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresReplica.class);
  private static final Await AWAIT = new Await("embedded postgres replica", 30_000, 20).retryingErrors();

  private final EmbeddedPostgres primary;
  private final EmbeddedPostgres replica;

  private EmbeddedPostgresReplica(EmbeddedPostgres primary, EmbeddedPostgres replica) {
    this.primary = primary;
    this.replica = replica;
  }

  /** Starts both and returns once the replica streams; {@code database} exists on both. */
  public static EmbeddedPostgresReplica start(String database) throws IOException, SQLException {
    Path dir = Files.createTempDirectory("switchboard-pg-replica");
    dir.toFile().setExecutable(true, false);
    Path primaryDir = dir.resolve("primary");
    Path replicaDir = dir.resolve("replica");
    EmbeddedPostgres primary = EmbeddedPostgres.start(primaryDir, 0, false);
    EmbeddedPostgres[] replicaStarted = new EmbeddedPostgres[1];
    // Both stop before their folder goes, in that order (pg_ctl needs the files).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (replicaStarted[0] != null) {
        replicaStarted[0].close();
      }
      primary.close();
      TempDirs.delete(dir);
    }, "embedded-postgres-replica-cleanup"));
    primary.ensureDatabase(database);
    primary.stop();
    copy(primary.dataDir(), replicaDir.resolve("pgdata"));
    Files.writeString(replicaDir.resolve("pgdata/standby.signal"), "");
    Files.writeString(replicaDir.resolve("pgdata/postgresql.auto.conf"),
        "\nprimary_conninfo = 'host=127.0.0.1 port=" + primary.port() + " user=postgres application_name=replica'\n",
        StandardOpenOption.APPEND);
    primary.restart();
    EmbeddedPostgres replica = EmbeddedPostgres.start(replicaDir, 0, false);
    replicaStarted[0] = replica;
    EmbeddedPostgresReplica pair = new EmbeddedPostgresReplica(primary, replica);
    AWAIT.until("the replica streams", () -> pair.primaryLong(
        "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'replica' AND state = 'streaming'") == 1);
    LOG.info("embedded postgres replica: primary {} streams to replica {}", primary.port(), replica.port());
    return pair;
  }

  public EmbeddedPostgres primary() {
    return primary;
  }

  public EmbeddedPostgres replica() {
    return replica;
  }

  /** Waits until the replica has replayed everything the primary has written so far. */
  public void awaitReplayed() {
    String lsn = primaryString("SELECT pg_current_wal_lsn()::text");
    AWAIT.until("replay up to " + lsn, () -> replicaBoolean("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn"));
  }

  /** Stops replaying WAL on the replica (it keeps receiving it): its data stays as it is now. */
  public void pauseReplay() {
    replicaBoolean("SELECT pg_wal_replay_pause() IS NULL");
    AWAIT.until("replay paused", () -> "paused".equals(replicaString("SELECT pg_get_wal_replay_pause_state()")));
  }

  public void resumeReplay() {
    replicaBoolean("SELECT pg_wal_replay_resume() IS NULL");
  }

  private long primaryLong(String sql) {
    return Long.parseLong(query(primary, sql));
  }

  private String primaryString(String sql) {
    return query(primary, sql);
  }

  private boolean replicaBoolean(String sql) {
    return "t".equals(query(replica, sql)) || "true".equals(query(replica, sql));
  }

  private String replicaString(String sql) {
    return query(replica, sql);
  }

  private static String query(EmbeddedPostgres server, String sql) {
    try (Connection c = Jdbc.connect(server.jdbcUrl("postgres")); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("embedded postgres replica: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** A cold copy of a stopped server's data directory, modes kept (Postgres wants 0700). */
  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
          Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
        } else if (!source.getFileName().toString().equals("postmaster.pid")) {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** Stops the replica, then the primary. */
  @Override
  public void close() {
    replica.close();
    primary.close();
  }
}
