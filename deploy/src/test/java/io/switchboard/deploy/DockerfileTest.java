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

  private static String instruction(String keyword) throws IOException {
    List<String> found = instructions().stream().filter(l -> l.startsWith(keyword + " ")).toList();
    assertEquals(1, found.size(), "expected one " + keyword + ": " + found);
    return found.get(0).substring(keyword.length() + 1).strip();
  }

  @Test
  @DisplayName("is based on a Java 17 JRE")
  void javaSeventeenJre() throws IOException {
    assertTrue(instruction("FROM").matches("eclipse-temurin:17[0-9.u_-]*-jre.*"), instruction("FROM"));
  }

  @Test
  @DisplayName("never runs in dev mode: it listens on every interface, so a missing secret must stop it, not open /dev/token")
  void notInDevMode() throws IOException {
    assertTrue(instruction("ENV").matches(".*\\bSWITCHBOARD_DEV_MODE=off\\b.*"), instruction("ENV"));
  }

  @Test
  @DisplayName("runs as the numeric non-root user the pods require")
  void nonRootUser() throws IOException {
    Matcher user = Pattern.compile("(\\d+)(:(\\d+))?").matcher(instruction("USER"));
    assertTrue(user.matches(), "USER must be numeric for runAsNonRoot to be checkable: " + instruction("USER"));
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
    String copy = instruction("COPY");
    assertTrue(copy.contains("launcher/target/switchboard.jar /app/switchboard.jar"), copy);
    String launcherPom = Files.readString(ROOT.resolve("launcher/pom.xml"));
    assertTrue(launcherPom.contains("<finalName>switchboard</finalName>"), "the launcher no longer builds switchboard.jar");
    List<String> ignore = Files.readAllLines(ROOT.resolve("deploy/Dockerfile.dockerignore")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertEquals(List.of("*", "!launcher/target/switchboard.jar"), ignore);
  }

  @Test
  @DisplayName("starts java directly (exec form), so SIGTERM reaches the JVM")
  void execFormEntrypoint() throws IOException {
    assertEquals("[\"java\", \"-jar\", \"/app/switchboard.jar\"]", instruction("ENTRYPOINT"));
  }
}
