package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.embedded.TempDirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The container image Jib builds from the launcher (launcher/pom.xml), read from the tar the build
 * wrote on an empty base: no Docker engine or registry here, so its own layers are checked and run
 * on this machine's JDK 25 in place of the pinned Temurin 25 base.
 */
@DisplayName("The container image (Jib)")
class ImageIT {
  private static final Path DIR = Path.of(System.getProperty("switchboard.image.dir"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode config;

  @BeforeAll
  static void read() throws Exception {
    Path extracted = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-image"));
    tar(extracted, "-xf", DIR.resolve("image.tar").toString(), "manifest.json");
    String configFile = JSON.readTree(extracted.resolve("manifest.json").toFile()).get(0).get("Config").asText();
    tar(extracted, "-xf", DIR.resolve("image.tar").toString(), configFile);
    config = JSON.readTree(extracted.resolve(configFile).toFile());
  }

  @Test
  @DisplayName("is reproducible: two builds of the same sources are one digest, with fixed times in every layer and jar")
  void reproducible() throws Exception {
    String digest = Files.readString(DIR.resolve("image.digest")).strip();
    assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);
    assertEquals(digest, Files.readString(DIR.resolve("again.digest")).strip());
    assertEquals("1970-01-01T00:00:00Z", config.get("created").asText());
    // Our own modules' jars change with every build unless their entries' times are fixed too
    // (project.build.outputTimestamp): a rebuild of the same commit would push a new layer.
    Path root = rootFs();
    try (Stream<Path> libs = Files.list(root.resolve("app/libs"))) {
      List<Path> ours = libs.filter(p -> p.getFileName().toString().endsWith("-SNAPSHOT.jar")).toList();
      assertTrue(ours.size() >= 5, "the project's modules as jars of their own layer: " + ours);
      for (Path jar : ours) {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
          long distinct = file.stream().map(e -> e.getLastModifiedTime().toMillis()).distinct().count();
          assertEquals(1, distinct, jar + ": entries with different times");
        }
      }
    }
  }

  @Test
  @DisplayName("runs java itself as a numeric non-root user, never in dev mode, on a base pinned by digest")
  void runtimeConfig() {
    JsonNode c = config.get("config");
    assertEquals("10001:10001", c.get("User").asText(), "the user k8s/base's runAsUser expects");
    List<String> env = strings(c.get("Env"));
    assertTrue(env.contains("SWITCHBOARD_DEV_MODE=off"), env::toString);
    List<String> entrypoint = strings(c.get("Entrypoint"));
    assertEquals("java", entrypoint.get(0), "exec form: java is PID 1 and gets SIGTERM");
    assertEquals("io.switchboard.launcher.Main", entrypoint.get(entrypoint.size() - 1));
    assertTrue(entrypoint.contains("-XX:+UseCompactObjectHeaders"), entrypoint::toString);
    for (String port : List.of("3000/tcp", "9100/tcp", "5701/tcp", "5801/tcp")) {
      assertTrue(c.get("ExposedPorts").has(port), port);
    }
    String base = c.get("Labels").get("org.opencontainers.image.base.name").asText();
    assertTrue(base.matches("eclipse-temurin:25[0-9.u_-]*-jre@sha256:[0-9a-f]{64}"), base);
  }

  @Test
  @DisplayName("its layers hold the whole system: the entrypoint starts it, it serves the app and stops on SIGTERM")
  void layersRun() throws Exception {
    Path root = rootFs();
    Path work = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-image-run",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
    // The image's paths under /app, moved to where its layers were unpacked.
    Path classpath = work.resolve("classpath");
    Files.writeString(classpath, Files.readString(root.resolve("app/jib-classpath-file")).replace("/app/", root + "/app/"));
    List<String> entrypoint = strings(config.get("config").get("Entrypoint"));
    List<String> command = new ArrayList<>();
    command.add(java());
    for (String arg : entrypoint.subList(1, entrypoint.size())) {
      command.add(arg.equals("@/app/jib-classpath-file") ? "@" + classpath : arg);
    }
    Map<String, String> env = new HashMap<>();
    for (String entry : strings(config.get("config").get("Env"))) {
      int eq = entry.indexOf('=');
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    int port = SwitchboardProcess.freePort();
    env.putAll(Map.of("JWT_SECRET", HexFormat.of().formatHex(new SecureRandom().generateSeed(32)),
        "PORT", String.valueOf(port), "SWITCHBOARD_DATA_DIR", work.resolve("data").toString(),
        "MESSAGE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()),
        "PRESENCE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort()),
        "JDK_JAVA_OPTIONS", env.get("JDK_JAVA_OPTIONS").replace("/tmp/vertx-cache", work.resolve("vertx-cache").toString())));
    try (SwitchboardProcess app = SwitchboardProcess.run("image", work, env, command)) {
      app.awaitLog("switchboard: open", 180_000);
      String url = "http://127.0.0.1:" + port;
      assertEquals(200, get(url + "/ready").statusCode());
      HttpResponse<String> index = get(url + "/");
      assertEquals(200, index.statusCode());
      assertTrue(index.body().contains("<title>"), "the web app, from the web module's jar on the class path");
      int code = app.terminate(60_000);
      assertTrue(code == 0 || code == 143, "exit code " + code);
      assertTrue(app.output().contains("switchboard: stopped"), "the graceful shutdown ran to its end");
    }
  }

  private static Path rootFs;

  /** The image's file system: its layers unpacked in order. */
  private static synchronized Path rootFs() throws Exception {
    if (rootFs == null) {
      Path dir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-image-root"));
      Path manifests = dir.resolve("manifest");
      Files.createDirectories(manifests);
      tar(manifests, "-xf", DIR.resolve("image.tar").toString());
      Path root = dir.resolve("root");
      Files.createDirectories(root);
      for (JsonNode layer : JSON.readTree(manifests.resolve("manifest.json").toFile()).get(0).get("Layers")) {
        tar(root, "-xzf", manifests.resolve(layer.asText()).toString());
      }
      rootFs = root;
    }
    return rootFs;
  }

  /** The image's JVM is Temurin 25; this machine's, where it has one (flags such as compact headers need 24+). */
  private static String java() {
    Path jdk25 = Path.of(System.getProperty("switchboard.image.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    if (Files.isExecutable(jdk25)) {
      return jdk25.toString();
    }
    throw new AssertionError("a JDK 25 to run the image's layers with: set -Dswitchboard.image.java=/path/to/bin/java");
  }

  private static void tar(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tar", "--warning=no-unknown-keyword"));
    command.addAll(List.of(args));
    Process tar = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    assertEquals(0, tar.waitFor(), String.join(" ", command));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
