package io.switchboard.embedded;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible server for tests: Adobe's S3Mock, its executable jar (copied to
 * {@code target/s3mock.jar} by the module's build, or named by the system property
 * {@code switchboard.s3mock.jar}) run as a separate {@code java -jar} process on free ports of
 * 127.0.0.1, with one bucket; one per JVM, stopped at exit. Blocking: never on an event loop.
 */
public final class S3MockServer {
  private static final Logger LOG = LoggerFactory.getLogger(S3MockServer.class);
  public static final String BUCKET = "attachments";
  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key";
  private static final Await STARTING = new Await("s3mock", 90_000, 200);
  private static S3MockServer shared;

  private final Process process;
  private final int port;

  private S3MockServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The JVM's server, started on first use (about 10 s). */
  public static synchronized S3MockServer shared() throws IOException {
    if (shared == null || !shared.process.isAlive()) {
      shared = start();
    }
    return shared;
  }

  private static S3MockServer start() throws IOException {
    Path jar = Path.of(System.getProperty("switchboard.s3mock.jar", "target/s3mock.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no S3Mock jar at " + jar.toAbsolutePath() + ": build the module with Maven (it copies it)");
    }
    int http = Ports.free();
    int https = Ports.free();
    Path root = Files.createTempDirectory("s3mock");
    Path log = root.resolveSibling(root.getFileName() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString(),
        "--http.port=" + http, "--server.port=" + https, "--server.address=127.0.0.1",
        "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
        "--com.adobe.testing.s3mock.store.root=" + root, "--spring.main.banner-mode=off")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    S3MockServer server = new S3MockServer(process, http);
    // Polled: the process has no readiness callback.
    STARTING.ready(process, server::ready, notStarted -> {
      process.destroy();
      return new IOException("S3Mock did not start; its log: " + log);
    });
    LOG.info("s3mock: listening on {}", server.endpoint());
    return server;
  }

  private boolean ready() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/" + BUCKET).toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int status = c.getResponseCode();
      c.disconnect();
      return status == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }
}
