package io.switchboard.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Servers for tests, one of each per test JVM: the external ones named by
 * {@code SWITCHBOARD_TEST_PG_URL} (a URI whose database may be created in) and
 * {@code SWITCHBOARD_TEST_REDIS_URL} when set, embedded ones otherwise. Each call of
 * {@link #freshDatabase()} gives a new empty database, so test classes do not see each other's rows.
 */
public final class TestServers {
  private static EmbeddedPostgres postgres;
  private static EmbeddedRedis redis;

  private TestServers() {}

  /** URI of a new, empty database. */
  public static synchronized String freshDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String external = System.getenv("SWITCHBOARD_TEST_PG_URL");
    try {
      if (external != null && !external.isBlank()) {
        ExternalPostgres.createDatabase(external, name);
        return ExternalPostgres.withDatabase(external, name);
      }
      if (postgres == null) {
        postgres = EmbeddedPostgres.startTemporary("switchboard-test-pg");
      }
      postgres.ensureDatabase(name);
      return postgres.uri(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("test postgres: " + e.getMessage(), e);
    }
  }

  /** The embedded Postgres (null when an external one is used), for outage tests. */
  public static synchronized EmbeddedPostgres embeddedPostgres() {
    return postgres;
  }

  public static synchronized String redisUri() {
    String external = System.getenv("SWITCHBOARD_TEST_REDIS_URL");
    if (external != null && !external.isBlank()) {
      return external;
    }
    return embeddedRedis().uri();
  }

  /** The shared embedded Redis, started on first use. */
  public static synchronized EmbeddedRedis embeddedRedis() {
    try {
      if (redis == null) {
        redis = EmbeddedRedis.start(0, true);
      }
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
