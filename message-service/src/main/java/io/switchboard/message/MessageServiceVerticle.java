package io.switchboard.message;

import io.switchboard.common.ops.OpsEndpoints;
import io.switchboard.message.api.MessageBusApi;
import io.switchboard.message.api.PublicMessageApi;
import io.switchboard.common.runtime.Node;
import io.switchboard.message.store.MessageWriter;
import io.switchboard.message.store.PersistMetrics;
import io.switchboard.message.store.Migrations;
import io.switchboard.message.store.PgMessageStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * message-service: migrates the schema, then answers the message and room requests of the event bus
 * from Postgres, and serves its ops endpoints.
 */
public final class MessageServiceVerticle extends VerticleBase {
  private final MessageServiceConfig config;
  private Pool pool;
  private HttpServer opsServer;
  private OpsEndpoints ops;

  public MessageServiceVerticle(MessageServiceConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.poolSize()).setMaxWaitQueueSize(10_000).setConnectionTimeout(3)
            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
        .connectingTo(config.postgres())
        .using(vertx)
        .build();
    ops = new OpsEndpoints(vertx, "message-service", config.adminToken())
        .readiness("postgres", () -> pool.query("SELECT 1").execute());
    PersistMetrics metrics = new PersistMetrics(Node.meters(vertx));
    MessageWriter writer = new MessageWriter(vertx, pool, config.writer(), metrics);
    metrics.pending(context.deploymentID() + "-" + Integer.toHexString(System.identityHashCode(this)), writer::pending);
    PgMessageStore store = new PgMessageStore(pool, writer);
    return Migrations.apply(vertx, config.postgres())
        .compose(v -> new MessageBusApi(vertx, store).register())
        .compose(v -> new PublicMessageApi(vertx, store).register())
        .compose(v -> ops.listen(config.opsHost(), config.opsPort()))
        .onSuccess(server -> opsServer = server);
  }

  /** Readiness turns false first, so nothing new is routed here while in-flight writes finish. */
  public void startDrain() {
    ops.startDrain();
  }

  @Override
  public Future<?> stop() {
    ops.close();
    Future<Void> closeOps = opsServer == null ? Future.succeededFuture() : opsServer.close();
    return closeOps.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
