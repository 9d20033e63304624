package io.switchboard.loadtest.engine;

import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.metrics.Counter;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.metrics.Metrics;
import io.switchboard.loadtest.protocol.ConnectFailure;
import io.switchboard.loadtest.protocol.Endpoint;
import io.switchboard.loadtest.protocol.JsonScan;
import io.switchboard.loadtest.protocol.Jwt;
import io.switchboard.loadtest.protocol.SioClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Every simulated socket of a run: opens them over the configured gateway URLs and source addresses
 * (socket i uses URL i and source address i, each modulo their number), spread over the event loops,
 * at the configured connect rate with a bounded number of handshakes in flight. Records the connect
 * latency (WebSocket open to Socket.IO CONNECT) and every failure by kind.
 */
public final class Fleet {
  private final Vertx vertx;
  private final Context main;
  private final List<Context> loops;
  private final RunSettings settings;
  private final Metrics metrics;
  private final List<WebSocketClient> wsClients = new ArrayList<>();
  private final ThreadLocal<Jwt> jwt;
  private final Set<SioClient> open = ConcurrentHashMap.newKeySet();
  private final Latency connectLatency;
  private final Counter connected;
  private final Counter dropped;

  public Fleet(Vertx vertx, Context main, List<Context> loops, RunSettings settings, Metrics metrics) {
    this.vertx = vertx;
    this.main = main;
    this.loops = List.copyOf(loops);
    this.settings = settings;
    this.metrics = metrics;
    this.jwt = ThreadLocal.withInitial(() -> new Jwt(settings.jwtSecret(), 24 * 3600));
    List<String> ips = settings.sourceIps().isEmpty() ? Collections.singletonList(null) : settings.sourceIps();
    for (String ip : ips) {
      WebSocketClientOptions options = new WebSocketClientOptions()
          .setMaxConnections(1_000_000)
          .setTcpNoDelay(true)
          .setConnectTimeout((int) settings.connectTimeoutMs())
          .setMaxFrameSize(1 << 20)
          .setMaxMessageSize(1 << 20)
          .setClosingTimeout(2);
      if (settings.compression()) {
        // As browsers: offer permessage-deflate; accept a server's client_no_context_takeover (Switchboard
        // always asks for it; Netty's client refuses it unless allowed).
        options.setTryUsePerMessageCompression(true).setCompressionAllowClientNoContext(true);
      }
      if (ip != null) {
        options.setLocalAddress(ip);
      }
      wsClients.add(vertx.createWebSocketClient(options));
    }
    this.connectLatency = metrics.latency("connect");
    this.connected = metrics.counter("connects");
    this.dropped = metrics.counter("drops");
  }

  public RunSettings settings() {
    return settings;
  }

  /** The event loop that socket {@code index} lives on. */
  public Context loopOf(int index) {
    return loops.get(Math.floorMod(index, loops.size()));
  }

  /**
   * Connects {@code count} sockets, user {@code userId.apply(i)} for socket i, respecting the connect
   * rate and the handshake limit. Completes once every attempt has settled, with the clients in index
   * order and null where the attempt failed.
   */
  public Future<List<SioClient>> connectAll(int count, IntFunction<String> userId, SioClient.EventListener listener) {
    return connectAll(count, userId, listener, (i, client, startedMicros) -> {});
  }

  /** What a scenario does with a socket the moment it is connected, on the socket's event loop. */
  @FunctionalInterface
  public interface OnConnected {
    /** @param startedMicros when its connection was started ({@link Clock#micros}) */
    void connected(int index, SioClient client, long startedMicros);
  }

  /**
   * As {@link #connectAll(int, IntFunction, SioClient.EventListener)}, and {@code onConnected} runs
   * for each socket as soon as its CONNECT succeeded, as a client application reacts to its connect.
   */
  public Future<List<SioClient>> connectAll(int count, IntFunction<String> userId, SioClient.EventListener listener,
      OnConnected onConnected) {
    Storm storm = new Storm(count, userId, listener, onConnected);
    main.runOnContext(v -> storm.start());
    return storm.done.future();
  }

  /** Connects socket {@code index} now, on its event loop. */
  public Future<SioClient> connectOne(int index, String userId, SioClient.EventListener listener) {
    return connectOne(index, userId, listener, (i, client, startedMicros) -> {});
  }

  /**
   * Connects socket {@code index} now, on its event loop, to {@code endpoint} instead of its URL (a
   * reconnect to another gateway); failures are counted as {@code failureCounter + kind[.code]}, and
   * {@code onConnected} runs on that loop the moment it is connected.
   */
  public Future<SioClient> connectOne(int index, Endpoint endpoint, String failureCounter, String userId,
      SioClient.EventListener listener, OnConnected onConnected) {
    return connect(index, endpoint, failureCounter, userId, listener, onConnected);
  }

  private Future<SioClient> connectOne(int index, String userId, SioClient.EventListener listener,
      OnConnected onConnected) {
    return connect(index, settings.endpoints().get(Math.floorMod(index, settings.endpoints().size())),
        "connectFailed.", userId, listener, onConnected);
  }

  private Future<SioClient> connect(int index, Endpoint endpoint, String failureCounter, String userId,
      SioClient.EventListener listener, OnConnected onConnected) {
    Promise<SioClient> promise = Promise.promise();
    loopOf(index).runOnContext(v -> {
      long start = Clock.micros();
      WebSocketClient ws = wsClients.get(Math.floorMod(index, wsClients.size()));
      SioClient.connect(vertx, ws, endpoint, auth(jwt.get().mint(userId)), settings.connectTimeoutMs(), listener)
          .onComplete(client -> {
            connectLatency.record(Clock.micros() - start);
            connected.increment();
            open.add(client);
            metrics.connections().incrementAndGet();
            client.closeListener((c, reason) -> {
              open.remove(c);
              metrics.connections().decrementAndGet();
              if (!"client disconnect".equals(reason)) {
                dropped.increment();
              }
            });
            onConnected.connected(index, client, start);
            promise.complete(client);
          }, failure -> {
            ConnectFailure f = ConnectFailure.of(failure);
            metrics.counter(failureCounter + f.kind() + (f.code() == null ? "" : "." + f.code())).increment();
            promise.fail(f);
          });
    });
    return promise.future();
  }

  /** The CONNECT auth payload, as JSON text. */
  private String auth(String token) {
    String receive = settings.receive() == null ? "" : ",\"receive\":" + JsonScan.quote(settings.receive());
    return "{\"token\":" + JsonScan.quote(token) + receive + "}";
  }

  /** Disconnects every open socket, a bounded number at a time; completes when all are closed. */
  public Future<Void> closeAll() {
    List<SioClient> clients = new ArrayList<>(open);
    return Window.run(main, clients.size(), 2000, i -> {
      Promise<Void> closed = Promise.promise();
      SioClient c = clients.get(i);
      c.runOnContext(() -> {
        if (!c.isConnected()) {
          closed.tryComplete();
          return;
        }
        c.closeListener((client, reason) -> {
          open.remove(client);
          metrics.connections().decrementAndGet();
          closed.tryComplete();
        });
        c.disconnect();
        vertx.setTimer(3000, t -> closed.tryComplete());
      });
      return closed.future();
    });
  }

  public Future<Void> close() {
    return Future.all(wsClients.stream().map(WebSocketClient::close).toList()).mapEmpty();
  }

  /** One rate-limited connection storm; its fields are touched on the main context only. */
  private final class Storm {
    private static final long TICK_MS = 10;
    private final int count;
    private final IntFunction<String> userId;
    private final SioClient.EventListener listener;
    private final OnConnected onConnected;
    private final SioClient[] clients;
    private final Promise<List<SioClient>> done = Promise.promise();
    private int next;
    private int pending;
    private int settled;
    private double allowance;
    private long lastTick;
    private long timer = -1;

    Storm(int count, IntFunction<String> userId, SioClient.EventListener listener, OnConnected onConnected) {
      this.count = count;
      this.userId = userId;
      this.listener = listener;
      this.onConnected = onConnected;
      this.clients = new SioClient[count];
    }

    void start() {
      if (count == 0) {
        done.complete(List.of());
        return;
      }
      lastTick = System.nanoTime();
      allowance = settings.connectRate() <= 0 ? Double.MAX_VALUE : Math.min(1, settings.connectRate() * TICK_MS / 1000.0);
      tick();
      if (next < count) {
        timer = vertx.setPeriodic(TICK_MS, t -> tick());
      }
    }

    private void tick() {
      long now = System.nanoTime();
      if (settings.connectRate() > 0) {
        double burst = Math.max(1, settings.connectRate() * 0.05);
        allowance = Math.min(burst, allowance + settings.connectRate() * (now - lastTick) / 1e9);
      }
      lastTick = now;
      while (next < count && allowance >= 1 && pending < settings.maxPendingConnects()) {
        int i = next++;
        pending++;
        if (settings.connectRate() > 0) {
          allowance--;
        }
        connectOne(i, userId.apply(i), listener, onConnected)
            .onComplete(r -> main.runOnContext(v -> settle(i, r.result())));
      }
      if (next == count && timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private void settle(int i, SioClient client) {
      clients[i] = client;
      pending--;
      settled++;
      if (settled == count) {
        done.complete(java.util.Arrays.asList(clients));
      } else if (timer < 0 && next < count) {
        tick();
      }
    }
  }
}
