package io.switchboard.common.runtime;

import com.hazelcast.config.JoinConfig;
import io.micrometer.core.instrument.Gauge;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Vert.x instance of a process: Prometheus metrics always; a Hazelcast-clustered event
 * bus when {@link ConfigKey#CLUSTER} is on, a local one otherwise. The same services run on both.
 * The clustered bus runs over TLS with client certificates ({@link ClusterTls}); without the
 * material a clustered process does not start. The local bus needs none.
 */
public final class VertxFactory {
  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  private VertxFactory() {}

  public static Future<Vertx> create(Config config) {
    String nodeId = UUID.randomUUID().toString();
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(nodeId)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(false));
    if (!config.bool(ConfigKey.METRICS_EVENT_BUS)) {
      // Every optimistic message, persist request, reply and confirmation is a bus message: a meter
      // lookup by address on each was a measurable share of the hot path.
      metrics.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    }
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics)
        .setPreferNativeTransport(config.bool(ConfigKey.NATIVE_TRANSPORT));
    // One event loop per core, not Vert.x's two: nothing here blocks a loop, and with twice as many
    // loops as cores most hops of a send (gateway, message-service, its Postgres connection, the
    // reply) cross threads and wake one up while the loops take turns on the cores, which costs
    // throughput and fan-out latency. A pod limited to one CPU gets one loop.
    int loops = config.integer(ConfigKey.EVENT_LOOPS);
    options.setEventLoopPoolSize(loops > 0 ? loops : Runtime.getRuntime().availableProcessors());
    Future<Vertx> vertx;
    if (config.bool(ConfigKey.CLUSTER)) {
      EventBusOptions bus = options.getEventBusOptions();
      if (config.isSet(ConfigKey.CLUSTER_HOST)) {
        bus.setHost(config.string(ConfigKey.CLUSTER_HOST));
      }
      if (config.isSet(ConfigKey.CLUSTER_PUBLIC_HOST)) {
        bus.setClusterPublicHost(config.string(ConfigKey.CLUSTER_PUBLIC_HOST));
      }
      bus.setPort(config.integer(ConfigKey.CLUSTER_BUS_PORT));
      ClusterTls.Summary tls = ClusterTls.load(bus, config);
      LOG.info("cluster: event bus over TLS with client certificates; this member is {} (until {}), trusting {} CA certificate(s)",
          tls.subject(), tls.notAfter(), tls.trustedCas());
      vertx = Vertx.builder().with(options).withClusterManager(clusterManager(config)).buildClustered();
    } else {
      vertx = Future.succeededFuture(Vertx.vertx(options));
    }
    return vertx.map(v -> {
      if (config.bool(ConfigKey.NATIVE_TRANSPORT) && !v.isNativeTransportEnabled()) {
        LOG.info("vert.x: native transport unavailable, using NIO ({})", String.valueOf(v.unavailableNativeTransportCause()));
      }
      Node.bind(v, nodeId);
      BusCodecs.register(v);
      Gauge.builder("switchboard.cluster.members", v, VertxFactory::members)
          .description("Members of the cluster this process sees (1 when not clustered)").register(Node.meters(v));
      return v;
    });
  }

  private static double members(Vertx vertx) {
    var manager = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    return manager == null ? 1 : manager.getNodes().size();
  }

  static HazelcastClusterManager clusterManager(Config config) {
    com.hazelcast.config.Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("switchboard");
    hz.getNetworkConfig().setPort(config.integer(ConfigKey.CLUSTER_PORT)).setPortAutoIncrement(true);
    if (config.isSet(ConfigKey.CLUSTER_PUBLIC_HOST)) {
      hz.getNetworkConfig().setPublicAddress(config.string(ConfigKey.CLUSTER_PUBLIC_HOST));
    }
    if (config.isSet(ConfigKey.CLUSTER_HOST)) {
      hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(config.string(ConfigKey.CLUSTER_HOST));
    }
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (config.bool(ConfigKey.CLUSTER_KUBERNETES)) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-name", config.string(ConfigKey.CLUSTER_KUBERNETES_SERVICE));
    } else {
      join.getKubernetesConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(config.list(ConfigKey.CLUSTER_MEMBERS));
    }
    // Members that vanish (kill -9) are noticed in seconds, not minutes.
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    return new HazelcastClusterManager(hz);
  }
}
