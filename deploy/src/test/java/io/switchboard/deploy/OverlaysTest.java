package io.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.switchboard.common.config.ConfigKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("dev and prod differ as intended")
class OverlaysTest {

  @Test
  @DisplayName("dev runs one pod of each service and no autoscaler")
  void devIsSmall() {
    Rendered dev = Rendered.overlay("dev");
    assertAll(Rendered.SERVICES.stream().map(s ->
        () -> assertEquals(1, dev.deployment(s).getSpec().getReplicas(), s)));
    assertEquals(List.of(), dev.all(HorizontalPodAutoscaler.class));
  }

  @Test
  @DisplayName("dev is reached by port-forward, not exposed: its gateway Service is ClusterIP")
  void devIsNotExposed() {
    Service gateway = Rendered.overlay("dev").get(Service.class, "switchboard-gateway");
    assertEquals("ClusterIP", gateway.getSpec().getType());
    assertNull(gateway.getSpec().getExternalTrafficPolicy());
    assertEquals("LoadBalancer", Rendered.overlay("prod").get(Service.class, "switchboard-gateway").getSpec().getType());
  }

  @Test
  @DisplayName("dev keeps no secret in git: setup.sh makes them, different on every machine, and keeps them when run again")
  void devSecretsAreMade() throws IOException {
    String kustomization = Files.readString(Root.path().resolve("k8s/overlays/dev/kustomization.yaml"));
    for (ConfigKey secret : List.of(ConfigKey.JWT_SECRET, ConfigKey.SERVICE_TOKEN, ConfigKey.ADMIN_TOKEN)) {
      assertFalse(kustomization.contains(secret.env() + "="), "k8s/overlays/dev/kustomization.yaml holds " + secret.env());
    }
    Path one = overlayCopy();
    Path two = overlayCopy();
    Rendered.setup(one);
    Rendered.setup(two);
    String first = secret(one, "JWT_SECRET");
    assertTrue(first.length() >= 64, "a long random secret: " + first.length());
    assertFalse(first.equals(secret(two, "JWT_SECRET")), "two machines, two secrets");
    assertFalse(secret(one, "ADMIN_TOKEN").equals(secret(two, "ADMIN_TOKEN")));
    assertTrue(Files.exists(one.resolve("cluster-tls/tls.crt")) && Files.exists(one.resolve("cluster-tls/tls.key")));
    Rendered.setup(one);
    assertEquals(first, secret(one, "JWT_SECRET"), "run again, it keeps what it made");
  }

  private static Path overlayCopy() throws IOException {
    Path dir = Files.createTempDirectory("switchboard-dev-overlay");
    Files.copy(Root.path().resolve("k8s/overlays/dev/setup.sh"), dir.resolve("setup.sh"));
    return dir;
  }

  private static String secret(Path overlay, String key) throws IOException {
    return Files.readAllLines(overlay.resolve("secrets.env")).stream().filter(l -> l.startsWith(key + "="))
        .map(l -> l.substring(key.length() + 1)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("prod runs message and presence twice and leaves the gateway's count to an autoscaler of at least 3")
  void prodReplicas() {
    Rendered prod = Rendered.overlay("prod");
    assertEquals(2, prod.deployment("message").getSpec().getReplicas());
    assertEquals(2, prod.deployment("presence").getSpec().getReplicas());
    // A count in the manifest would reset a scaled-out gateway at every kubectl apply.
    assertNull(prod.deployment("gateway").getSpec().getReplicas());
    HorizontalPodAutoscaler hpa = prod.get(HorizontalPodAutoscaler.class, "switchboard-gateway");
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals("switchboard-gateway", hpa.getSpec().getScaleTargetRef().getName());
    assertEquals(3, hpa.getSpec().getMinReplicas());
    assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas());
    assertEquals(List.of("cpu"), hpa.getSpec().getMetrics().stream().map(m -> m.getResource().getName()).toList());
  }

  @Test
  @DisplayName("prod gives every service more CPU and memory than dev")
  void prodIsBigger() {
    Rendered dev = Rendered.overlay("dev");
    Rendered prod = Rendered.overlay("prod");
    for (String s : Rendered.SERVICES) {
      for (String kind : List.of("cpu", "memory")) {
        Quantity small = DeploymentChecks.container(dev.deployment(s)).getResources().getLimits().get(kind);
        Quantity big = DeploymentChecks.container(prod.deployment(s)).getResources().getLimits().get(kind);
        assertTrue(big.getNumericalAmount().compareTo(small.getNumericalAmount()) > 0, s + " " + kind + ": " + small + " vs " + big);
      }
    }
  }

  @Test
  @DisplayName("prod pulls a versioned image from a registry, the same for the three services")
  void prodImage() {
    Rendered prod = Rendered.overlay("prod");
    List<String> images = Rendered.SERVICES.stream()
        .map(s -> DeploymentChecks.container(prod.deployment(s)).getImage()).distinct().toList();
    assertEquals(1, images.size(), images.toString());
    assertTrue(images.get(0).matches("[a-z0-9.-]+\\.[a-z]+(:\\d+)?/.+:\\d+\\.\\d+\\.\\d+"), images.get(0));
  }

  @Test
  @DisplayName("the connections component adds a per-pod connections metric the gateway really exports")
  void connectionsComponent() throws IOException {
    HorizontalPodAutoscaler hpa = Rendered.overlay("prod", "gateway-connections-hpa")
        .get(HorizontalPodAutoscaler.class, "switchboard-gateway");
    List<MetricSpec> pods = hpa.getSpec().getMetrics().stream().filter(m -> "Pods".equals(m.getType())).toList();
    assertEquals(1, pods.size());
    String metric = pods.get(0).getPods().getMetric().getName();
    assertEquals("switchboard_gateway_connections", metric);
    // Headroom: a gateway refuses connections beyond MAX_CONNECTIONS, and scaling out takes a while.
    Rendered prod = Rendered.overlay("prod");
    int capacity = Integer.parseInt(ContainerEnv.of(prod, DeploymentChecks.container(prod.deployment("gateway")))
        .effective(ConfigKey.MAX_CONNECTIONS));
    double target = pods.get(0).getPods().getTarget().getAverageValue().getNumericalAmount().doubleValue();
    assertTrue(target <= 0.75 * capacity, "target " + target + " connections per pod, capacity " + capacity);
    // Prometheus names a Micrometer gauge by its dotted name with underscores.
    String meter = "\"" + metric.replace('_', '.') + "\"";
    try (Stream<Path> sources = Files.walk(Root.path().resolve("gateway-service/src/main/java"))) {
      assertTrue(sources.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> read(p).contains(meter)),
          "no gateway meter named " + meter);
    }
  }

  @Test
  @DisplayName("the database URLs of the shipped secrets point at the ExternalName services of the overlay")
  void databasesAreExternalNames() {
    for (String overlay : List.of("dev", "prod")) {
      Rendered r = Rendered.overlay(overlay);
      String secret = r.all(io.fabric8.kubernetes.api.model.Secret.class).stream().map(x -> x.getMetadata().getName())
          .filter(name -> name.startsWith("switchboard-secrets")).findFirst().orElseThrow();
      for (String key : List.of("PG_URL", "REDIS_URL")) {
        String host = URI.create(r.secretValue(secret, key).orElseThrow()).getHost();
        Service svc = r.service(host);
        assertEquals("ExternalName", svc.getSpec().getType(), overlay + " " + key);
        assertTrue(svc.getSpec().getExternalName() != null && !svc.getSpec().getExternalName().isBlank());
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
