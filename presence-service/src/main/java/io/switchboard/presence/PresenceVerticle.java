package io.switchboard.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceException;
import io.switchboard.common.ops.OpsEndpoints;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.PresenceUpdate;
import io.switchboard.common.presence.RoomPresence;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.List;

/** presence-service: applies the gateways' presence updates to Redis and answers presence queries. */
public final class PresenceVerticle extends VerticleBase {
  private final PresenceConfig config;
  private Redis redis;
  private HttpServer opsServer;

  public PresenceVerticle(PresenceConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
        .setMaxPoolSize(8).setMaxPoolWaiting(10_000));
    PresenceStore store = new RedisPresenceStore(redis);
    OpsEndpoints ops = new OpsEndpoints(vertx, "presence-service")
        .readiness("redis", () -> redis.send(Request.cmd(Command.PING)));
    List<MessageConsumer<?>> consumers = List.of(
        vertx.eventBus().<PresenceUpdate>consumer(Addresses.PRESENCE_UPDATE, msg -> store.apply(msg.body())),
        vertx.eventBus().<PresenceQuery>consumer(Addresses.PRESENCE_QUERY, msg -> query(store, msg)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> ops.listen(config.opsHost(), config.opsPort()))
        .onSuccess(server -> opsServer = server);
  }

  private static void query(PresenceStore store, Message<PresenceQuery> msg) {
    PresenceQuery q = msg.body();
    store.online(q.tenant(), q.roomId()).onComplete(
        online -> msg.reply(new RoomPresence(q.roomId(), online)),
        failure -> msg.fail(ServiceException.codeOf(failure).busCode(), failure.getMessage()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> closeOps = opsServer == null ? Future.succeededFuture() : opsServer.close();
    return closeOps.eventually(() -> {
      redis.close();
      return Future.succeededFuture();
    });
  }
}
