package io.switchboard.launcher;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Cross-gateway delivery latency and throughput with 1, 2, 3 gateway processes (one message-service,
 * or {@code -DmessageServices=N}; one presence-service), measured with {@code bench-fanout.mjs}: the benchmark beside the resilience
 * tests, not one of them. For each gateway count it starts a {@link ScaleCluster}, runs the script at
 * each offered rate, prints one JSON line per run, and stops the cluster. Results:
 * docs/benchmarks-scale.md.
 *
 * <p>Run after {@code mvn -q -DskipTests package} and {@code mvn -q -pl launcher test-compile}
 * (and {@code npm ci} in launcher/src/test/js):
 * <pre>
 * java -cp launcher/target/test-classes:launcher/target/switchboard.jar \
 *   -Dswitchboard.jar=$PWD/launcher/target/switchboard.jar -Dswitchboard.e2e.js=$PWD/launcher/src/test/js \
 *   io.switchboard.launcher.ScaleBench 1,2,3 100,300 '{"clients":60,"roomSize":10,"seconds":15}'
 * </pre>
 */
public final class ScaleBench {
  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> gateways = ints(args.length > 0 ? args[0] : "1,2,3");
    List<Integer> rates = ints(args.length > 1 ? args[1] : "100,300");
    JsonObject options = new JsonObject(args.length > 2 ? args[2] : "{}");
    for (int count : gateways) {
      // The clients' rate limits out of the way: the benchmark offers more than one user may send.
      try (ScaleCluster cluster = ScaleCluster.start(count, Integer.getInteger("messageServices", 1), 1,
          Map.of("RATE_MESSAGES", "1000:1000", "RATE_USER_MESSAGES", "1000:1000"))) {
        for (int rate : rates) {
          JsonObject run = NodeScript.run("bench-fanout.mjs", 300_000, String.join(",", cluster.gatewayUrls()),
              ScaleCluster.JWT_SECRET, options.copy().put("rate", rate).encode());
          System.out.println("BENCH " + run.encode());
        }
      }
    }
    System.exit(0);
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }
}
