package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.switchboard.common.config.ConfigKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator needs from each service's Deployment, as checks that return the problems they
 * find (empty: fine), so that tests can run them on the real manifests and on broken copies.
 */
final class DeploymentChecks {
  /** Variables the manifests may set that are not configuration keys, and who reads them. */
  static final Map<String, String> NON_CONFIG_VARIABLES = Map.of(
      "LOG_FORMAT", "launcher/src/main/resources/logback.xml",
      "LOG_LEVEL", "launcher/src/main/resources/logback.xml",
      "JDK_JAVA_OPTIONS", "the java launcher (JVM flags)");
  private static final Pattern MAX_RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)");

  private DeploymentChecks() {}

  /** The configuration key that holds the port where a service serves /health, /ready and /metrics. */
  static ConfigKey opsPortKey(String service) {
    return switch (service) {
      case "gateway" -> ConfigKey.GATEWAY_OPS_PORT;
      case "message" -> ConfigKey.MESSAGE_OPS_PORT;
      case "presence" -> ConfigKey.PRESENCE_OPS_PORT;
      default -> throw new IllegalArgumentException(service);
    };
  }

  /** Secrets without which the launcher refuses to start the service in a cluster. */
  static List<List<ConfigKey>> requiredSecrets(String service) {
    return switch (service) {
      case "gateway" -> List.of(List.of(ConfigKey.JWT_SECRET, ConfigKey.JWT_PUBLIC_KEY));
      // The pods share no disk: attachments go to S3 (k8s/base/config.env), whose keys it refuses to start without.
      case "message" -> List.of(List.of(ConfigKey.PG_URL), List.of(ConfigKey.S3_ACCESS_KEY), List.of(ConfigKey.S3_SECRET_KEY));
      case "presence" -> List.of(List.of(ConfigKey.REDIS_URL));
      default -> throw new IllegalArgumentException(service);
    };
  }

  static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError(d.getMetadata().getName() + ": expected one container, found " + containers.size());
    }
    return containers.get(0);
  }

  /** Runs the service as a cluster member: --cluster --services SERVICE, pod IP as cluster host, Kubernetes discovery. */
  static List<String> clusterMembership(Rendered r, String service) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    Container c = container(d);
    String where = d.getMetadata().getName();
    List<String> command = new ArrayList<>(c.getCommand());
    command.addAll(c.getArgs());
    if (!command.contains("--cluster")) {
      out.add(where + ": no --cluster argument");
    }
    int i = command.indexOf("--services");
    if (i < 0 || i + 1 >= command.size() || !command.get(i + 1).equals(service)) {
      out.add(where + ": does not run exactly --services " + service + " (args " + command + ")");
    }
    ContainerEnv env = ContainerEnv.of(r, c);
    for (ConfigKey key : List.of(ConfigKey.CLUSTER_HOST, ConfigKey.CLUSTER_PUBLIC_HOST)) {
      ContainerEnv.Source s = env.vars.get(key.env());
      if (s == null || !"status.podIP".equals(s.fieldPath())) {
        out.add(where + ": " + key.env() + " is not the pod IP (downward API status.podIP)");
      }
    }
    if (!"true".equals(env.effective(ConfigKey.CLUSTER_KUBERNETES))) {
      out.add(where + ": " + ConfigKey.CLUSTER_KUBERNETES.env() + " is not true");
    }
    int clusterPort = Integer.parseInt(env.effective(ConfigKey.CLUSTER_PORT));
    if (port(c, "hazelcast").orElse(-1) != clusterPort) {
      out.add(where + ": no container port named hazelcast with CLUSTER_PORT " + clusterPort);
    }
    // Any free port (0) could not be admitted by a NetworkPolicy.
    int busPort = Integer.parseInt(env.effective(ConfigKey.CLUSTER_BUS_PORT));
    if (busPort == 0 || port(c, "eventbus").orElse(-1) != busPort) {
      out.add(where + ": CLUSTER_BUS_PORT " + busPort + " is not fixed to the container port named eventbus");
    }
    return out;
  }

  /** The three files of the cluster's TLS material, keys of one Secret mounted read-only, the key not readable by others. */
  static List<String> clusterTls(Rendered r, String service) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    Container c = container(d);
    String where = d.getMetadata().getName();
    ContainerEnv env = ContainerEnv.of(r, c);
    Set<String> secrets = new HashSet<>();
    for (ConfigKey key : List.of(ConfigKey.CLUSTER_TLS_CA, ConfigKey.CLUSTER_TLS_CERT, ConfigKey.CLUSTER_TLS_KEY)) {
      String path = env.effective(key);
      if (path.isBlank()) {
        out.add(where + ": " + key.env() + " is not set (a clustered process refuses to start without it)");
        continue;
      }
      Optional<VolumeMount> mount = c.getVolumeMounts().stream()
          .filter(m -> path.startsWith(m.getMountPath().replaceAll("/$", "") + "/")).findFirst();
      Optional<Volume> volume = mount.flatMap(m -> d.getSpec().getTemplate().getSpec().getVolumes().stream()
          .filter(v -> v.getName().equals(m.getName())).findFirst());
      if (volume.isEmpty() || volume.get().getSecret() == null) {
        out.add(where + ": " + key.env() + " " + path + " is not in a mounted Secret");
        continue;
      }
      SecretVolumeSource source = volume.get().getSecret();
      String file = path.substring(mount.get().getMountPath().replaceAll("/$", "").length() + 1);
      String secretKey = source.getItems() == null || source.getItems().isEmpty() ? file
          : source.getItems().stream().filter(i -> i.getPath().equals(file)).map(KeyToPath::getKey)
              .findFirst().orElse(null);
      secrets.add(source.getSecretName());
      if (secretKey == null || r.secretValue(source.getSecretName(), secretKey).isEmpty()) {
        out.add(where + ": " + key.env() + " reads " + file + ", which Secret " + source.getSecretName() + " does not have");
      }
      if (!Boolean.TRUE.equals(mount.get().getReadOnly())) {
        out.add(where + ": the cluster TLS mount " + mount.get().getMountPath() + " is not read-only");
      }
      if (key == ConfigKey.CLUSTER_TLS_KEY && (source.getDefaultMode() == null || (source.getDefaultMode() & 0007) != 0)) {
        out.add(where + ": the member's key is readable by other users (defaultMode " + source.getDefaultMode() + ")");
      }
    }
    if (secrets.size() > 1) {
      out.add(where + ": the cluster TLS files come from several Secrets " + secrets + "; rotate them as one");
    }
    return out;
  }

  /** Liveness on /health, readiness on /ready, a startup probe, all on the port the service serves them on. */
  static List<String> probes(Rendered r, String service) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    Container c = container(d);
    int opsPort = Integer.parseInt(ContainerEnv.of(r, c).effective(opsPortKey(service)));
    String where = d.getMetadata().getName();
    checkProbe(out, where + " liveness", c, c.getLivenessProbe(), "/health", opsPort);
    checkProbe(out, where + " readiness", c, c.getReadinessProbe(), "/ready", opsPort);
    checkProbe(out, where + " startup", c, c.getStartupProbe(), "/health", opsPort);
    return out;
  }

  private static void checkProbe(List<String> out, String where, Container c, Probe probe, String path, int port) {
    if (probe == null || probe.getHttpGet() == null) {
      out.add(where + ": no HTTP probe");
      return;
    }
    if (!path.equals(probe.getHttpGet().getPath())) {
      out.add(where + ": probes " + probe.getHttpGet().getPath() + ", expected " + path);
    }
    OptionalInt actual = resolvePort(c, probe.getHttpGet().getPort());
    if (actual.isEmpty() || actual.getAsInt() != port) {
      out.add(where + ": probes port " + probe.getHttpGet().getPort() + ", but the service listens on " + port);
    }
  }

  /** CPU and memory requests and limits; memory request = limit; the heap a share of the limit. */
  static List<String> resources(Rendered r, String service) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    Container c = container(d);
    String where = d.getMetadata().getName();
    ResourceRequirements res = c.getResources();
    for (String kind : List.of("cpu", "memory")) {
      Quantity request = res == null ? null : res.getRequests().get(kind);
      Quantity limit = res == null ? null : res.getLimits().get(kind);
      if (request == null || limit == null) {
        out.add(where + ": no " + kind + " request and limit");
      } else if (request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
        out.add(where + ": " + kind + " request " + request + " above the limit " + limit);
      } else if (kind.equals("memory") && request.getNumericalAmount().compareTo(limit.getNumericalAmount()) != 0) {
        out.add(where + ": memory request " + request + " differs from the limit " + limit
            + " (the JVM sizes its heap from the limit; the node may not have it)");
      }
    }
    String jvm = ContainerEnv.of(r, c).value("JDK_JAVA_OPTIONS").orElse("");
    Matcher m = MAX_RAM_PERCENTAGE.matcher(jvm);
    if (!m.find()) {
      out.add(where + ": JDK_JAVA_OPTIONS does not size the heap with -XX:MaxRAMPercentage");
    } else if (Double.parseDouble(m.group(1)) > 75) {
      out.add(where + ": -XX:MaxRAMPercentage=" + m.group(1) + " leaves too little for direct buffers and metaspace");
    }
    return out;
  }

  /**
   * The kubelet waits terminationGracePeriodSeconds from the start of preStop before SIGKILL. The
   * launcher's graceful stop waits up to SHUTDOWN_GRACE_MS for the services to undeploy and up to
   * SHUTDOWN_GRACE_MS again to close Vert.x and leave the cluster; the period must cover all three.
   */
  static List<String> shutdown(Rendered r, String service) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = container(d);
    String where = d.getMetadata().getName();
    long graceMs = Long.parseLong(ContainerEnv.of(r, c).effective(ConfigKey.SHUTDOWN_GRACE_MS));
    OptionalInt preStop = preStopSleepSeconds(c.getLifecycle());
    if (preStop.isEmpty()) {
      out.add(where + ": no preStop sleep (endpoints would still route to a stopping pod)");
    }
    long needed = preStop.orElse(0) + 2 * ((graceMs + 999) / 1000);
    Long period = pod.getTerminationGracePeriodSeconds();
    if (period == null || period <= needed) {
      out.add(where + ": terminationGracePeriodSeconds " + period + " must exceed preStop " + preStop.orElse(0)
          + " s + 2 x SHUTDOWN_GRACE_MS " + graceMs + " ms = " + needed + " s");
    }
    if (d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null
        || !Integer.valueOf(0).equals(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())) {
      out.add(where + ": rolling updates must keep every pod until its replacement is ready (maxUnavailable 0)");
    }
    return out;
  }

  static OptionalInt preStopSleepSeconds(Lifecycle lifecycle) {
    if (lifecycle == null || lifecycle.getPreStop() == null) {
      return OptionalInt.empty();
    }
    var preStop = lifecycle.getPreStop();
    if (preStop.getSleep() != null && preStop.getSleep().getSeconds() != null) {
      return OptionalInt.of(preStop.getSleep().getSeconds().intValue());
    }
    if (preStop.getExec() != null) {
      List<String> cmd = preStop.getExec().getCommand();
      if (cmd.size() == 2 && cmd.get(0).equals("sleep") && cmd.get(1).matches("\\d+")) {
        return OptionalInt.of(Integer.parseInt(cmd.get(1)));
      }
    }
    return OptionalInt.empty();
  }

  /** Every variable is a configuration key (or read by the JVM or logging); references resolve; required secrets come from a Secret. */
  static List<String> environment(Rendered r, String service, java.util.Set<String> configVariables) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    String where = d.getMetadata().getName();
    ContainerEnv env = ContainerEnv.of(r, container(d));
    out.addAll(env.unresolved);
    for (String name : env.vars.keySet()) {
      if (!configVariables.contains(name) && !NON_CONFIG_VARIABLES.containsKey(name)) {
        out.add(where + ": " + name + " is not in the configuration table (ConfigKey) nor read by the JVM or logging");
      }
    }
    for (List<ConfigKey> oneOf : requiredSecrets(service)) {
      boolean fromSecret = oneOf.stream().map(k -> env.vars.get(k.env()))
          .anyMatch(s -> s != null && s.fromSecret());
      if (!fromSecret) {
        out.add(where + ": none of " + oneOf.stream().map(ConfigKey::env).toList() + " comes from a Secret");
      }
    }
    return out;
  }

  /** Prometheus scrape annotations that point at the port and path serving /metrics. */
  static List<String> scraping(Rendered r, String service) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    String where = d.getMetadata().getName();
    Map<String, String> a = Optional.ofNullable(d.getSpec().getTemplate().getMetadata().getAnnotations()).orElse(Map.of());
    String opsPort = ContainerEnv.of(r, container(d)).effective(opsPortKey(service));
    if (!"true".equals(a.get("prometheus.io/scrape"))) {
      out.add(where + ": no prometheus.io/scrape: \"true\"");
    }
    if (!opsPort.equals(a.get("prometheus.io/port"))) {
      out.add(where + ": prometheus.io/port " + a.get("prometheus.io/port") + ", but /metrics is on " + opsPort);
    }
    if (!"/metrics".equals(a.get("prometheus.io/path"))) {
      out.add(where + ": prometheus.io/path is not /metrics");
    }
    return out;
  }

  /** Not root, no privilege escalation, read-only root filesystem, no service-link variables. */
  static List<String> hardening(Rendered r, String service) {
    List<String> out = new ArrayList<>();
    Deployment d = r.deployment(service);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = container(d);
    String where = d.getMetadata().getName();
    if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
      out.add(where + ": runAsNonRoot is not set");
    }
    var sc = c.getSecurityContext();
    if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())
        || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
      out.add(where + ": the container may escalate privileges or write its root filesystem");
    }
    if (!Boolean.FALSE.equals(pod.getEnableServiceLinks())) {
      out.add(where + ": enableServiceLinks is not false (a service named like a key, e.g. cluster, would set CLUSTER_PORT)");
    }
    return out;
  }

  static OptionalInt port(Container c, String name) {
    return c.getPorts().stream().filter(p -> name.equals(p.getName()))
        .mapToInt(ContainerPort::getContainerPort).findFirst();
  }

  static OptionalInt resolvePort(Container c, IntOrString port) {
    if (port == null) {
      return OptionalInt.empty();
    }
    if (port.getIntVal() != null) {
      return OptionalInt.of(port.getIntVal());
    }
    return port(c, port.getStrVal());
  }

  static List<String> all(Rendered r, String service, java.util.Set<String> configVariables) {
    List<String> out = new ArrayList<>();
    out.addAll(clusterMembership(r, service));
    out.addAll(clusterTls(r, service));
    out.addAll(probes(r, service));
    out.addAll(resources(r, service));
    out.addAll(shutdown(r, service));
    out.addAll(environment(r, service, configVariables));
    out.addAll(scraping(r, service));
    out.addAll(hardening(r, service));
    return out;
  }
}
