package io.switchboard.socketio.namespace;

import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.engine.EngineSession;
import io.switchboard.socketio.engine.SessionHandler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The namespaces of one server and the factory of the Socket.IO layer of each Engine.IO session.
 * Namespaces exist once created with {@link #of}; a CONNECT to any other is refused with
 * "Invalid namespace", as the reference server does.
 */
public final class NamespaceRegistry {
  private final Vertx vertx;
  private final long connectTimeoutMs;
  private final int connectAttemptsPerSession;
  private final long recoveryWindowMs;
  private final boolean recoveryOptIn;
  private final int recoveryLogLimit;
  private final int recoveryLogBytes;
  private final Map<String, NamespaceImpl> namespaces = new ConcurrentHashMap<>();
  private final List<Long> sweepers = new ArrayList<>();

  public NamespaceRegistry(Vertx vertx, SocketIoOptions options) {
    this.vertx = vertx;
    this.connectTimeoutMs = options.connectTimeoutMs();
    this.connectAttemptsPerSession = options.connectAttemptsPerSession();
    this.recoveryWindowMs = options.recoveryWindowMs();
    this.recoveryOptIn = options.recoveryOptIn();
    this.recoveryLogLimit = options.recoveryLogLimit();
    this.recoveryLogBytes = options.recoveryLogBytes();
  }

  Vertx vertx() {
    return vertx;
  }

  long connectTimeoutMs() {
    return connectTimeoutMs;
  }

  int connectAttemptsPerSession() {
    return connectAttemptsPerSession;
  }

  boolean recoveryOptIn() {
    return recoveryOptIn;
  }

  public Namespace of(String name) {
    String normalized = name.startsWith("/") ? name : "/" + name;
    return namespaces.computeIfAbsent(normalized, this::create);
  }

  private NamespaceImpl create(String name) {
    RecoveryStore recovery = null;
    if (recoveryWindowMs > 0) {
      RecoveryStore store = new RecoveryStore(recoveryWindowMs, recoveryLogLimit, recoveryLogBytes);
      long period = Math.max(1_000, Math.min(recoveryWindowMs, 10_000));
      synchronized (sweepers) {
        sweepers.add(vertx.setPeriodic(period, t -> store.sweep(System.currentTimeMillis())));
      }
      recovery = store;
    }
    return new NamespaceImpl(name, this, recovery);
  }

  NamespaceImpl get(String name) {
    return namespaces.get(name);
  }

  public SessionHandler newClient(EngineSession session) {
    return new SioClient(session, this);
  }

  /** Sends DISCONNECT to every socket of a session and closes it (server shutdown). */
  public static void shutdown(SessionHandler handler) {
    if (handler instanceof SioClient client) {
      client.disconnectAll("server shutting down", "forced close");
    }
  }

  public void close() {
    synchronized (sweepers) {
      sweepers.forEach(vertx::cancelTimer);
      sweepers.clear();
    }
  }
}
