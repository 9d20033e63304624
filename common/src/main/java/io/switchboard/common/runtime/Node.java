package io.switchboard.common.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The identity of this process in the cluster and its meter registry, looked up from the Vert.x
 * instance so that several Vert.x instances in one JVM (tests) keep apart.
 */
public final class Node {
  private static final String MAP = "switchboard.node";

  private Node() {}

  static void bind(Vertx vertx, String nodeId) {
    vertx.sharedData().<String, String>getLocalMap(MAP).put("id", nodeId);
  }

  /** This node's id; also the name of its meter registry. */
  public static String id(Vertx vertx) {
    LocalMap<String, String> map = vertx.sharedData().getLocalMap(MAP);
    String id = map.get("id");
    if (id == null) {
      // A Vert.x not made by VertxFactory (a unit test): give it an id without metrics.
      id = "node-" + Integer.toHexString(System.identityHashCode(vertx));
      map.putIfAbsent("id", id);
      id = map.get("id");
    }
    return id;
  }

  /** The Prometheus-backed registry of this node, or a throwaway one when metrics are off. */
  public static MeterRegistry meters(Vertx vertx) {
    MeterRegistry registry = BackendRegistries.getNow(id(vertx));
    return registry != null ? registry : FALLBACK;
  }

  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();
}
