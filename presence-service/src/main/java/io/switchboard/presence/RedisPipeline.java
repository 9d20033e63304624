package io.switchboard.presence;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Every request of this presence-service on one Redis connection, pipelined: requests go out as they
 * come and their answers come back in order, so none waits for a connection of a pool while the
 * earlier ones are answered (a storm of connects and joins made that wait the largest part of
 * their latency). A connection that fails or closes is replaced by a new one at the next request;
 * while Redis is unreachable each request fails at once.
 */
final class RedisPipeline {
  private final Redis client;
  private Future<RedisConnection> connection;

  RedisPipeline(Redis client) {
    this.client = client;
  }

  Future<Response> send(Request request) {
    return connection().compose(c -> c.send(request));
  }

  private synchronized Future<RedisConnection> connection() {
    if (connection == null || connection.failed()) {
      Future<RedisConnection> opening = client.connect();
      connection = opening;
      opening.onSuccess(c -> {
        c.exceptionHandler(failure -> forget(opening));
        c.endHandler(end -> forget(opening));
      });
    }
    return connection;
  }

  /** Drops {@code dead} so that the next request connects again (unless already replaced). */
  private synchronized void forget(Future<RedisConnection> dead) {
    if (connection == dead) {
      connection = null;
      dead.onSuccess(RedisConnection::close);
    }
  }
}
