package io.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The checks fail on manifests broken the way manifests break: each test breaks one thing in dev. */
@DisplayName("The manifest checks catch a broken manifest")
class ChecksCatchBreakageTest {
  /** The real dev overlay (rendered once per run; a missing kubectl fails each test with the reason). */
  private static Rendered dev() {
    return Rendered.overlay("dev");
  }

  private static Rendered breakGateway(Consumer<Deployment> change) {
    return dev().with(dev().deployment("gateway"), d -> {
      change.accept(d);
      return d;
    });
  }

  private static void assertCaught(Rendered broken, Function<Rendered, List<String>> check, String expected) {
    assertEquals(List.of(), check.apply(dev()), "the check fails on the real manifests already");
    List<String> problems = check.apply(broken);
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected a problem with '" + expected + "', got " + problems);
  }

  private static List<EnvVar> env(Deployment d) {
    return DeploymentChecks.container(d).getEnv();
  }

  @Test
  @DisplayName("readiness probing /health instead of /ready")
  void readinessOnHealth() {
    Rendered broken = breakGateway(d -> DeploymentChecks.container(d).getReadinessProbe().getHttpGet().setPath("/health"));
    assertCaught(broken, r -> DeploymentChecks.probes(r, "gateway"), "readiness: probes /health, expected /ready");
  }

  @Test
  @DisplayName("a probe on a port the service does not serve")
  void probeOnWrongPort() {
    Rendered broken = breakGateway(d -> DeploymentChecks.container(d).getLivenessProbe().getHttpGet().setPort(new IntOrString(8080)));
    assertCaught(broken, r -> DeploymentChecks.probes(r, "gateway"), "liveness: probes port");
  }

  @Test
  @DisplayName("a grace period shorter than the shutdown needs")
  void shortGracePeriod() {
    Rendered broken = breakGateway(d -> d.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(30L));
    assertCaught(broken, r -> DeploymentChecks.shutdown(r, "gateway"), "terminationGracePeriodSeconds 30 must exceed");
  }

  @Test
  @DisplayName("no preStop hook")
  void noPreStop() {
    Rendered broken = breakGateway(d -> DeploymentChecks.container(d).setLifecycle(null));
    assertCaught(broken, r -> DeploymentChecks.shutdown(r, "gateway"), "no preStop sleep");
  }

  @Test
  @DisplayName("no memory limit")
  void noMemoryLimit() {
    Rendered broken = breakGateway(d -> DeploymentChecks.container(d).getResources().getLimits().remove("memory"));
    assertCaught(broken, r -> DeploymentChecks.resources(r, "gateway"), "no memory request and limit");
  }

  @Test
  @DisplayName("a misspelt configuration variable")
  void unknownVariable() {
    Rendered broken = breakGateway(d -> env(d).add(new EnvVar("CLUSTER_HOSTS", "10.0.0.1", null)));
    assertCaught(broken, r -> DeploymentChecks.environment(r, "gateway", ServiceDeploymentsTest.CONFIG_VARIABLES),
        "CLUSTER_HOSTS is not in the configuration table");
  }

  @Test
  @DisplayName("a gateway without its JWT secret")
  void missingJwtSecret() {
    Rendered broken = breakGateway(d -> env(d).removeIf(v -> v.getName().equals("JWT_SECRET")));
    assertCaught(broken, r -> DeploymentChecks.environment(r, "gateway", ServiceDeploymentsTest.CONFIG_VARIABLES),
        "none of [JWT_SECRET, JWT_PUBLIC_KEY] comes from a Secret");
  }

  @Test
  @DisplayName("a secret key that the Secret does not have")
  void danglingSecretKey() {
    Rendered broken = breakGateway(d -> env(d).stream().filter(v -> v.getName().equals("SERVICE_TOKEN"))
        .forEach(v -> v.getValueFrom().getSecretKeyRef().setKey("SERVICE_TOKN")));
    assertCaught(broken, r -> DeploymentChecks.environment(r, "gateway", ServiceDeploymentsTest.CONFIG_VARIABLES),
        "reads key SERVICE_TOKN of Secret");
  }

  @Test
  @DisplayName("a cluster host that is not the pod IP")
  void clusterHostLiteral() {
    Rendered broken = breakGateway(d -> env(d).replaceAll(v ->
        v.getName().equals("CLUSTER_HOST") ? new EnvVar("CLUSTER_HOST", "0.0.0.0", null) : v));
    assertCaught(broken, r -> DeploymentChecks.clusterMembership(r, "gateway"), "CLUSTER_HOST is not the pod IP");
  }

  @Test
  @DisplayName("a gateway without the cluster TLS mount")
  void noClusterTlsMount() {
    Rendered broken = breakGateway(d -> DeploymentChecks.container(d).getVolumeMounts().removeIf(m -> m.getName().equals("cluster-tls")));
    assertCaught(broken, r -> DeploymentChecks.clusterTls(r, "gateway"), "CLUSTER_TLS_KEY /etc/switchboard/cluster-tls/tls.key is not in a mounted Secret");
  }

  @Test
  @DisplayName("an event bus on any free port")
  void busPortNotFixed() {
    Rendered broken = breakGateway(d -> env(d).add(new EnvVar("CLUSTER_BUS_PORT", "0", null)));
    assertCaught(broken, r -> DeploymentChecks.clusterMembership(r, "gateway"), "CLUSTER_BUS_PORT 0 is not fixed");
  }

  @Test
  @DisplayName("a NetworkPolicy that opens the event bus to every pod")
  void busOpenToAll() {
    Rendered broken = dev().with(dev().get(NetworkPolicy.class, "switchboard-cluster-plane"), p -> {
      p.getSpec().getIngress().get(0).setFrom(List.of());
      return p;
    });
    assertCaught(broken, NetworkChecks::ingress, "switchboard-message: port eventbus (5801) is admitted from [ANYONE]");
  }

  @Test
  @DisplayName("no NetworkPolicy at all")
  void noNetworkPolicy() {
    Rendered broken = dev();
    for (NetworkPolicy p : dev().all(NetworkPolicy.class)) {
      broken = broken.without(p);
    }
    assertCaught(broken, NetworkChecks::ingress, "switchboard-presence: ops port ops (9102) is admitted from [ANYONE]");
  }

  @Test
  @DisplayName("ops ports open to every namespace")
  void opsFromEverywhere() {
    Rendered broken = dev().with(dev().get(NetworkPolicy.class, "switchboard-ops-from-monitoring"), p -> {
      p.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().setMatchLabels(java.util.Map.of());
      return p;
    });
    assertCaught(broken, NetworkChecks::ingress, "switchboard-message: ops port ops (9101) is admitted from [OTHER]");
  }

  @Test
  @DisplayName("a scrape annotation on the wrong port")
  void scrapeWrongPort() {
    Rendered broken = breakGateway(d -> d.getSpec().getTemplate().getMetadata().getAnnotations().put("prometheus.io/port", "9101"));
    assertCaught(broken, r -> DeploymentChecks.scraping(r, "gateway"), "prometheus.io/port 9101");
  }

  @Test
  @DisplayName("service links left on")
  void serviceLinks() {
    Rendered broken = breakGateway(d -> d.getSpec().getTemplate().getSpec().setEnableServiceLinks(null));
    assertCaught(broken, r -> DeploymentChecks.hardening(r, "gateway"), "enableServiceLinks is not false");
  }

  @Test
  @DisplayName("a Hazelcast service that selects only the gateways")
  void hazelcastSelectsGatewaysOnly() {
    Rendered broken = dev().with(dev().service("switchboard-hazelcast"), s -> {
      var selector = new HashMap<>(s.getSpec().getSelector());
      selector.put("app.kubernetes.io/component", "gateway");
      s.getSpec().setSelector(selector);
      return s;
    });
    assertCaught(broken, ClusterChecks::hazelcastDiscovery, "does not select switchboard-message");
  }

  @Test
  @DisplayName("a Hazelcast service that hides starting members")
  void hazelcastHidesNotReady() {
    Rendered broken = dev().with(dev().service("switchboard-hazelcast"), s -> {
      s.getSpec().setPublishNotReadyAddresses(false);
      return s;
    });
    assertCaught(broken, ClusterChecks::hazelcastDiscovery, "publishNotReadyAddresses");
  }

  @Test
  @DisplayName("a Role without endpoint slices")
  void roleWithoutEndpointSlices() {
    Rendered broken = dev().with(dev().get(Role.class, "switchboard-hazelcast-discovery"), role -> {
      role.setRules(new ArrayList<>(role.getRules().subList(0, 1)));
      return role;
    });
    assertCaught(broken, ClusterChecks::discoveryPermissions, "may not list endpointslices");
  }

  @Test
  @DisplayName("a RoleBinding to the service account of another namespace")
  void bindingInOtherNamespace() {
    Rendered broken = dev().with(dev().get(RoleBinding.class, "switchboard-hazelcast-discovery"), b -> {
      b.getSubjects().get(0).setNamespace("switchboard");
      return b;
    });
    assertCaught(broken, ClusterChecks::discoveryPermissions, "may not get endpoints");
    assertCaught(broken, ClusterChecks::namespaces, "binds switchboard/switchboard");
  }

  @Test
  @DisplayName("a gateway service without session affinity")
  void noAffinity() {
    Rendered broken = dev().with(dev().service("switchboard-gateway"), s -> {
      s.getSpec().setSessionAffinity("None");
      return s;
    });
    assertCaught(broken, ClusterChecks::gatewayService, "no ClientIP session affinity");
  }

  @Test
  @DisplayName("a disruption budget that forbids every eviction")
  void blockingBudget() {
    Rendered broken = dev().with(dev().get(PodDisruptionBudget.class, "switchboard-message"), b -> {
      b.getSpec().setMaxUnavailable(new IntOrString(0));
      return b;
    });
    assertCaught(broken, ClusterChecks::disruptionBudgets, "lets no pod be evicted");
  }

  @Test
  @DisplayName("an object outside the overlay's namespace")
  void objectOutsideNamespace() {
    Service svc = dev().service("switchboard-redis");
    Rendered broken = dev().with(svc, s -> {
      s.getMetadata().setNamespace(null);
      return s;
    });
    assertCaught(broken, ClusterChecks::namespaces, "Service/switchboard-redis: in namespace null");
  }
}
