package io.switchboard.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.ops.OpsEndpoints;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.common.runtime.Node;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.List;

/**
 * presence-service: applies the gateways' batches to Redis and publishes the status transitions they
 * cause, renews node leases, admits connections under the device limit, answers presence queries,
 * and reaps nodes that died. Several instances may run; they share Redis and never double an event.
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
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
        .setMaxPoolSize(8).setMaxPoolWaiting(10_000));
    PresenceStore store = new RedisPresenceStore(redis);
    PresenceMetrics metrics = new PresenceMetrics(Node.meters(vertx));
    StatusEvents events = new StatusEvents(vertx.eventBus(), metrics);
    reaper = new NodeReaper(vertx, store, events, metrics, config.nodeLeaseMs() / 2);
    OpsEndpoints ops = new OpsEndpoints(vertx, "presence-service", config.adminToken()).readiness("redis", store::ping);
    var bus = vertx.eventBus();
    List<MessageConsumer<?>> consumers = List.of(
        bus.<PresenceBatch>consumer(Addresses.PRESENCE_UPDATE, msg -> reply(msg, store.apply(msg.body()).map(outcome -> {
          if (outcome.applied()) {
            metrics.applied(msg.body());
          }
          events.publish(outcome.changes());
          return outcome.known();
        }))),
        bus.<NodeHeartbeat>consumer(Addresses.PRESENCE_HEARTBEAT, msg -> reply(msg, store.heartbeat(msg.body()))),
        bus.<AdmitRequest>consumer(Addresses.PRESENCE_ADMIT, msg -> reply(msg, store.admit(msg.body()).compose(admitted ->
            admitted ? Future.succeededFuture() : Future.failedFuture(ServiceException.of(ErrorCode.USER_CONNECTION_LIMIT,
                "at most " + msg.body().limit() + " connections per user"))))),
        bus.<PresenceQuery>consumer(Addresses.PRESENCE_QUERY, msg -> reply(msg, store.online(msg.body().tenant(),
            msg.body().roomId()).map(online -> new RoomPresence(msg.body().roomId(), online)))));
    reaper.start();
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> ops.listen(config.opsHost(), config.opsPort()))
        .onSuccess(server -> opsServer = server);
  }

  private static void reply(Message<?> msg, Future<?> result) {
    result.onComplete(msg::reply, failure -> msg.fail(ServiceException.codeOf(failure).busCode(), failure.getMessage()));
  }

  @Override
  public Future<?> stop() {
    reaper.stop();
    Future<Void> closeOps = opsServer == null ? Future.succeededFuture() : opsServer.close();
    return closeOps.eventually(() -> redis.close());
  }
}
