package io.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** deploy/Dockerfile cannot be built here (no Docker engine); these check what it must hold. */
@DisplayName("The container image")
class DockerfileTest {
  private static final Path ROOT = Root.path();

  private static List<String> instructions() throws IOException {
    // Joins continued lines and drops comments: one instruction per element.
    String text = Files.readString(ROOT.resolve("deploy/Dockerfile")).replaceAll("\\\\\\n", " ");
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  private static List<String> all(String keyword) throws IOException {
    return instructions().stream().filter(l -> l.startsWith(keyword + " "))
        .map(l -> l.substring(keyword.length() + 1).strip()).toList();
  }

  private static String instruction(String keyword) throws IOException {
    List<String> found = all(keyword);
    assertEquals(1, found.size(), "expected one " + keyword + ": " + found);
    return found.get(0);
  }

  /** The instructions of the image's last stage: what runs. */
  private static List<String> finalStage() throws IOException {
    List<String> all = instructions();
    int from = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith("FROM ")) {
        from = i;
      }
    }
    return all.subList(from, all.size());
  }

  @Test
  @DisplayName("is based on a Java 25 JRE (compact object headers, AOT cache), every stage on the same one")
  void javaTwentyFiveJre() throws IOException {
    List<String> froms = all("FROM");
    assertTrue(froms.get(0).matches("eclipse-temurin:25[0-9.u_-]*-jre AS jre"), froms.get(0));
    for (String from : froms.subList(1, froms.size())) {
      assertTrue(from.startsWith("jre"), "a later stage not on the first one's JRE: " + from);
    }
  }

  @Test
  @DisplayName("runs with the AOT cache its training stage made, with the JVM flags it was made with")
  void aotCacheOfItsOwnTraining() throws IOException {
    String training = all("RUN").stream().filter(r -> r.contains("-XX:AOTCacheOutput=")).findFirst()
        .orElseThrow(() -> new AssertionError("no training run writes an AOT cache"));
    assertTrue(training.contains("-jar /app/switchboard.jar --exit-when-ready"), training);
    assertTrue(training.contains("-XX:AOTCacheOutput=/tmp/switchboard.aot"), training);
    assertTrue(finalStage().contains(
        "COPY --from=training --chown=root:root --chmod=0444 /tmp/switchboard.aot /app/switchboard.aot"), finalStage()::toString);
    String entrypoint = instruction("ENTRYPOINT");
    assertTrue(entrypoint.contains("\"-XX:AOTCache=/app/switchboard.aot\""), entrypoint);
    for (String flag : List.of("-XX:+UseCompactObjectHeaders")) {
      assertTrue(training.contains(flag) && entrypoint.contains("\"" + flag + "\""),
          flag + " must be the same in the training run and at run time");
    }
  }

  @Test
  @DisplayName("never runs in dev mode: it listens on every interface, so a missing secret must stop it, not open /dev/token")
  void notInDevMode() throws IOException {
    assertTrue(instruction("ENV").matches(".*\\bSWITCHBOARD_DEV_MODE=off\\b.*"), instruction("ENV"));
  }

  @Test
  @DisplayName("runs as the numeric non-root user the pods require")
  void nonRootUser() throws IOException {
    List<String> users = finalStage().stream().filter(l -> l.startsWith("USER ")).map(l -> l.substring(5).strip()).toList();
    assertEquals(1, users.size(), "the image's USER: " + users);
    Matcher user = Pattern.compile("(\\d+)(:(\\d+))?").matcher(users.get(0));
    assertTrue(user.matches(), "USER must be numeric for runAsNonRoot to be checkable: " + users.get(0));
    long uid = Long.parseLong(user.group(1));
    assertTrue(uid > 0);
    for (String overlay : List.of("dev", "prod")) {
      Rendered r = Rendered.overlay(overlay);
      for (String s : Rendered.SERVICES) {
        assertEquals(uid, r.deployment(s).getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser(), overlay + " " + s);
      }
    }
  }

  @Test
  @DisplayName("copies the launcher's shaded jar, and only it is in the build context")
  void shadedJar() throws IOException {
    List<String> copies = all("COPY");
    assertTrue(copies.stream().anyMatch(c -> c.contains("launcher/target/switchboard.jar /app/switchboard.jar")), copies::toString);
    String launcherPom = Files.readString(ROOT.resolve("launcher/pom.xml"));
    assertTrue(launcherPom.contains("<finalName>switchboard</finalName>"), "the launcher no longer builds switchboard.jar");
    List<String> ignore = Files.readAllLines(ROOT.resolve("deploy/Dockerfile.dockerignore")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertEquals(List.of("*", "!launcher/target/switchboard.jar"), ignore);
  }

  @Test
  @DisplayName("starts java directly (exec form), so SIGTERM reaches the JVM")
  void execFormEntrypoint() throws IOException {
    assertTrue(instruction("ENTRYPOINT").matches("\\[\"java\", (\"-XX:[^\"]+\", )*\"-jar\", \"/app/switchboard.jar\"\\]"),
        instruction("ENTRYPOINT"));
  }
}
