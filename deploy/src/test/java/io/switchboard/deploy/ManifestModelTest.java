package io.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Rendered manifests fit the Kubernetes model")
class ManifestModelTest {

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("every object of an overlay is a known kind with no field the model does not know")
  void overlaysAreStrictlyValid(String overlay) {
    Rendered r = Rendered.overlay(overlay);
    List<String> problems = new ArrayList<>();
    r.objects.forEach(o -> problems.addAll(StrictModel.problems(o)));
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("prod with the connections autoscaling component is strictly valid too")
  void componentIsStrictlyValid() {
    Rendered r = Rendered.overlay("prod", "gateway-connections-hpa");
    List<String> problems = new ArrayList<>();
    r.objects.forEach(o -> problems.addAll(StrictModel.problems(o)));
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("each overlay renders the objects an operator expects, all in the namespace it creates")
  void expectedObjects(String overlay) {
    Rendered r = Rendered.overlay(overlay);
    List<String> kinds = r.objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    for (String expected : List.of("Namespace/", "ServiceAccount/switchboard", "Role/switchboard-hazelcast-discovery",
        "RoleBinding/switchboard-hazelcast-discovery", "Service/switchboard-hazelcast", "Service/switchboard-gateway",
        "Service/switchboard-postgres", "Service/switchboard-redis", "Deployment/switchboard-gateway",
        "Deployment/switchboard-message", "Deployment/switchboard-presence", "ConfigMap/switchboard-config-",
        "Secret/switchboard-secrets-", "PodDisruptionBudget/switchboard-gateway")) {
      assertTrue(kinds.stream().anyMatch(k -> k.startsWith(expected)), overlay + " lacks " + expected + ": " + kinds);
    }
    assertEquals(List.of(), ClusterChecks.namespaces(r));
  }

  @Test
  @DisplayName("a misspelt field is reported with its path")
  void misspeltFieldIsReported() {
    Rendered r = Rendered.parse("fixture", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: c
                  image: i
                  livenesProbe: {httpGet: {path: /health, port: 3000}}
        """);
    HasMetadata d = r.objects.get(0);
    List<String> problems = StrictModel.problems(d);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("containers[0]") && problems.get(0).contains("livenesProbe"), problems.get(0));
  }

  @Test
  @DisplayName("a kind the model does not know is reported")
  void unknownKindIsReported() {
    Rendered r = Rendered.parse("fixture", """
        apiVersion: example.com/v1
        kind: Gadget
        metadata: {name: g}
        """);
    assertEquals(List.of("Gadget/g: unknown kind example.com/v1 Gadget"), StrictModel.problems(r.objects.get(0)));
  }

  @Test
  @DisplayName("a value of the wrong type does not deserialize")
  void wrongTypeFails() {
    assertThrows(AssertionError.class, () -> Rendered.parse("fixture", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          replicas: three
        """));
  }
}
