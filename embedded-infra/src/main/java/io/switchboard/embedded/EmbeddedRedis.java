package io.switchboard.embedded;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis server run by this process on 127.0.0.1 (the binary comes with embedded-redis).
 * Nothing is persisted: presence is rebuilt from live connections. Can be stopped and started again
 * on the same port to test outages.
 *
 * <p>Blocking: call from a main thread or a worker, never from an event loop.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

  private final int port;
  private final RedisServer server;

  private EmbeddedRedis(int port, boolean stopOnJvmExit) throws IOException {
    this.port = port;
    this.server = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .setting("maxclients 4000")
        .onShutdownForceStop(stopOnJvmExit)
        .build();
  }

  /**
   * Starts a server; {@code port} 0 picks a free one. With {@code stopOnJvmExit} a shutdown hook
   * stops it; without, the caller stops it.
   */
  public static EmbeddedRedis start(int port, boolean stopOnJvmExit) throws IOException {
    EmbeddedRedis redis = new EmbeddedRedis(port == 0 ? Ports.free() : port, stopOnJvmExit);
    redis.server.start();
    LOG.info("embedded redis: listening on 127.0.0.1:{}", redis.port);
    return redis;
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public boolean running() {
    return server.isActive();
  }

  /** Stops the server; {@link #restart()} starts it again on the same port. */
  public void stop() throws IOException {
    server.stop();
  }

  public void restart() throws IOException {
    server.start();
  }

  @Override
  public void close() {
    try {
      if (server.isActive()) {
        server.stop();
        LOG.info("embedded redis: stopped");
      }
    } catch (IOException e) {
      LOG.warn("embedded redis: stop failed: {}", e.toString());
    }
  }
}
