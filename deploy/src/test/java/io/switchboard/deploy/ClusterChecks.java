package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.switchboard.common.config.ConfigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Checks across objects: the Hazelcast discovery (headless service, RBAC), the gateway's public
 * service, disruption budgets and namespaces. Each returns the problems it finds.
 */
final class ClusterChecks {
  /** What Hazelcast's Kubernetes discovery reads: API group, resource. */
  static final List<List<String>> DISCOVERY_READS = List.of(
      List.of("", "endpoints"), List.of("", "pods"), List.of("", "services"),
      List.of("discovery.k8s.io", "endpointslices"));

  private ClusterChecks() {}

  static boolean selects(Map<String, String> selector, Deployment d) {
    Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
    return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  /**
   * The service every pod names in CLUSTER_KUBERNETES_SERVICE: headless, publishing not-ready pods,
   * one port named hazelcast on CLUSTER_PORT whose target resolves in every pod, selecting all three services.
   */
  static List<String> hazelcastDiscovery(Rendered r) {
    List<String> out = new ArrayList<>();
    List<String> names = Rendered.SERVICES.stream().map(s -> ContainerEnv.of(r,
        DeploymentChecks.container(r.deployment(s))).effective(ConfigKey.CLUSTER_KUBERNETES_SERVICE)).distinct().toList();
    if (names.size() != 1) {
      return List.of("the services name different discovery services: " + names);
    }
    Service svc = r.find(Service.class, names.get(0)).orElse(null);
    if (svc == null) {
      return List.of("no Service " + names.get(0) + " (CLUSTER_KUBERNETES_SERVICE)");
    }
    String where = "Service " + names.get(0);
    if (!"None".equals(svc.getSpec().getClusterIP())) {
      out.add(where + ": not headless (clusterIP: None)");
    }
    if (!Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses())) {
      out.add(where + ": starting members are not published (publishNotReadyAddresses)");
    }
    List<ServicePort> ports = svc.getSpec().getPorts();
    for (String service : Rendered.SERVICES) {
      Deployment d = r.deployment(service);
      if (!selects(svc.getSpec().getSelector(), d)) {
        out.add(where + ": does not select " + d.getMetadata().getName());
        continue;
      }
      Container c = DeploymentChecks.container(d);
      int clusterPort = Integer.parseInt(ContainerEnv.of(r, c).effective(ConfigKey.CLUSTER_PORT));
      if (ports.size() != 1 || !"hazelcast".equals(ports.get(0).getName()) || ports.get(0).getPort() != clusterPort) {
        out.add(where + ": needs exactly one port, named hazelcast, on CLUSTER_PORT " + clusterPort);
      } else {
        OptionalInt target = DeploymentChecks.resolvePort(c, ports.get(0).getTargetPort());
        if (target.isEmpty() || target.getAsInt() != clusterPort) {
          out.add(where + ": targetPort " + ports.get(0).getTargetPort() + " is not port " + clusterPort + " in " + d.getMetadata().getName());
        }
      }
    }
    return out;
  }

  /** Every Deployment's service account is bound to a Role that lets the discovery read what it reads. */
  static List<String> discoveryPermissions(Rendered r) {
    List<String> out = new ArrayList<>();
    String namespace = r.namespace();
    for (String service : Rendered.SERVICES) {
      Deployment d = r.deployment(service);
      String account = d.getSpec().getTemplate().getSpec().getServiceAccountName();
      if (account == null || r.find(io.fabric8.kubernetes.api.model.ServiceAccount.class, account).isEmpty()) {
        out.add(d.getMetadata().getName() + ": service account " + account + " is not part of the overlay");
        continue;
      }
      if (Boolean.FALSE.equals(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())) {
        out.add(d.getMetadata().getName() + ": no service account token, so no Kubernetes API for the discovery");
      }
      List<PolicyRule> granted = new ArrayList<>();
      for (RoleBinding b : r.all(RoleBinding.class)) {
        boolean bound = b.getSubjects().stream().anyMatch(s -> isAccount(s, account, namespace));
        if (bound && "Role".equals(b.getRoleRef().getKind())) {
          r.find(Role.class, b.getRoleRef().getName()).ifPresent(role -> granted.addAll(role.getRules()));
        }
      }
      for (List<String> read : DISCOVERY_READS) {
        for (String verb : List.of("get", "list")) {
          boolean allowed = granted.stream().anyMatch(rule -> rule.getApiGroups().contains(read.get(0))
              && rule.getResources().contains(read.get(1)) && rule.getVerbs().contains(verb));
          if (!allowed) {
            out.add("service account " + namespace + "/" + account + " may not " + verb + " " + read.get(1));
          }
        }
      }
    }
    return out.stream().distinct().toList();
  }

  private static boolean isAccount(Subject s, String account, String namespace) {
    return "ServiceAccount".equals(s.getKind()) && account.equals(s.getName()) && namespace.equals(s.getNamespace());
  }

  /**
   * A Service to the gateways' Socket.IO port only, with client-IP affinity for long-polling: a
   * public LoadBalancer, or a ClusterIP reached by port-forward (dev; OverlaysTest says which where).
   */
  static List<String> gatewayService(Rendered r) {
    List<String> out = new ArrayList<>();
    Service svc = r.service("switchboard-gateway");
    String where = "Service switchboard-gateway";
    if (!List.of("LoadBalancer", "ClusterIP").contains(svc.getSpec().getType())) {
      out.add(where + ": neither a LoadBalancer nor a ClusterIP");
    }
    if (!"ClientIP".equals(svc.getSpec().getSessionAffinity())) {
      out.add(where + ": no ClientIP session affinity (long-polling sessions live in one pod)");
    }
    for (String service : Rendered.SERVICES) {
      boolean selected = selects(svc.getSpec().getSelector(), r.deployment(service));
      if (selected != service.equals("gateway")) {
        out.add(where + (selected ? ": also selects " : ": does not select ") + "switchboard-" + service);
      }
    }
    Container gateway = DeploymentChecks.container(r.deployment("gateway"));
    int port = Integer.parseInt(ContainerEnv.of(r, gateway).effective(ConfigKey.HTTP_PORT));
    for (ServicePort p : svc.getSpec().getPorts()) {
      OptionalInt target = DeploymentChecks.resolvePort(gateway, p.getTargetPort());
      if (target.isEmpty() || target.getAsInt() != port) {
        out.add(where + ": port " + p.getPort() + " targets " + p.getTargetPort() + ", not the gateway's PORT " + port);
      }
    }
    return out;
  }

  /** One budget per service, which selects it and lets at least one pod be evicted. */
  static List<String> disruptionBudgets(Rendered r) {
    List<String> out = new ArrayList<>();
    for (String service : Rendered.SERVICES) {
      Deployment d = r.deployment(service);
      List<PodDisruptionBudget> budgets = r.all(PodDisruptionBudget.class).stream()
          .filter(b -> selects(b.getSpec().getSelector().getMatchLabels(), d)).toList();
      if (budgets.size() != 1) {
        out.add(d.getMetadata().getName() + ": covered by " + budgets.size() + " disruption budgets, expected 1");
        continue;
      }
      var spec = budgets.get(0).getSpec();
      boolean evictable = spec.getMaxUnavailable() != null
          ? spec.getMaxUnavailable().getIntVal() != null && spec.getMaxUnavailable().getIntVal() >= 1
          : spec.getMinAvailable() != null && spec.getMinAvailable().getIntVal() != null
              && spec.getMinAvailable().getIntVal() < Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
      if (!evictable) {
        out.add(d.getMetadata().getName() + ": its disruption budget lets no pod be evicted, so nodes cannot be drained");
      }
    }
    return out;
  }

  /** Everything namespaced lives in the one namespace the overlay creates. */
  static List<String> namespaces(Rendered r) {
    List<String> out = new ArrayList<>();
    String namespace = r.namespace();
    for (HasMetadata o : r.objects) {
      boolean clusterScoped = o instanceof Namespace;
      String actual = o.getMetadata().getNamespace();
      if (!clusterScoped && !namespace.equals(actual)) {
        out.add(o.getKind() + "/" + o.getMetadata().getName() + ": in namespace " + actual + ", not " + namespace);
      }
    }
    for (RoleBinding b : r.all(RoleBinding.class)) {
      for (Subject s : b.getSubjects()) {
        if ("ServiceAccount".equals(s.getKind()) && !namespace.equals(s.getNamespace())) {
          out.add("RoleBinding/" + b.getMetadata().getName() + ": binds " + s.getNamespace() + "/" + s.getName()
              + ", not the overlay's " + namespace + "/" + s.getName());
        }
      }
    }
    return out;
  }
}
