package io.switchboard.message.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema migrations of {@code db/migration} with Flyway at start-up. Flyway is JDBC, so
 * it runs on a worker thread. Safe with several instances starting at once (Flyway locks).
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static Future<Integer> apply(Vertx vertx, PgConnectOptions db) {
    return apply(vertx, db, false);
  }

  /**
   * Through a pooler in transaction mode ({@code transactionPooling}) the driver prepares no named
   * statement (prepareThreshold=0); Flyway's lock is transaction-level (its default on Postgres).
   */
  public static Future<Integer> apply(Vertx vertx, PgConnectOptions db, boolean transactionPooling) {
    String jdbc = "jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase()
        + (transactionPooling ? "?prepareThreshold=0" : "");
    return vertx.executeBlocking(() -> {
      Flyway flyway = Flyway.configure()
          .dataSource(jdbc, db.getUser(), db.getPassword())
          .locations("classpath:db/migration")
          .load();
      MigrateResult result = flyway.migrate();
      // The result names no target version when the schema was already current: ask for it.
      var current = flyway.info().current();
      LOG.info("postgres: schema at version {} ({} migrations applied)",
          current == null ? "none" : current.getVersion(), result.migrationsExecuted);
      return result.migrationsExecuted;
    });
  }
}
