package io.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One kustomization as an operator would apply it: rendered by {@code kubectl kustomize} from a copy
 * of {@code k8s/} and read into fabric8's typed Kubernetes model. The copy leaves out any real
 * {@code secrets.env} and puts each {@code secrets.env.example} in its place, and leaves out any real
 * {@code cluster-tls/} and makes throwaway cluster TLS material in its place with
 * {@code deploy/cluster-ca.sh}, so the tests render what the repository holds and never read an
 * operator's secrets.
 */
final class Rendered {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final List<String> SERVICES = List.of("gateway", "message", "presence");
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  final String name;
  final List<HasMetadata> objects;

  private Rendered(String name, List<HasMetadata> objects) {
    this.name = name;
    this.objects = List.copyOf(objects);
  }

  /** {@code k8s/overlays/<overlay>}, with the given components of {@code k8s/components} added. */
  static Rendered overlay(String overlay, String... components) {
    String key = overlay + (components.length == 0 ? "" : "+" + String.join("+", components));
    return CACHE.computeIfAbsent(key, k -> render(k, overlay, components));
  }

  private static Rendered render(String key, String overlay, String[] components) {
    Path copy = copyOfK8s();
    try {
      Path dir = copy.resolve("overlays").resolve(overlay);
      if (components.length > 0) {
        dir = copy.resolve("overlays/test-" + overlay + "-with-components");
        StringBuilder k = new StringBuilder("resources:\n  - ../" + overlay + "\ncomponents:\n");
        for (String c : components) {
          k.append("  - ../../components/").append(c).append('\n');
        }
        write(dir.resolve("kustomization.yaml"), k.toString());
      }
      return parse(key, Kubectl.kustomize(dir));
    } finally {
      deleteTree(copy);
    }
  }

  /** Reads multi-document YAML into typed objects; a document the model cannot read fails the test. */
  static Rendered parse(String name, String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
      if (doc.isBlank()) {
        continue;
      }
      try {
        objects.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
      } catch (RuntimeException e) {
        throw new AssertionError(name + ": a rendered document does not fit the Kubernetes model: "
            + e.getMessage() + "\n" + doc, e);
      }
    }
    if (objects.isEmpty()) {
      fail(name + ": rendered no object");
    }
    return new Rendered(name, objects);
  }

  /** The same objects with one replaced (matched by kind and name): for tests that break a manifest on purpose. */
  <T extends HasMetadata> Rendered with(T original, UnaryOperator<T> change) {
    List<HasMetadata> changed = new ArrayList<>();
    for (HasMetadata o : objects) {
      changed.add(o == original ? change.apply(SERIALIZATION.clone(original)) : o);
    }
    return new Rendered(name + " (changed)", changed);
  }

  /** The same objects without one: for tests that remove a manifest on purpose. */
  Rendered without(HasMetadata removed) {
    return new Rendered(name + " (changed)", objects.stream().filter(o -> o != removed).toList());
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name).orElseThrow(() -> new AssertionError(
        this.name + ": no " + type.getSimpleName() + " named " + name + " among " + names()));
  }

  Deployment deployment(String service) {
    return get(Deployment.class, "switchboard-" + service);
  }

  Service service(String name) {
    return get(Service.class, name);
  }

  /** The namespace the overlay creates (exactly one). */
  String namespace() {
    List<Namespace> namespaces = all(Namespace.class);
    if (namespaces.size() != 1) {
      fail(name + ": expected one Namespace, found " + namespaces.size());
    }
    return namespaces.get(0).getMetadata().getName();
  }

  /** A ConfigMap's value for a key; empty when either is missing. */
  Optional<String> configValue(String configMap, String key) {
    return find(ConfigMap.class, configMap).map(ConfigMap::getData).map(d -> d.get(key));
  }

  /** A Secret's value for a key, decoded (kustomize wraps long base64 lines); empty when either is missing. */
  Optional<String> secretValue(String secret, String key) {
    return find(Secret.class, secret).flatMap(s -> {
      if (s.getStringData() != null && s.getStringData().containsKey(key)) {
        return Optional.of(s.getStringData().get(key));
      }
      return Optional.ofNullable(s.getData()).map(d -> d.get(key))
          .map(v -> new String(Base64.getDecoder().decode(v.replaceAll("\\s", "")), StandardCharsets.UTF_8));
    });
  }

  private List<String> names() {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }

  private static Path copyOfK8s() {
    Path source = Root.path().resolve("k8s");
    try {
      Path target = Files.createTempDirectory("switchboard-k8s");
      try (Stream<Path> files = Files.walk(source)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Path to = target.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else if (p.getFileName().toString().equals("secrets.env.example")) {
            Files.copy(p, to);
            Files.copy(p, to.resolveSibling("secrets.env"));
          } else if (!p.getFileName().toString().equals("secrets.env") && !generated(source.relativize(p))) {
            Files.copy(p, to);
          }
        }
      }
      try (Stream<Path> overlays = Files.list(target.resolve("overlays"))) {
        Path ca = target.resolve("test-ca");
        clusterCa("ca", ca.toString());
        for (Path overlay : overlays.toList()) {
          if (Files.exists(overlay.resolve("setup.sh"))) {
            setup(overlay);
          } else {
            clusterCa("member", ca.toString(), overlay.resolve("cluster-tls").toString());
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What an operator's machine makes and git never holds: the cluster's TLS material, a dev CA. */
  private static boolean generated(Path relative) {
    String path = relative.toString();
    return path.contains("cluster-tls") || path.contains("/.ca/") || path.endsWith("/.ca");
  }

  /** Runs an overlay's setup script in {@code overlay}, as an operator would before applying it. */
  static void setup(Path overlay) throws IOException {
    run(new ProcessBuilder("bash", overlay.resolve("setup.sh").toString()), "setup.sh");
  }

  private static void clusterCa(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", Root.path().resolve("deploy/cluster-ca.sh").toString()));
    command.addAll(List.of(args));
    run(new ProcessBuilder(command), String.join(" ", command));
  }

  private static void run(ProcessBuilder builder, String what) throws IOException {
    builder.environment().put("SWITCHBOARD_ROOT", Root.path().toString());
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(what + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
