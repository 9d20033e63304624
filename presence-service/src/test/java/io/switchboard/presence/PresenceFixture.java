package io.switchboard.presence;

import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceBatch.LiveConnection;
import io.switchboard.common.presence.PresenceUpdate;
import io.switchboard.common.presence.PresenceUpdate.Kind;
import io.switchboard.embedded.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A presence store on the test Redis (emptied per fixture), a settable clock, and builders for the
 * batches a gateway node sends. Blocking helpers are for the test thread only.
 */
final class PresenceFixture implements AutoCloseable {
  static final String TENANT = "acme";
  static final long LEASE_MS = 60_000;

  final Vertx vertx = Vertx.vertx();
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  final RedisTarget target;
  private final List<Redis> clients = new ArrayList<>();

  /** On the test Redis server. */
  PresenceFixture() {
    this(RedisTarget.standalone(TestServers.redisUri()));
  }

  /**
   * On {@code target}, emptied: its server, the master the sentinels name, or every master of a
   * cluster (its replicas refuse FLUSHALL and follow their master).
   */
  PresenceFixture(RedisTarget target) {
    this.target = target;
    if (target.mode() != RedisTarget.Mode.CLUSTER) {
      await(redis().send(Request.cmd(Command.FLUSHALL)));
    } else {
      for (String uri : target.uris()) {
        Redis node = Redis.createClient(vertx, uri);
        clients.add(node);
        await(node.send(Request.cmd(Command.FLUSHALL)).otherwiseEmpty());
      }
    }
  }

  Redis redis() {
    Redis redis = Redis.createClient(vertx, target.options(4));
    clients.add(redis);
    return redis;
  }

  /** A store with its own Redis client: what one presence-service instance has. */
  RedisPresenceStore store() {
    return store(Integer.MAX_VALUE);
  }

  /** A store announcing transitions to rooms with at most {@code roomOnlineMax} users online. */
  RedisPresenceStore store(int roomOnlineMax) {
    return new RedisPresenceStore(redis(), now::get, roomOnlineMax);
  }

  /** Waits, one Redis round trip per look and at most 5 s, until the key has expired. */
  void awaitGone(String key) {
    Redis redis = redis();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toInteger() == 1) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(key + " did not expire");
      }
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  /** One node's batches with growing seqs. */
  static final class Node {
    final String id;
    private long seq;

    Node(String id) {
      this.id = id;
    }

    PresenceBatch batch(PresenceUpdate... updates) {
      return new PresenceBatch(id, ++seq, LEASE_MS, null, false, List.of(updates));
    }

    PresenceBatch batch(long leaseMs, PresenceUpdate... updates) {
      return new PresenceBatch(id, ++seq, leaseMs, null, false, List.of(updates));
    }

    PresenceBatch sync(LiveConnection... live) {
      return new PresenceBatch(id, ++seq, LEASE_MS, List.of(live), false, List.of());
    }

    PresenceBatch leaving() {
      return new PresenceBatch(id, ++seq, LEASE_MS, List.of(), true, List.of());
    }
  }

  static PresenceUpdate connected(String conn, String user) {
    return new PresenceUpdate(Kind.CONNECTED, conn, TENANT, user, null, 1000);
  }

  static PresenceUpdate disconnected(String conn, String user, long at) {
    return new PresenceUpdate(Kind.DISCONNECTED, conn, TENANT, user, null, at);
  }

  static PresenceUpdate joined(String conn, String user, String room) {
    return new PresenceUpdate(Kind.JOINED, conn, TENANT, user, room, 1000);
  }

  static PresenceUpdate away(String conn, String user, long at) {
    return new PresenceUpdate(Kind.AWAY, conn, TENANT, user, null, at);
  }

  static PresenceUpdate active(String conn, String user, long at) {
    return new PresenceUpdate(Kind.ACTIVE, conn, TENANT, user, null, at);
  }

  static PresenceUpdate left(String conn, String user, String room) {
    return new PresenceUpdate(Kind.LEFT, conn, TENANT, user, room, 1000);
  }

  static LiveConnection live(String conn, String user, String... rooms) {
    return new LiveConnection(conn, TENANT, user, 1000, List.of(rooms), 0);
  }

  @Override
  public void close() {
    clients.forEach(Redis::close);
    await(vertx.close());
  }
}
