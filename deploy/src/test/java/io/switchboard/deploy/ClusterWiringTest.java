package io.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The services find each other and the clients find the gateways")
class ClusterWiringTest {

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("the Hazelcast headless service selects all three services, starting pods included, on the member port")
  void hazelcastDiscoveryService(String overlay) {
    assertEquals(List.of(), ClusterChecks.hazelcastDiscovery(Rendered.overlay(overlay)));
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("every pod's service account may get and list endpoints, endpoint slices, pods and services")
  void discoveryPermissions(String overlay) {
    assertEquals(List.of(), ClusterChecks.discoveryPermissions(Rendered.overlay(overlay)));
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("the gateway's Service reaches only gateways, on their Socket.IO port, with client-IP affinity")
  void gatewayService(String overlay) {
    assertEquals(List.of(), ClusterChecks.gatewayService(Rendered.overlay(overlay)));
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("NetworkPolicies admit Hazelcast and the event bus from Switchboard's pods only, the gateway's port from anywhere, the ops ports and Prometheus's scrapes from the monitoring namespace")
  void networkPolicies(String overlay) {
    assertEquals(List.of(), NetworkChecks.ingress(Rendered.overlay(overlay)));
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("each service has one disruption budget that still lets a node be drained")
  void disruptionBudgets(String overlay) {
    assertEquals(List.of(), ClusterChecks.disruptionBudgets(Rendered.overlay(overlay)));
  }
}
