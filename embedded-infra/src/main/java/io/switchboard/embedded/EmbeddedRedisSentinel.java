package io.switchboard.embedded;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

/**
 * A Redis master, its replica and one Redis Sentinel watching them, run by this process on 127.0.0.1
 * with the binary of embedded-redis (Redis 6.2). The sentinel takes the master for down after 1 s
 * and promotes the replica (quorum 1: one sentinel is enough for tests, not for production).
 *
 * <p>Blocking: call from a test thread, never from an event loop.
 */
public final class EmbeddedRedisSentinel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisSentinel.class);
  public static final String MASTER_NAME = "switchboard";
  private static final Await AWAIT = new Await("redis sentinel", 30_000, 50).retryingErrors();

  private final int masterPort = Ports.free();
  private final int replicaPort = Ports.free();
  private final int sentinelPort = Ports.free();
  private final RedisServer master;
  private final RedisServer replica;
  private final RedisSentinel sentinel;

  private EmbeddedRedisSentinel() throws IOException {
    master = server(masterPort).build();
    replica = server(replicaPort).slaveOf("127.0.0.1", masterPort).build();
    sentinel = RedisSentinel.newRedisSentinel().bind("127.0.0.1").port(sentinelPort).masterPort(masterPort)
        .masterName(MASTER_NAME).quorumSize(1).downAfterMilliseconds(1000).failOverTimeout(10_000)
        .onShutdownForceStop(true).build();
  }

  private static redis.embedded.core.RedisServerBuilder server(int port) {
    return RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no")
        .onShutdownForceStop(true);
  }

  /** Starts the three and returns once the replica is in sync and the sentinel knows it; the caller closes it. */
  public static EmbeddedRedisSentinel start() throws IOException {
    EmbeddedRedisSentinel redis = new EmbeddedRedisSentinel();
    try {
      redis.master.start();
      redis.replica.start();
      redis.sentinel.start();
      AWAIT.until("the replica is in sync", () -> EmbeddedRedisCluster.command(redis.replicaPort, "INFO", "replication")
          .toString().contains("master_link_status:up"));
      AWAIT.until("the sentinel knows the replica", () -> EmbeddedRedisCluster.command(redis.sentinelPort, "SENTINEL",
          "REPLICAS", MASTER_NAME) instanceof List<?> replicas && !replicas.isEmpty());
    } catch (IOException | RuntimeException e) {
      redis.close();
      throw e;
    }
    LOG.info("embedded redis sentinel: master {} replica {} sentinel {}", redis.masterPort, redis.replicaPort,
        redis.sentinelPort);
    return redis;
  }

  /** The sentinel's URI: a REDIS_URL for REDIS_MODE=sentinel, with REDIS_MASTER_NAME {@link #MASTER_NAME}. */
  public String sentinelUri() {
    return "redis://127.0.0.1:" + sentinelPort;
  }

  /** The port of the master the sentinel names now. */
  public int masterPort() {
    return Integer.parseInt(((List<?>) EmbeddedRedisCluster.command(sentinelPort, "SENTINEL",
        "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)).get(1).toString());
  }

  /** Kills the current master (no goodbye): the sentinel promotes the replica. */
  public void killMaster() throws IOException {
    (masterPort() == masterPort ? master : replica).stop();
  }

  /** Waits until the sentinel names a master other than {@code deadPort} and that server acts as master. */
  public int awaitFailover(int deadPort) {
    AWAIT.until("a failover from " + deadPort, () -> {
      int now = masterPort();
      return now != deadPort && EmbeddedRedisCluster.command(now, "ROLE") instanceof List<?> role
          && role.get(0).equals("master");
    });
    return masterPort();
  }

  @Override
  public void close() {
    for (redis.embedded.Redis server : List.of(sentinel, replica, master)) {
      try {
        if (server.isActive()) {
          server.stop();
        }
      } catch (IOException e) {
        LOG.warn("embedded redis sentinel: stop failed: {}", e.toString());
      }
    }
  }
}
