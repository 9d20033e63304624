package io.switchboard.launcher;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.config.ConfigLoader;
import io.switchboard.common.runtime.VertxFactory;
import io.switchboard.embedded.EmbeddedPostgres;
import io.switchboard.embedded.EmbeddedRedis;
import io.switchboard.embedded.Ports;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.message.MessageServiceConfig;
import io.switchboard.message.MessageServiceVerticle;
import io.switchboard.presence.PresenceConfig;
import io.switchboard.presence.PresenceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard process: the services it was asked for, on one Vert.x (local or clustered),
 * plus the embedded databases it started because none was configured. Started and stopped from the
 * launcher's own threads, never from an event loop.
 */
public final class Switchboard {
  private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);
  static final Set<String> SERVICES = Set.of("gateway", "message", "presence");
  private static final long START_TIMEOUT_MS = 120_000;

  private final Vertx vertx;
  private final List<String> deployments;
  private final EmbeddedPostgres postgres;
  private final EmbeddedRedis redis;
  private final long graceMs;
  private boolean stopped;

  private Switchboard(Vertx vertx, List<String> deployments, EmbeddedPostgres postgres, EmbeddedRedis redis, long graceMs) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.postgres = postgres;
    this.redis = redis;
    this.graceMs = graceMs;
  }

  /** Loads the configuration (file, then environment), overrides it with the command line, and starts. */
  public static Switchboard start(String configFile, boolean cluster, List<String> services) {
    Vertx loader = Vertx.vertx();
    Config config;
    try {
      config = Blocking.await(ConfigLoader.load(loader, configFile), 30_000, "config");
    } finally {
      loader.close();
    }
    if (cluster) {
      config = config.with(ConfigKey.CLUSTER, true);
    }
    if (services != null && !services.isEmpty()) {
      config = config.with(ConfigKey.SERVICES, String.join(",", services));
    }
    return start(config);
  }

  public static Switchboard start(Config config) {
    Set<String> run = new LinkedHashSet<>(config.list(ConfigKey.SERVICES));
    if (run.isEmpty() || !SERVICES.containsAll(run)) {
      throw new IllegalArgumentException("config: " + ConfigKey.SERVICES.env() + " must list some of " + SERVICES);
    }
    requireDistinctPorts(config, run);
    Ports.reserve(config.integer(ConfigKey.HTTP_PORT), config.integer(ConfigKey.GATEWAY_OPS_PORT),
        config.integer(ConfigKey.MESSAGE_OPS_PORT), config.integer(ConfigKey.PRESENCE_OPS_PORT));
    Path dataDir = Path.of(config.string(ConfigKey.DATA_DIR)).toAbsolutePath();
    EmbeddedPostgres postgres = null;
    EmbeddedRedis redis = null;
    try {
      if (run.contains("message") && !config.isSet(ConfigKey.PG_URL)) {
        requireLocal(config, ConfigKey.PG_URL);
        postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"), 0, false);
        postgres.ensureDatabase("switchboard");
        config = config.with(ConfigKey.PG_URL, postgres.uri("switchboard"));
      }
      if (run.contains("presence") && !config.isSet(ConfigKey.REDIS_URL)) {
        requireLocal(config, ConfigKey.REDIS_URL);
        if (!config.string(ConfigKey.REDIS_MODE).trim().equalsIgnoreCase("standalone")) {
          throw new IllegalArgumentException("config: " + ConfigKey.REDIS_URL.env() + " is required with "
              + ConfigKey.REDIS_MODE.env() + "=" + config.string(ConfigKey.REDIS_MODE) + " (the embedded Redis is one server)");
        }
        redis = EmbeddedRedis.start(0, false);
        config = config.with(ConfigKey.REDIS_URL, redis.uri());
      }
      if (run.contains("gateway")) {
        config = DevMode.resolve(config, dataDir);
      }
      Vertx vertx = Blocking.await(VertxFactory.create(config), START_TIMEOUT_MS, "vert.x");
      List<String> deployments = new ArrayList<>();
      Switchboard app = new Switchboard(vertx, deployments, postgres, redis, config.longValue(ConfigKey.SHUTDOWN_GRACE_MS));
      try {
        // Services first, so the gateway's first clients find them.
        if (run.contains("message")) {
          MessageServiceConfig messageConfig = MessageServiceConfig.from(config);
          deployments.add(Blocking.await(vertx.deployVerticle(MessageServiceVerticle.instances(messageConfig),
              new DeploymentOptions().setInstances(instances(config.integer(ConfigKey.MESSAGE_INSTANCES)))),
              START_TIMEOUT_MS, "message-service"));
        }
        if (run.contains("presence")) {
          deployments.add(deploy(vertx, new PresenceVerticle(PresenceConfig.from(config)), "presence-service"));
        }
        if (run.contains("gateway")) {
          deployments.add(deploy(vertx, new GatewayVerticle(GatewayConfig.from(config)), "gateway"));
        }
      } catch (RuntimeException e) {
        app.stopAndWait();
        throw e;
      }
      banner(config, run, postgres, redis);
      return app;
    } catch (IOException e) {
      closeQuietly(postgres, redis);
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      closeQuietly(postgres, redis);
      throw new IllegalStateException("embedded postgres: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(postgres, redis);
      throw e;
    }
  }

  /**
   * Two servers of one Vert.x on the same port share it and split its requests between them, which
   * would send clients to the wrong service at random: refuse to start instead.
   */
  private static void requireDistinctPorts(Config config, Set<String> run) {
    java.util.Map<Integer, ConfigKey> used = new java.util.HashMap<>();
    for (ConfigKey key : List.of(ConfigKey.HTTP_PORT, ConfigKey.GATEWAY_OPS_PORT, ConfigKey.MESSAGE_OPS_PORT,
        ConfigKey.PRESENCE_OPS_PORT)) {
      boolean runs = key == ConfigKey.HTTP_PORT || key == ConfigKey.GATEWAY_OPS_PORT ? run.contains("gateway")
          : key == ConfigKey.MESSAGE_OPS_PORT ? run.contains("message") : run.contains("presence");
      int port = config.integer(key);
      if (runs && port != 0) {
        ConfigKey other = used.putIfAbsent(port, key);
        if (other != null) {
          throw new IllegalArgumentException("config: " + key.env() + " and " + other.env() + " are both " + port
              + "; services in one process need ports of their own");
        }
      }
    }
  }

  /** 0 means one per core. */
  private static int instances(int configured) {
    return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private static void requireLocal(Config config, ConfigKey missing) {
    if (config.bool(ConfigKey.CLUSTER)) {
      throw new IllegalArgumentException("config: " + missing.env() + " is required in a cluster (embedded databases are for one process)");
    }
  }

  private static String deploy(Vertx vertx, io.vertx.core.Deployable verticle, String name) {
    return Blocking.await(vertx.deployVerticle(verticle), START_TIMEOUT_MS, name);
  }

  private static void banner(Config config, Set<String> run, EmbeddedPostgres postgres, EmbeddedRedis redis) {
    LOG.info("switchboard: running {} ({})", run, config.bool(ConfigKey.CLUSTER) ? "clustered" : "one process");
    if (postgres != null) {
      LOG.info("switchboard: embedded Postgres on 127.0.0.1:{} (data in {})", postgres.port(),
          Path.of(config.string(ConfigKey.DATA_DIR)).toAbsolutePath().resolve("postgres"));
    }
    if (redis != null) {
      LOG.info("switchboard: embedded Redis on 127.0.0.1:{}", redis.port());
    }
    if (run.contains("gateway")) {
      String url = "http://localhost:" + config.integer(ConfigKey.HTTP_PORT) + "/";
      LOG.info("switchboard: open {}", url);
      String devMode = config.string(ConfigKey.DEV_MODE);
      if (GatewayConfig.DEV_MODE_ON.equals(devMode) || GatewayConfig.DEV_MODE_LOCAL.equals(devMode)) {
        LOG.info("switchboard: dev mode: get a token with: curl '{}dev/token?user=alice'{}", url,
            GatewayConfig.DEV_MODE_LOCAL.equals(devMode) ? " (from this machine only)" : "");
      }
    }
  }

  /**
   * Graceful stop: the gateway first (clients are told and disconnected), then the services finish
   * in-flight work, then the event bus leaves the cluster, then the embedded databases stop.
   */
  public synchronized void stopAndWait() {
    if (stopped) {
      return;
    }
    stopped = true;
    LOG.info("switchboard: stopping");
    List<String> reversed = new ArrayList<>(deployments);
    java.util.Collections.reverse(reversed);
    for (String id : reversed) {
      try {
        Blocking.await(vertx.undeploy(id), graceMs, "undeploy");
      } catch (RuntimeException e) {
        LOG.warn("switchboard: {}", e.getMessage());
      }
    }
    try {
      Blocking.await(vertx.close(), graceMs, "vert.x close");
    } catch (RuntimeException e) {
      LOG.warn("switchboard: {}", e.getMessage());
    }
    closeQuietly(postgres, redis);
    LOG.info("switchboard: stopped");
  }

  private static void closeQuietly(EmbeddedPostgres postgres, EmbeddedRedis redis) {
    if (redis != null) {
      redis.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  public Vertx vertx() {
    return vertx;
  }

}
