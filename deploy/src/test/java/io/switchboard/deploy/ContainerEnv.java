package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.switchboard.common.config.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a container starts with, resolved against the rendered ConfigMaps and Secrets the
 * way the kubelet does: {@code envFrom} first, then {@code env}, later entries winning. References
 * that do not resolve (a missing ConfigMap, Secret or key) are collected as problems, since the pod
 * would not start.
 */
final class ContainerEnv {
  /** Where one variable comes from: a literal or ConfigMap value, a Secret key, or a pod field. */
  record Source(String value, String secret, String fieldPath) {
    boolean fromSecret() {
      return secret != null;
    }
  }

  final Map<String, Source> vars = new LinkedHashMap<>();
  final List<String> unresolved = new ArrayList<>();

  static ContainerEnv of(Rendered r, Container c) {
    ContainerEnv env = new ContainerEnv();
    String where = r.name + " container " + c.getName();
    for (EnvFromSource from : c.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        Optional<ConfigMap> cm = r.find(ConfigMap.class, name);
        if (cm.isEmpty()) {
          env.unresolved.add(where + ": envFrom ConfigMap " + name + " does not exist");
        } else if (cm.get().getData() != null) {
          cm.get().getData().forEach((k, v) -> env.vars.put(k, new Source(v, null, null)));
        }
      }
      if (from.getSecretRef() != null) {
        String name = from.getSecretRef().getName();
        Optional<Secret> secret = r.find(Secret.class, name);
        if (secret.isEmpty()) {
          env.unresolved.add(where + ": envFrom Secret " + name + " does not exist");
        } else if (secret.get().getData() != null) {
          secret.get().getData().keySet().forEach(k -> env.vars.put(k, new Source(null, name, null)));
        }
      }
    }
    for (EnvVar var : c.getEnv()) {
      env.vars.put(var.getName(), env.resolve(r, where, var));
    }
    return env;
  }

  private Source resolve(Rendered r, String where, EnvVar var) {
    EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return new Source(var.getValue() == null ? "" : var.getValue(), null, null);
    }
    if (from.getFieldRef() != null) {
      return new Source(null, null, from.getFieldRef().getFieldPath());
    }
    if (from.getSecretKeyRef() != null) {
      String secret = from.getSecretKeyRef().getName();
      String key = from.getSecretKeyRef().getKey();
      boolean optional = Boolean.TRUE.equals(from.getSecretKeyRef().getOptional());
      if (!optional && r.secretValue(secret, key).isEmpty()) {
        unresolved.add(where + ": " + var.getName() + " reads key " + key + " of Secret " + secret + ", which is missing");
      }
      return new Source(null, secret, null);
    }
    if (from.getConfigMapKeyRef() != null) {
      String cm = from.getConfigMapKeyRef().getName();
      String key = from.getConfigMapKeyRef().getKey();
      Optional<String> value = r.configValue(cm, key);
      if (value.isEmpty()) {
        unresolved.add(where + ": " + var.getName() + " reads key " + key + " of ConfigMap " + cm + ", which is missing");
      }
      return new Source(value.orElse(null), null, null);
    }
    unresolved.add(where + ": " + var.getName() + " has a valueFrom these checks do not know");
    return new Source(null, null, null);
  }

  /** A literal or ConfigMap value; empty for secrets and pod fields. */
  Optional<String> value(String name) {
    return Optional.ofNullable(vars.get(name)).map(Source::value);
  }

  /** The value the service will see for a configuration key: the environment's, else the key's default. */
  String effective(ConfigKey key) {
    return value(key.env()).orElse(key.defaultValue());
  }
}
