package io.switchboard.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar switchboard.jar [--config FILE] [--cluster] [--services gateway,message,presence] [--exit-when-ready]}.
 * Without options it runs every service in one JVM, on embedded Postgres and Redis when none is
 * configured. Stops cleanly on SIGTERM.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "switchboard 0.1.0",
    description = "Realtime chat backend: Socket.IO gateway, message-service, presence-service.")
public final class Main implements Callable<Integer> {

  @Option(names = "--config", description = "YAML configuration file (also SWITCHBOARD_CONFIG)")
  String configFile;

  @Option(names = "--cluster", description = "Join a Hazelcast cluster (also SWITCHBOARD_CLUSTER=true)")
  boolean cluster;

  @Option(names = "--services", split = ",",
      description = "Services to run here: gateway, message, presence (also SWITCHBOARD_SERVICES)")
  java.util.List<String> services;

  // The training run of a JDK AOT cache (-XX:AOTCacheOutput, JDK 25): the JVM writes the cache at
  // its exit, with the classes loaded and the methods profiled up to then, which are the start and
  // the warm-ups' connections and joins: what a fresh process meets first (docs/operations.md).
  @Option(names = "--exit-when-ready",
      description = "Start, run the warm-ups, then stop and exit 0: the training run of an AOT cache")
  boolean exitWhenReady;

  @Option(names = "--generate-vapid-keys",
      description = "Print a new VAPID key pair for Web Push (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY) and exit")
  boolean generateVapidKeys;

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    Main main = new Main();
    int code = new CommandLine(main).execute(args);
    if (code != 0 || main.exitWhenReady) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    if (generateVapidKeys) {
      String[] keys = io.switchboard.message.webhooks.PushSettings.generate();
      System.out.println("VAPID_PUBLIC_KEY=" + keys[0]);
      System.out.println("VAPID_PRIVATE_KEY=" + keys[1]);
      exitWhenReady = true;
      return 0;
    }
    String file = configFile != null ? configFile : System.getenv(io.switchboard.common.config.ConfigLoader.CONFIG_FILE_ENV);
    try {
      Switchboard app = Switchboard.start(file, cluster, services);
      if (exitWhenReady) {
        app.stopAndWait();
        return 0;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(app::stopAndWait, "switchboard-shutdown"));
      return 0;
    } catch (RuntimeException e) {
      System.err.println("switchboard: failed to start: " + e.getMessage());
      return 1;
    }
  }
}
