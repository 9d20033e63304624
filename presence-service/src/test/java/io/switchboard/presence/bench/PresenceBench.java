package io.switchboard.presence.bench;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceUpdate;
import io.switchboard.common.presence.PresenceUpdate.Kind;
import io.switchboard.embedded.TestServers;
import io.switchboard.presence.PresenceConfig;
import io.switchboard.presence.PresenceVerticle;
import io.switchboard.presence.RedisTarget;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Presence operations per second through a deployed presence-service (event bus, Lua scripts, Redis),
 * and what each costs Redis: requests on the wire and commands executed (from INFO commandstats,
 * which counts the commands a script calls). Not a test; bounded (about a minute):
 *
 * <pre>mvn -q -o test-compile exec:java -pl presence-service -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.switchboard.presence.bench.PresenceBench</pre>
 *
 * Gateway nodes are simulated as the real ones behave: one batch in flight per node.
 */
public final class PresenceBench {
  private static final int NODES = 4;
  private static final int CONNECTIONS = 40_000;
  private static final int ROUNDS = 3;
  private static final int ROOMS = 200;
  private static final int SINGLE_REQUESTS = 20_000;
  private static final int IN_FLIGHT = 16;
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(60_000);

  private final Vertx vertx = Vertx.vertx();
  private final Redis redis = Redis.createClient(vertx, TestServers.redisUri());
  private final List<String> rows = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    PresenceBench bench = new PresenceBench();
    try {
      bench.run();
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    BusCodecs.register(vertx);
    await(vertx.deployVerticle(new PresenceVerticle(new PresenceConfig(RedisTarget.standalone(TestServers.redisUri()), "127.0.0.1", 0, 60_000, 250, ""))));
    rows.add("| operation | batch | ops/s (median of " + ROUNDS + ") | Redis requests/op | Redis commands/op | Redis µs/op |");
    rows.add("| --- | --- | --- | --- | --- | --- |");
    for (int batch : new int[] {1, 10, 100, 1000}) {
      Map<String, List<Sample>> samples = new java.util.LinkedHashMap<>();
      for (int round = 0; round < ROUNDS; round++) {
        await(redis.send(Request.cmd(Command.FLUSHALL)));
        for (Kind kind : List.of(Kind.CONNECTED, Kind.JOINED, Kind.DISCONNECTED)) {
          samples.computeIfAbsent(kind.name().toLowerCase(), k -> new ArrayList<>())
              .add(measure(CONNECTIONS, () -> batches(batch, i -> update(kind, i))));
        }
      }
      samples.forEach((operation, list) -> row(operation, batch, list));
    }
    List<Sample> heartbeats = new ArrayList<>();
    List<Sample> admits = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      await(redis.send(Request.cmd(Command.FLUSHALL)));
      heartbeats.add(measure(SINGLE_REQUESTS, () -> singles(i -> vertx.eventBus()
          .request(Addresses.PRESENCE_HEARTBEAT, new NodeHeartbeat("node-" + (i % NODES), 60_000), OPTIONS))));
      admits.add(measure(SINGLE_REQUESTS, () -> singles(i -> vertx.eventBus()
          .request(Addresses.PRESENCE_ADMIT, new AdmitRequest("bench", "u" + i, "p" + i, 3), OPTIONS))));
    }
    row("heartbeat", 1, heartbeats);
    row("admit (device limit)", 1, admits);
    rows.forEach(System.out::println);
  }

  /** One measurement: throughput, and per operation the script calls, the commands they ran and Redis' time in them. */
  private record Sample(double opsPerSecond, double requestsPerOp, double commandsPerOp, double redisMicrosPerOp) {}

  private void row(String operation, int batch, List<Sample> samples) {
    List<Sample> sorted = samples.stream().sorted(java.util.Comparator.comparingDouble(Sample::opsPerSecond)).toList();
    Sample median = sorted.get(sorted.size() / 2);
    double micros = samples.stream().mapToDouble(Sample::redisMicrosPerOp).sorted().toArray()[samples.size() / 2];
    rows.add(String.format("| %s | %d | %,.0f | %.3f | %.1f | %.1f |", operation, batch, median.opsPerSecond(),
        median.requestsPerOp(), median.commandsPerOp(), micros));
  }

  private static PresenceUpdate update(Kind kind, int i) {
    String room = kind == Kind.JOINED ? "room" + (i % ROOMS) : null;
    return new PresenceUpdate(kind, "c" + i, "bench", "user" + (i / 2), room, System.currentTimeMillis());
  }

  private Sample measure(int ops, java.util.function.Supplier<Future<?>> work) {
    Map<String, long[]> before = commandStats();
    long start = System.nanoTime();
    await(work.get());
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, long[]> after = commandStats();
    long requests = 0;
    long commands = 0;
    long scriptMicros = 0;
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] was = before.getOrDefault(e.getKey(), new long[2]);
      long calls = e.getValue()[0] - was[0];
      if (e.getKey().equals("evalsha") || e.getKey().equals("eval")) {
        requests += calls;
        scriptMicros += e.getValue()[1] - was[1];
      } else if (!e.getKey().equals("info")) {
        commands += calls;
      }
    }
    return new Sample(ops / seconds, (double) requests / ops, (double) commands / ops, (double) scriptMicros / ops);
  }

  /** Every connection's update once, spread over the nodes, each node with one batch in flight. */
  private Future<?> batches(int size, IntFunction<PresenceUpdate> update) {
    List<Future<?>> nodes = new ArrayList<>();
    int perNode = CONNECTIONS / NODES;
    for (int n = 0; n < NODES; n++) {
      nodes.add(node("node-" + n, n * perNode, (n + 1) * perNode, size, update));
    }
    return Future.all(nodes);
  }

  private final Map<String, Long> seqs = new java.util.concurrent.ConcurrentHashMap<>();

  /** One node: its batches one after the other, each sent when the previous one is answered. */
  private Future<?> node(String node, int from, int to, int size, IntFunction<PresenceUpdate> update) {
    Promise<Void> done = Promise.promise();
    sendFrom(node, from, to, size, update, done);
    return done.future();
  }

  private void sendFrom(String node, int from, int to, int size, IntFunction<PresenceUpdate> update, Promise<Void> done) {
    if (from >= to) {
      done.complete();
      return;
    }
    List<PresenceUpdate> updates = new ArrayList<>(size);
    for (int i = from; i < Math.min(to, from + size); i++) {
      updates.add(update.apply(i));
    }
    long seq = seqs.merge(node, 1L, Long::sum);
    vertx.eventBus().request(Addresses.PRESENCE_UPDATE, new PresenceBatch(node, seq, 60_000, null, false, updates), OPTIONS)
        .onComplete(ar -> {
          if (ar.failed()) {
            done.fail(ar.cause());
          } else {
            sendFrom(node, from + size, to, size, update, done);
          }
        });
  }

  /** Requests with a fixed number in flight. */
  private Future<?> singles(IntFunction<Future<?>> request) {
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    int[] finished = {0};
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next[0]++;
      request.apply(i).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
        } else if (++finished[0] == SINGLE_REQUESTS) {
          done.tryComplete();
        } else if (next[0] < SINGLE_REQUESTS) {
          launch[0].run();
        }
      });
    };
    vertx.runOnContext(v -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        launch[0].run();
      }
    });
    return done.future();
  }

  /** Per command: calls and microseconds (a script's time includes the commands it calls). */
  private Map<String, long[]> commandStats() {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    Map<String, long[]> stats = new HashMap<>();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        stats.put(name, new long[] {field(line, "calls="), field(line, "usec=")});
      }
    }
    return stats;
  }

  private static long field(String line, String name) {
    String rest = line.substring(line.indexOf(name) + name.length());
    return Long.parseLong(rest.substring(0, rest.indexOf(',')));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
