package io.switchboard.launcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A TCP load balancer for tests, in the place of the Kubernetes Service in front of the gateways:
 * each client connection is piped, byte for byte, to one backend chosen round-robin among those
 * whose {@code GET /ready} answered 200 within the last {@link #FRESH_MS}, polled every
 * {@link #POLL_MS}. A draining gateway (503) or a dead one (no answer) stops receiving new
 * connections; the connections it already has stay piped until either side closes.
 *
 * <p>No session affinity: each connection goes wherever the rotation points. That is enough for
 * clients on the WebSocket transport only (one TCP connection per Engine.IO session), which is what
 * the tests use; HTTP long-polling would need affinity, as docs/operations.md explains.
 *
 * <p>Like a kube-proxy rule, it never retries another backend: a connection to a backend that
 * refuses it is closed, and the client reconnects by itself.
 */
final class TcpBalancer implements AutoCloseable {
  static final long POLL_MS = 200;
  static final long FRESH_MS = 1500;

  private final Vertx vertx;
  private final NetClient client;
  private final HttpClient http;
  private final Map<String, Backend> backends = new ConcurrentHashMap<>();
  private final AtomicInteger rotation = new AtomicInteger();
  private NetServer server;
  private long pollTimer = -1;

  /** One gateway behind the balancer, with what it was given. */
  static final class Backend {
    final String name;
    final int port;
    volatile long readyAt;
    boolean polling;
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();

    Backend(String name, int port) {
      this.name = name;
      this.port = port;
    }

    boolean ready(long now) {
      return now - readyAt < FRESH_MS;
    }
  }

  private TcpBalancer(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000).setTcpNoDelay(true));
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /** Listens on a free port of 127.0.0.1, with no backend yet. */
  static TcpBalancer start(Vertx vertx) {
    TcpBalancer balancer = new TcpBalancer(vertx);
    balancer.server = vertx.createNetServer().connectHandler(balancer::accept);
    Blocking.await(balancer.server.listen(0, "127.0.0.1"), 10_000, "balancer");
    balancer.pollTimer = vertx.setPeriodic(POLL_MS, id -> balancer.poll());
    return balancer;
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Puts a backend behind the balancer (or back, at a new port); it gets connections once ready. */
  void put(String name, int port) {
    backends.put(name, new Backend(name, port));
  }

  /** Connections each backend received since it was put, by name. */
  Map<String, Integer> accepted() {
    Map<String, Integer> counts = new TreeMap<>();
    backends.values().forEach(b -> counts.put(b.name, b.accepted.get()));
    return counts;
  }

  /** Connections open now through the balancer, by backend name. */
  Map<String, Integer> open() {
    Map<String, Integer> counts = new TreeMap<>();
    backends.values().forEach(b -> counts.put(b.name, b.open.get()));
    return counts;
  }

  /** Completes once the named backends are all ready and every other backend is not. */
  Future<Void> whenRouting(List<String> names, long timeoutMs) {
    return when(b -> names.contains(b.name) == b.ready(System.currentTimeMillis()), timeoutMs,
        "the balancer routing to exactly " + names);
  }

  private Future<Void> when(Predicate<Backend> each, long timeoutMs, String what) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    check(each, deadline, what, done);
    return done.future();
  }

  private void check(Predicate<Backend> each, long deadline, String what, Promise<Void> done) {
    if (backends.values().stream().allMatch(each)) {
      done.complete();
    } else if (System.currentTimeMillis() > deadline) {
      done.fail(new AssertionError("timed out waiting for " + what + "; ready: " + readyNames()));
    } else {
      vertx.setTimer(POLL_MS / 2, id -> check(each, deadline, what, done));
    }
  }

  private List<String> readyNames() {
    long now = System.currentTimeMillis();
    return backends.values().stream().filter(b -> b.ready(now)).map(b -> b.name).sorted().toList();
  }

  /** One /ready request per backend at a time; a backend whose last answer was not 200 is out at once. */
  private void poll() {
    for (Backend backend : backends.values()) {
      if (backend.polling) {
        continue;
      }
      backend.polling = true;
      http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(backend.port)
              .setURI("/ready").setTimeout(FRESH_MS))
          .compose(req -> req.send().compose(res -> res.body().map(body -> res.statusCode())))
          .onComplete(status -> {
            backend.polling = false;
            backend.readyAt = status.succeeded() && status.result() == 200 ? System.currentTimeMillis() : 0;
          });
    }
  }

  private void accept(NetSocket inbound) {
    inbound.pause();
    inbound.exceptionHandler(e -> inbound.close());
    Backend target = next();
    if (target == null) {
      inbound.close();
      return;
    }
    target.accepted.incrementAndGet();
    client.connect(target.port, "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        target.readyAt = 0;
        inbound.close();
        return;
      }
      NetSocket outbound = connected.result();
      target.open.incrementAndGet();
      // Either side closing (or failing) closes the other, as a proxy that holds no state would.
      outbound.closeHandler(v -> {
        target.open.decrementAndGet();
        inbound.close();
      });
      inbound.closeHandler(v -> outbound.close());
      outbound.exceptionHandler(e -> outbound.close());
      inbound.pipeTo(outbound);
      outbound.pipeTo(inbound);
    });
  }

  /** The next ready backend in the rotation, or null when none is ready. */
  private Backend next() {
    long now = System.currentTimeMillis();
    List<Backend> ready = backends.values().stream().filter(b -> b.ready(now))
        .sorted(java.util.Comparator.comparing(b -> b.name)).toList();
    return ready.isEmpty() ? null : ready.get(Math.floorMod(rotation.getAndIncrement(), ready.size()));
  }

  @Override
  public void close() {
    vertx.cancelTimer(pollTimer);
    if (server != null) {
      Blocking.await(server.close(), 10_000, "balancer close");
    }
    client.close();
    http.close();
  }
}
