package io.switchboard.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EmbeddedRedisClusterTest {

  @Test
  @DisplayName("embedded Redis Cluster: three masters with a replica each, all slots served; a killed master's replica takes over its slots")
  void clusterFormsAndFailsOver() throws Exception {
    try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
      int port = cluster.ports().get(0);
      String info = EmbeddedRedisCluster.command(port, "CLUSTER", "INFO").toString();
      assertTrue(info.contains("cluster_state:ok"), info);
      assertTrue(info.contains("cluster_slots_assigned:16384"), info);
      assertTrue(info.contains("cluster_size:3"), info);
      assertEquals(6, cluster.uris().split(",").length);

      int master = cluster.masterOf("{sb}");
      EmbeddedRedisCluster.command(master, "SET", "{sb}:k", "v");
      cluster.kill(master);
      int promoted = cluster.awaitFailover("{sb}", master);
      assertNotEquals(master, promoted);
      assertEquals("v", EmbeddedRedisCluster.command(promoted, "GET", "{sb}:k"), "the replica had the key");
    }
  }
}
