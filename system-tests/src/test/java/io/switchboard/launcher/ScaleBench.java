package io.switchboard.launcher;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Delivery latency and throughput with 1, 2, 3 gateway processes (one message-service, or
 * {@code -DmessageServices=N}; one presence-service): the benchmark beside the resilience tests, not
 * one of them. For each gateway count it starts a {@link ScaleCluster} and runs a load generator
 * against every gateway directly, then stops the cluster. Results: docs/benchmarks.md, "Delivery across gateway processes".
 *
 * <ul>
 *   <li>Default generator: {@code bench-fanout.mjs} (official Node client) at each offered rate of
 *       the second argument, options as JSON in the third; prints one {@code BENCH} JSON line per
 *       run, latency split by same or other gateway.
 *   <li>With {@code -Dloadtest.jar=loadtest/target/loadtest.jar}: the {@code loadtest} module's
 *       {@code fanout} scenario, its rates stepped through the second argument, rooms and members
 *       from {@code -Drooms} and {@code -Dmembers}; results in {@code -Dout} (a directory), one {@code fanout-<gateways>gw-run<i>} per run; steps and
 *       warm-up from {@code -DstepSeconds}, {@code -DwarmupSeconds}, {@code -DwarmupRate}; the generator's JVM
 *       options from {@code -Dloadtest.jvm} (default {@code -Xmx3g -XX:+UseParallelGC}, as in run-all.sh); the
 *       gateways' {@code WARMUP_CONNECTIONS} from {@code -DwarmupConnections} (default 5000, as k8s/base's
 *       pods and run-all.sh; 0 for gateways that meet their first clients uncompiled). A gateway
 *       count may repeat ({@code 1,3,1,3}) to interleave configurations on a noisy machine.
 * </ul>
 *
 * <p>Run after {@code mvn -q -DskipTests package} and {@code mvn -q -pl system-tests -am test-compile}
 * (and {@code npm ci} in system-tests/src/test/js), from the repository root:
 * <pre>
 * java -cp system-tests/target/test-classes:launcher/target/switchboard.jar \
 *   -Dswitchboard.jar=$PWD/launcher/target/switchboard.jar -Dswitchboard.e2e.js=$PWD/system-tests/src/test/js \
 *   io.switchboard.launcher.ScaleBench 1,2,3 100,300,600 '{"clients":60,"roomSize":10,"seconds":15}'
 * </pre>
 */
public final class ScaleBench {
  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> gateways = ints(args.length > 0 ? args[0] : "1,2,3");
    String rates = args.length > 1 ? args[1] : "100,300";
    JsonObject options = new JsonObject(args.length > 2 ? args[2] : "{}");
    String loadtest = System.getProperty("loadtest.jar");
    for (int run = 1; run <= gateways.size(); run++) {
      int count = gateways.get(run - 1);
      // The clients' rate limits out of the way: the benchmark offers more than one user may send.
      try (ScaleCluster cluster = ScaleCluster.start(count, Integer.getInteger("messageServices", 1), 1,
          Map.of("RATE_MESSAGES", "1000:1000", "RATE_USER_MESSAGES", "1000:1000", "WARMUP_CONNECTIONS",
          System.getProperty("warmupConnections", "5000")))) {
        if (loadtest != null) {
          runLoadtest(loadtest, cluster.gatewayUrls(), rates, Path.of(System.getProperty("out", "scale-bench"))
              .resolve("fanout-" + count + "gw-run" + run));
        } else {
          for (int rate : ints(rates)) {
            JsonObject result = NodeScript.run("bench-fanout.mjs", 300_000, String.join(",", cluster.gatewayUrls()),
                ScaleCluster.JWT_SECRET, options.copy().put("rate", rate).encode());
            System.out.println("BENCH " + result.put("reorder", reordering(cluster)).encode());
          }
        }
      }
    }
    System.exit(0);
  }

  private static void runLoadtest(String jar, List<String> urls, String rates, Path out) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    Arrays.stream(System.getProperty("loadtest.jvm", "-Xmx3g -XX:+UseParallelGC").trim().split("\\s+"))
        .filter(option -> !option.isEmpty()).forEach(command::add);
    command.addAll(List.of("-jar", jar, "fanout", "--target", "switchboard", "--jwt-secret", ScaleCluster.JWT_SECRET,
        "--rooms", System.getProperty("rooms", "100"), "--members", System.getProperty("members", "10"),
        "--rates", rates, "--step-seconds", System.getProperty("stepSeconds", "10"),
        "--warmup-seconds", System.getProperty("warmupSeconds", "5"), "--warmup-rate", System.getProperty("warmupRate", "100"),
        "--stop-p99-ms", "10000", "--quiet", "--out", out.toAbsolutePath().toString()));
    urls.forEach(url -> command.addAll(List.of("--url", url)));
    Process generator = new ProcessBuilder(command).inheritIO().start();
    if (!generator.waitFor(900, TimeUnit.SECONDS)) {
      generator.destroyForcibly();
      throw new AssertionError("loadtest did not finish");
    }
  }

  /** What the gateways' reorder stages did since the cluster started, summed over the gateways. */
  private static JsonObject reordering(ScaleCluster cluster) {
    double held = 0;
    double gaps = 0;
    for (String gateway : cluster.names(ScaleCluster.Role.GATEWAY)) {
      held += cluster.metric(gateway, "switchboard_gateway_reorder_held_total");
      gaps += cluster.metric(gateway, "switchboard_gateway_reorder_gaps_total");
    }
    return new JsonObject().put("held", (long) held).put("gapsGivenUp", (long) gaps);
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }
}
