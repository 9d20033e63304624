package io.switchboard.loadtest.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What the load generator can see of the server and the machine without an agent: resident memory
 * and CPU time of the server process (from {@code /proc/PID}), the server's {@code /socket-metrics}
 * JSON when it has one, its JVM heap from a Prometheus {@code /metrics} scrape when asked, the load
 * generator's own CPU and the machine's CPU. All reads are asynchronous; a missing source is left out.
 */
public final class ServerProbe {
  private final Vertx vertx;
  private final Integer pid;
  private final String socketMetricsUrl;
  private final String prometheusUrl;
  private final HttpClient http;
  private final boolean gcFirst;
  private final Map<String, Integer> watched;
  private final List<Integer> wirePorts;
  private double lastServerCpu = -1;
  private double lastSelfCpu = -1;
  private long[] lastMachine;
  private long lastNanos;

  /**
   * {@code gcFirst}: before each memory reading, ask the server JVM for a full GC with
   * {@code jcmd PID GC.run}, so that its heap figure is live data rather than garbage. {@code watched}:
   * the named process trees of {@link #processCpu()}. {@code wirePorts}: the server ports whose
   * connections {@link #wireBytes()} counts (empty: none).
   */
  public ServerProbe(Vertx vertx, Integer pid, String socketMetricsUrl, String prometheusUrl, boolean gcFirst,
      Map<String, Integer> watched, List<Integer> wirePorts) {
    this.vertx = vertx;
    this.wirePorts = List.copyOf(wirePorts);
    this.watched = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(watched));
    this.gcFirst = gcFirst && pid != null;
    this.pid = pid;
    this.socketMetricsUrl = socketMetricsUrl;
    this.prometheusUrl = prometheusUrl;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout(5));
  }

  /**
   * Memory now: {@code rssBytes} of the server process, {@code heapUsedBytes} from Prometheus, and the
   * raw {@code socketMetrics} JSON (the reference server reports {@code memory.rss} there).
   */
  public Future<JsonObject> memory() {
    return gcFirst ? gc().transform(r -> read()) : read();
  }

  private Future<JsonObject> read() {
    JsonObject out = new JsonObject();
    Future<?> rss = pid == null ? Future.succeededFuture() : read("/proc/" + pid + "/status")
        .onSuccess(text -> out.put("rssBytes", ProcStat.rssBytes(text)));
    Future<?> socketMetrics = socketMetricsUrl == null ? Future.succeededFuture() : get(socketMetricsUrl)
        .map(body -> new JsonObject(body)).onSuccess(json -> out.put("socketMetrics", json));
    Future<?> heap = prometheusUrl == null ? Future.succeededFuture() : get(prometheusUrl)
        .onSuccess(text -> {
          long used = ProcStat.prometheusHeapUsed(text);
          if (used >= 0) {
            out.put("heapUsedBytes", used);
          }
        });
    return Future.join(List.of(rss, socketMetrics, heap)).transform(ignored -> Future.succeededFuture(out));
  }

  /**
   * CPU since the previous call, in percent of one core: {@code serverCpu}, {@code generatorCpu},
   * {@code machineCpu} (percent of all cores), and the server's {@code serverRssMb}.
   */
  public Future<JsonObject> cpu() {
    JsonObject out = new JsonObject();
    long now = System.nanoTime();
    double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
    lastNanos = now;
    Future<?> server = pid == null ? Future.succeededFuture() : read("/proc/" + pid + "/stat").onSuccess(text -> {
      double cpu = ProcStat.cpuSeconds(text);
      if (lastServerCpu >= 0 && seconds > 0) {
        out.put("serverCpu", Math.round((cpu - lastServerCpu) / seconds * 100));
      }
      lastServerCpu = cpu;
    });
    Future<?> rss = pid == null ? Future.succeededFuture() : read("/proc/" + pid + "/status")
        .onSuccess(text -> out.put("serverRssMb", ProcStat.rssBytes(text) / (1024 * 1024)));
    Future<?> self = read("/proc/self/stat").onSuccess(text -> {
      double cpu = ProcStat.cpuSeconds(text);
      if (lastSelfCpu >= 0 && seconds > 0) {
        out.put("generatorCpu", Math.round((cpu - lastSelfCpu) / seconds * 100));
      }
      lastSelfCpu = cpu;
    });
    Future<?> machine = read("/proc/stat").onSuccess(text -> {
      long[] j = ProcStat.machineJiffies(text);
      if (lastMachine != null && j[1] > lastMachine[1]) {
        out.put("machineCpu", Math.round(100.0 * (j[0] - lastMachine[0]) / (j[1] - lastMachine[1])));
      }
      lastMachine = j;
    });
    return Future.join(List.of(server, rss, self, machine)).transform(ignored -> Future.succeededFuture(out));
  }

  /** Whether {@link #processCpu()} has anything to read. */
  public boolean watchesProcesses() {
    return !watched.isEmpty();
  }

  /** CPU seconds used so far by each watched process tree ({@link ProcessCpu}); read on a worker. */
  public Future<Map<String, Double>> processCpu() {
    return vertx.executeBlocking(() -> ProcessCpu.read(watched), false);
  }

  /** Whether {@link #wireBytes()} has anything to read. */
  public boolean countsWire() {
    return !wirePorts.isEmpty();
  }

  /** Bytes the clients' connections to the server have received and sent so far ({@link WireBytes}); read on a worker. */
  public Future<WireBytes.Totals> wireBytes() {
    return vertx.executeBlocking(() -> WireBytes.read(wirePorts), false);
  }

  /** {@code jcmd PID GC.run} on a worker thread; fails quietly (the reading just includes garbage). */
  private Future<Void> gc() {
    return vertx.executeBlocking(() -> {
      Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return null;
    }, false);
  }

  private Future<String> read(String path) {
    return vertx.fileSystem().readFile(path).map(Buffer::toString);
  }

  private Future<String> get(String url) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(3000))
        .compose(req -> req.send())
        .compose(resp -> resp.statusCode() == 200 ? resp.body() : Future.failedFuture("HTTP " + resp.statusCode()))
        .map(Buffer::toString);
  }

  public Future<Void> close() {
    return http.close();
  }
}
