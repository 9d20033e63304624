package io.switchboard.presence;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.presence.PresenceUpdate;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link PresenceStore} in Redis; each update is one pipelined batch of commands. */
public final class RedisPresenceStore implements PresenceStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceStore.class);

  private final Redis redis;

  public RedisPresenceStore(Redis redis) {
    this.redis = redis;
  }

  @Override
  public Future<Void> apply(PresenceUpdate u) {
    Future<?> done = switch (u.kind()) {
      case CONNECTED -> redis.batch(List.of(
          Request.cmd(Command.HSET).arg(RedisKeys.connection(u.connectionId()))
              .arg("user").arg(u.userId()).arg("tenant").arg(u.tenant()).arg("node").arg(u.nodeId())
              .arg("since").arg(u.at()),
          Request.cmd(Command.SADD).arg(RedisKeys.userConnections(u.tenant(), u.userId())).arg(u.connectionId()),
          Request.cmd(Command.SADD).arg(RedisKeys.nodeConnections(u.nodeId())).arg(u.connectionId())));
      case JOINED -> redis.batch(List.of(
          Request.cmd(Command.HSET).arg(RedisKeys.roomConnections(u.tenant(), u.roomId()))
              .arg(u.connectionId()).arg(u.userId()),
          Request.cmd(Command.SADD).arg(RedisKeys.connectionRooms(u.connectionId())).arg(u.roomId())));
      case LEFT -> redis.batch(List.of(
          Request.cmd(Command.HDEL).arg(RedisKeys.roomConnections(u.tenant(), u.roomId())).arg(u.connectionId()),
          Request.cmd(Command.SREM).arg(RedisKeys.connectionRooms(u.connectionId())).arg(u.roomId())));
      case DISCONNECTED -> disconnect(u);
    };
    return done.<Void>mapEmpty().recover(this::unavailable);
  }

  private Future<?> disconnect(PresenceUpdate u) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.connectionRooms(u.connectionId())))
        .compose(rooms -> {
          List<Request> batch = new ArrayList<>();
          for (Response room : rooms) {
            batch.add(Request.cmd(Command.HDEL).arg(RedisKeys.roomConnections(u.tenant(), room.toString()))
                .arg(u.connectionId()));
          }
          batch.add(Request.cmd(Command.SREM).arg(RedisKeys.userConnections(u.tenant(), u.userId())).arg(u.connectionId()));
          batch.add(Request.cmd(Command.SREM).arg(RedisKeys.nodeConnections(u.nodeId())).arg(u.connectionId()));
          batch.add(Request.cmd(Command.DEL).arg(RedisKeys.connection(u.connectionId()))
              .arg(RedisKeys.connectionRooms(u.connectionId())));
          batch.add(Request.cmd(Command.HSET).arg(RedisKeys.lastSeen(u.tenant())).arg(u.userId()).arg(u.at()));
          return redis.batch(batch);
        });
  }

  @Override
  public Future<List<String>> online(String tenant, String roomId) {
    return redis.send(Request.cmd(Command.HVALS).arg(RedisKeys.roomConnections(tenant, roomId)))
        .map(values -> {
          LinkedHashSet<String> users = new LinkedHashSet<>();
          values.forEach(v -> users.add(v.toString()));
          return List.copyOf(users);
        })
        .recover(this::unavailable);
  }

  private <T> Future<T> unavailable(Throwable failure) {
    LOG.warn("redis: presence command failed: {}", failure.toString());
    return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "presence unavailable"));
  }
}
