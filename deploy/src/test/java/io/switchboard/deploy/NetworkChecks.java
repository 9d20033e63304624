package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who the rendered NetworkPolicies admit to each port of each service, computed the way Kubernetes
 * does (a pod selected by no Ingress policy admits everyone; otherwise the union of the rules of the
 * policies that select it; a rule without ports covers every port, one without peers everyone), and
 * compared with what Switchboard needs: the cluster plane from its own pods only, the gateway's port
 * from anywhere, the ops ports from the monitoring namespace.
 */
final class NetworkChecks {
  /** The namespace Prometheus scrapes from, by its automatic name label. */
  static final Map<String, String> MONITORING = Map.of("kubernetes.io/metadata.name", "monitoring");

  /** Kinds of peer a rule admits. */
  enum Peer { ANYONE, SWITCHBOARD_PODS, MONITORING_NAMESPACE, OTHER }

  private NetworkChecks() {}

  /** The container ports of the cluster plane, the gateway's public port and the ops ports, admitted as they must be. */
  static List<String> ingress(Rendered r) {
    List<String> out = new ArrayList<>();
    for (String service : Rendered.SERVICES) {
      Deployment d = r.deployment(service);
      Container c = DeploymentChecks.container(d);
      String where = d.getMetadata().getName();
      for (ContainerPort port : c.getPorts()) {
        Set<Peer> admitted = admitted(r, d, port);
        String name = port.getName() + " (" + port.getContainerPort() + ")";
        switch (String.valueOf(port.getName())) {
          case "hazelcast", "eventbus" -> {
            if (!admitted.equals(EnumSet.of(Peer.SWITCHBOARD_PODS))) {
              out.add(where + ": port " + name + " is admitted from " + admitted + ", must be from Switchboard's pods only");
            }
          }
          case "http" -> {
            if (!admitted.contains(Peer.ANYONE)) {
              out.add(where + ": the public port " + name + " is admitted from " + admitted + " only, not from anywhere");
            }
          }
          case "ops" -> {
            if (!admitted.equals(EnumSet.of(Peer.MONITORING_NAMESPACE))) {
              out.add(where + ": ops port " + name + " is admitted from " + admitted + ", must be from the monitoring namespace only");
            }
          }
          default -> out.add(where + ": port " + name + " has no rule in these checks; say who may reach it");
        }
      }
      String scrape = Optional.ofNullable(d.getSpec().getTemplate().getMetadata().getAnnotations())
          .map(a -> a.get("prometheus.io/port")).orElse(null);
      Optional<ContainerPort> scraped = c.getPorts().stream()
          .filter(p -> String.valueOf(p.getContainerPort()).equals(scrape)).findFirst();
      if (scraped.isEmpty() || Set.of(Peer.ANYONE, Peer.MONITORING_NAMESPACE).stream()
          .noneMatch(admitted(r, d, scraped.get())::contains)) {
        out.add(where + ": Prometheus (monitoring namespace) cannot reach the scrape port " + scrape);
      }
    }
    return out;
  }

  /** The peers the policies selecting the deployment's pods admit to one of its ports. */
  static Set<Peer> admitted(Rendered r, Deployment d, ContainerPort port) {
    Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
    List<NetworkPolicy> selecting = r.all(NetworkPolicy.class).stream()
        .filter(p -> p.getSpec().getPolicyTypes() == null || p.getSpec().getPolicyTypes().isEmpty()
            || p.getSpec().getPolicyTypes().contains("Ingress"))
        .filter(p -> matches(p.getSpec().getPodSelector(), labels))
        .toList();
    if (selecting.isEmpty()) {
      return EnumSet.of(Peer.ANYONE);
    }
    Set<Peer> admitted = EnumSet.noneOf(Peer.class);
    for (NetworkPolicy policy : selecting) {
      for (NetworkPolicyIngressRule rule : Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of())) {
        if (!covers(rule.getPorts(), port)) {
          continue;
        }
        if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
          admitted.add(Peer.ANYONE);
        }
        for (NetworkPolicyPeer peer : Optional.ofNullable(rule.getFrom()).orElse(List.of())) {
          admitted.add(classify(r, peer));
        }
      }
    }
    return admitted;
  }

  private static boolean covers(List<NetworkPolicyPort> ports, ContainerPort port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    return ports.stream().anyMatch(p -> p.getPort() == null
        || (p.getPort().getIntVal() != null ? p.getPort().getIntVal().equals(port.getContainerPort())
            : p.getPort().getStrVal().equals(port.getName())));
  }

  /** Switchboard's pods: a pod selector in this namespace that selects every service and no other pods' labels. */
  private static Peer classify(Rendered r, NetworkPolicyPeer peer) {
    if (peer.getIpBlock() != null) {
      return Peer.OTHER;
    }
    if (peer.getNamespaceSelector() != null) {
      boolean monitoring = peer.getPodSelector() == null
          && MONITORING.equals(peer.getNamespaceSelector().getMatchLabels())
          && (peer.getNamespaceSelector().getMatchExpressions() == null || peer.getNamespaceSelector().getMatchExpressions().isEmpty());
      return monitoring ? Peer.MONITORING_NAMESPACE : Peer.OTHER;
    }
    LabelSelector pods = peer.getPodSelector();
    boolean ours = pods != null && pods.getMatchLabels() != null
        && "switchboard".equals(pods.getMatchLabels().get("app.kubernetes.io/name"))
        && Rendered.SERVICES.stream().allMatch(s -> matches(pods, r.deployment(s).getSpec().getTemplate().getMetadata().getLabels()));
    return ours ? Peer.SWITCHBOARD_PODS : Peer.OTHER;
  }

  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      throw new AssertionError("these checks do not evaluate matchExpressions: " + selector);
    }
    Map<String, String> wanted = Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of());
    return labels != null && labels.entrySet().containsAll(wanted.entrySet());
  }
}
