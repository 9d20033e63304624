package io.switchboard.presence;

import io.switchboard.common.ops.OpsEndpoints;
import io.switchboard.common.runtime.Node;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.redis.client.Redis;

/**
 * presence-service: Redis, the store on it, the gateways' API on the event bus ({@link PresenceBusApi}:
 * batches and the status transitions they cause, node leases, the device limit, presence queries),
 * the reaper of nodes that died ({@link NodeReaper}) and the ops endpoints. Several instances may
 * run; they share Redis and never double an event.
 */
public final class PresenceVerticle extends VerticleBase {
  private final PresenceConfig config;
  private Redis redis;
  private NodeReaper reaper;
  private HttpServer opsServer;

  public PresenceVerticle(PresenceConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    // The store keeps one pipelined connection of this client (RedisPipeline), and a second while
    // it replaces one that failed (on a cluster: per master, and the key layout puts presence on one).
    redis = Redis.createClient(vertx, config.redis().options(2));
    PresenceStore store = new RedisPresenceStore(redis, config.statusRoomOnlineMax());
    PresenceMetrics metrics = new PresenceMetrics(Node.meters(vertx));
    StatusEvents events = new StatusEvents(vertx.eventBus(), metrics);
    reaper = new NodeReaper(vertx, store, events, metrics, config.nodeLeaseMs() / 2);
    OpsEndpoints ops = new OpsEndpoints(vertx, "presence-service", config.adminToken()).readiness("redis", store::ping);
    Future<Void> registered = new PresenceBusApi(vertx.eventBus(), store, events, metrics).register();
    reaper.start();
    return registered.compose(v -> ops.listen(config.opsHost(), config.opsPort()))
        .onSuccess(server -> opsServer = server);
  }

  @Override
  public Future<?> stop() {
    reaper.stop();
    Future<Void> closeOps = opsServer == null ? Future.succeededFuture() : opsServer.close();
    return closeOps.eventually(() -> redis.close());
  }
}
