package io.switchboard.sdk;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.Ports;
import io.switchboard.embedded.TempDirs;
import io.switchboard.launcher.Switchboard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The whole of Switchboard in the tests' JVM, as {@code java -jar switchboard.jar} starts it in dev
 * mode (launcher's {@link Switchboard}: embedded Postgres and Redis, gateway, message and presence
 * services on one Vert.x), on free ports, with a service token.
 */
final class RunningSwitchboard implements AutoCloseable {
  static final String SERVICE_TOKEN = "service-token-of-the-sdk-tests";

  final Switchboard app;
  final String url;

  private RunningSwitchboard(Switchboard app, String url) {
    this.app = app;
    this.url = url;
  }

  static RunningSwitchboard start() {
    try {
      // World-traversable like a user's working directory: as root, the embedded Postgres runs as nobody.
      Path dataDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-sdk",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
      int port = Ports.free();
      Config config = Config.defaults()
          .with(ConfigKey.HTTP_HOST, "127.0.0.1")
          .with(ConfigKey.HTTP_PORT, port)
          .with(ConfigKey.GATEWAY_OPS_PORT, Ports.free())
          .with(ConfigKey.MESSAGE_OPS_PORT, Ports.free())
          .with(ConfigKey.PRESENCE_OPS_PORT, Ports.free())
          .with(ConfigKey.MESSAGE_INSTANCES, 1)
          .with(ConfigKey.DATA_DIR, dataDir.toString())
          .with(ConfigKey.SERVICE_TOKEN, SERVICE_TOKEN);
      return new RunningSwitchboard(Switchboard.start(config), "http://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SwitchboardClient.Builder client() {
    return SwitchboardClient.http(url, SERVICE_TOKEN);
  }

  @Override
  public void close() {
    app.stopAndWait();
  }
}
