package io.switchboard.presence;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.RoomPresence;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PresenceStore} in Redis (one server, or one slot of a Redis Cluster): every operation is one
 * Lua script (one round trip, atomic); a batch of any size is one EVALSHA. The keys are listed in
 * {@code lua/presence.lua}.
 */
public final class RedisPresenceStore implements PresenceStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceStore.class);
  /** How long a connection admitted at CONNECT holds its place before its node reports it. */
  static final long PENDING_MS = 10_000;

  private static final LuaScript APPLY = LuaScript.load("apply");
  private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat");
  private static final LuaScript ADMIT = LuaScript.load("admit");
  private static final LuaScript ONLINE = LuaScript.load("online");
  private static final LuaScript REAP = LuaScript.load("reap");

  private static final int MAX_NODES_REMEMBERED = 10_000;

  private final RedisPipeline redis;
  private final LongSupplier clock;
  private final int roomOnlineMax;
  /** Redis failures seen, and per node the count when it was last told to resync. */
  private final AtomicLong failures = new AtomicLong();
  private final Map<String, Long> resyncedAt = new ConcurrentHashMap<>();

  /** {@code roomOnlineMax}: transitions are announced to the user's rooms with at most this many users online. */
  public RedisPresenceStore(Redis redis, int roomOnlineMax) {
    this(redis, System::currentTimeMillis, roomOnlineMax);
  }

  RedisPresenceStore(Redis redis, LongSupplier clock, int roomOnlineMax) {
    this.redis = new RedisPipeline(redis);
    this.clock = clock;
    this.roomOnlineMax = roomOnlineMax;
  }

  @Override
  public Future<BatchOutcome> apply(PresenceBatch batch) {
    return run(APPLY, batch.nodeId(), Long.toString(batch.seq()), Long.toString(batch.leaseMs()), now(),
        BatchScript.encode(batch))
        .map(r -> {
          JsonObject json = new JsonObject(r.toString());
          return new BatchOutcome(json.getBoolean("applied"), json.getBoolean("known"),
              StatusChange.fromScript(json.getValue("changes"), roomOnlineMax));
        });
  }

  @Override
  public Future<Boolean> heartbeat(NodeHeartbeat heartbeat) {
    return run(HEARTBEAT, heartbeat.nodeId(), Long.toString(heartbeat.leaseMs()))
        .map(r -> {
          boolean resync = resyncAfterFailure(heartbeat.nodeId());
          return r.toInteger() == 1 && !resync;
        });
  }

  /**
   * True once per node after each Redis failure this instance saw. A replica promoted by a failover
   * (Redis Cluster or Sentinel) may lack the last writes its master acknowledged, since replication
   * is asynchronous; answering "unknown" makes the node send its whole state, which restores them.
   */
  private boolean resyncAfterFailure(String node) {
    long seen = failures.get();
    if (seen == 0) {
      return false;
    }
    if (resyncedAt.size() > MAX_NODES_REMEMBERED) {
      resyncedAt.clear();
    }
    Long told = resyncedAt.put(node, seen);
    return told == null || told < seen;
  }

  @Override
  public Future<Boolean> admit(AdmitRequest request) {
    return run(ADMIT, request.tenant(), request.userId(), request.connectionId(), Integer.toString(request.limit()),
        now(), Long.toString(PENDING_MS))
        .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<RoomPresence> online(String tenant, String roomId) {
    return run(ONLINE, tenant, roomId).map(r -> {
      Response online = r.get(0);
      Response away = r.get(1);
      List<String> users = new ArrayList<>(online.size());
      online.forEach(user -> users.add(user.toString()));
      Map<String, Long> since = new HashMap<>();
      for (int i = 0; i + 1 < away.size(); i += 2) {
        since.put(away.get(i).toString(), Long.parseLong(away.get(i + 1).toString()));
      }
      return new RoomPresence(roomId, users, since);
    });
  }

  /** Asks the server of presence's keys (on a cluster: their master, not any node, as PING would). */
  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.EXISTS).arg(LuaScript.ROUTING_KEY)).<Void>mapEmpty().recover(failure -> {
      failures.incrementAndGet();
      return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "presence unavailable"));
    });
  }

  @Override
  public Future<ReapOutcome> reap(int budget) {
    return run(REAP, now(), Integer.toString(budget)).map(r -> {
      JsonObject json = new JsonObject(r.toString());
      List<String> nodes = new ArrayList<>();
      if (json.getValue("nodes") instanceof io.vertx.core.json.JsonArray array) {
        array.forEach(n -> nodes.add(String.valueOf(n)));
      }
      return new ReapOutcome(json.getInteger("reaped"), json.getBoolean("more"), nodes,
          StatusChange.fromScript(json.getValue("changes"), roomOnlineMax));
    });
  }

  private String now() {
    return Long.toString(clock.getAsLong());
  }

  private Future<Response> run(LuaScript script, String... args) {
    return script.run(redis, List.of(args)).recover(failure -> {
      failures.incrementAndGet();
      LOG.warn("presence.redis_failed script={} code={} cause={}", script.name(), ErrorCode.UNAVAILABLE, failure.toString());
      return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "presence unavailable"));
    });
  }
}
