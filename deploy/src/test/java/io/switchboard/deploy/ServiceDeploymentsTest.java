package io.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Each service's Deployment gives an operator what it needs")
class ServiceDeploymentsTest {
  static final Set<String> CONFIG_VARIABLES =
      Arrays.stream(ConfigKey.values()).map(ConfigKey::env).collect(Collectors.toUnmodifiableSet());

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("runs as a Hazelcast member found through Kubernetes, bound to its pod IP")
  void clusterMembership(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.clusterMembership(Rendered.overlay(overlay), service));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("mounts the cluster TLS Secret read-only and points CLUSTER_TLS_CA, CLUSTER_TLS_CERT and CLUSTER_TLS_KEY at its files")
  void clusterTls(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.clusterTls(Rendered.overlay(overlay), service));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("is probed on /health (liveness, startup) and /ready (readiness) where the service serves them")
  void probes(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.probes(Rendered.overlay(overlay), service));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("has CPU and memory requests and limits and a heap sized to its memory limit")
  void resources(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.resources(Rendered.overlay(overlay), service));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("has time to shut down gracefully: preStop sleep, then twice SHUTDOWN_GRACE_MS, before SIGKILL")
  void shutdown(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.shutdown(Rendered.overlay(overlay), service));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("sets only variables of the configuration table, all resolvable, with its required secrets from a Secret")
  void environment(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.environment(Rendered.overlay(overlay), service, CONFIG_VARIABLES));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("is scraped by Prometheus on the port and path of /metrics")
  void scraping(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.scraping(Rendered.overlay(overlay), service));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"dev, gateway", "dev, message", "dev, presence", "prod, gateway", "prod, message", "prod, presence"})
  @DisplayName("runs unprivileged on a read-only root filesystem without service-link variables")
  void hardening(String overlay, String service) {
    assertEquals(List.of(), DeploymentChecks.hardening(Rendered.overlay(overlay), service));
  }

  @Test
  @DisplayName("the variables that are not configuration keys are really read where the checks say")
  void nonConfigVariablesAreRead() throws IOException {
    String logback = Files.readString(Root.path().resolve("launcher/src/main/resources/logback.xml"));
    for (var e : DeploymentChecks.NON_CONFIG_VARIABLES.entrySet()) {
      if (e.getValue().endsWith("logback.xml")) {
        assertTrue(logback.contains("${" + e.getKey()), e.getKey() + " is not read by logback.xml");
      }
      assertTrue(!CONFIG_VARIABLES.contains(e.getKey()), e.getKey() + " is a configuration key now: drop it from the list");
    }
  }
}
