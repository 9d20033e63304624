package io.switchboard.socketio.namespace;

import io.switchboard.socketio.Handshake;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.Socket;
import io.switchboard.socketio.engine.EngineRequest;
import io.switchboard.socketio.engine.EngineSession;
import io.switchboard.socketio.parser.EncodedPacket;
import io.switchboard.socketio.parser.SioPacket;
import io.switchboard.socketio.parser.SioParser;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client in one namespace. State changes run on the session's context; {@code emit},
 * {@code join}, {@code leave}, {@code get}/{@code set} are safe from any thread. Per-socket state is
 * kept small: handler and ack maps are created on first use.
 */
final class SocketImpl implements Socket {
  private static final Logger LOG = LoggerFactory.getLogger(SocketImpl.class);
  /** Disconnect reasons after which the client may recover its session (as the reference server). */
  private static final Set<String> RECOVERABLE = Set.of(
      "transport error", "transport close", "forced close", "ping timeout", "server shutting down", "forced server close");

  private final NamespaceImpl namespace;
  private final SioClient client;
  /** The CONNECT's auth payload: the rest of {@link #handshake} is the session's, not copied here. */
  private final JsonObject auth;
  private final String id;
  private final String pid;
  private final boolean recovered;
  /**
   * Immutable, replaced on each join or leave under this socket's lock: read without locks from any
   * thread (broadcasts check exclusions), and a few dozen bytes per socket where a concurrent set
   * was a few hundred. Sockets are in a handful of rooms; joins are rare next to reads.
   */
  private volatile Set<String> rooms = Set.of();
  /**
   * Immutable, replaced on each {@link #set} under this socket's lock, like {@link #rooms}: sockets
   * store a few keys, set once at connect and read often; a concurrent map for them was about 200
   * bytes per socket.
   */
  private volatile Map<String, Object> data = Map.of();
  private volatile boolean connected;
  /** Set once, when the socket disconnected or was refused: joins after that must not stay indexed. */
  private volatile boolean closed;
  private long connectSeq;

  private Map<String, EventHandler> handlers;
  private AnyEventHandler anyHandler;
  private List<Handler<String>> disconnectHandlers;
  private Map<Long, PendingAck> acks;
  private long nextAckId;

  private record PendingAck(Promise<List<Object>> promise, long timer) {}

  SocketImpl(NamespaceImpl namespace, SioClient client, JsonObject auth, String id, String pid, boolean recovered) {
    this.namespace = namespace;
    this.client = client;
    this.auth = auth;
    this.id = id;
    this.pid = pid;
    this.recovered = recovered;
  }

  @Override public String id() { return id; }
  @Override public Namespace namespace() { return namespace; }
  @Override public String clientId() { return client.clientId(); }
  @Override public Handshake handshake() {
    EngineRequest req = client.session().request();
    return new Handshake(auth, req.headers(), req.query(), req.address(), req.issuedAt());
  }
  @Override public String transport() { return client.session().transport(); }
  @Override public boolean connected() { return connected; }
  @Override public boolean recovered() { return recovered; }

  NamespaceImpl namespaceImpl() {
    return namespace;
  }

  EngineSession session() {
    return client.session();
  }

  String pid() {
    return pid;
  }

  Set<String> roomSet() {
    return rooms;
  }

  /** Empties the rooms; returns the ones the socket was in. */
  synchronized Set<String> takeRooms() {
    Set<String> left = rooms;
    rooms = Set.of();
    return left;
  }

  private synchronized boolean addRoom(String room) {
    Set<String> current = rooms;
    if (current.contains(room)) {
      return false;
    }
    String[] next = current.toArray(new String[current.size() + 1]);
    next[current.size()] = room;
    rooms = Set.of(next);
    return true;
  }

  private synchronized boolean removeRoom(String room) {
    Set<String> current = rooms;
    if (!current.contains(room)) {
      return false;
    }
    String[] next = new String[current.size() - 1];
    int i = 0;
    for (String r : current) {
      if (!r.equals(room)) {
        next[i++] = r;
      }
    }
    rooms = Set.of(next);
    return true;
  }

  /** A socket refused by a middleware: forget the rooms it may have joined meanwhile. */
  void discard() {
    closed = true;
    namespace.remove(this);
  }

  SioClient client() {
    return client;
  }

  /** The socket's data (immutable). */
  Map<String, Object> data() {
    return data;
  }

  void markConnected(long seq) {
    connectSeq = seq;
    connected = true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(String key) {
    return (T) data.get(key);
  }

  @Override
  public synchronized Socket set(String key, Object value) {
    Map<String, Object> current = data;
    if (value == null ? !current.containsKey(key) : value == current.get(key)) {
      return this;
    }
    Map<String, Object> next = new HashMap<>(current);
    if (value == null) {
      next.remove(key);
    } else {
      next.put(key, value);
    }
    data = Map.copyOf(next);
    return this;
  }

  @Override
  public Socket on(String event, EventHandler handler) {
    client.session().runOnContext(() -> {
      if (handlers == null) {
        handlers = new HashMap<>(8);
      }
      handlers.put(event, handler);
    });
    return this;
  }

  @Override
  public Socket onAny(AnyEventHandler handler) {
    client.session().runOnContext(() -> anyHandler = handler);
    return this;
  }

  @Override
  public Socket onDisconnect(Handler<String> handler) {
    client.session().runOnContext(() -> {
      // Immutable: a socket has one or two, an ArrayList for them was 65 bytes.
      if (disconnectHandlers == null) {
        disconnectHandlers = List.of(handler);
      } else {
        List<Handler<String>> more = new ArrayList<>(disconnectHandlers);
        more.add(handler);
        disconnectHandlers = List.copyOf(more);
      }
    });
    return this;
  }

  @Override
  public void emit(String event, Object... args) {
    if (!connected) {
      return;
    }
    if (write(namespace.frames(event, args, Set.of(id), Set.of()).of(this)) && namespace.observer() != null) {
      namespace.report(o -> o.sent(this, event, args));
    }
  }

  /** Writes an encoded packet if still connected; true when written (or queued for writing). */
  boolean write(EncodedPacket packet) {
    if (!connected) {
      return false;
    }
    client.send(packet);
    return true;
  }

  @Override
  public Future<List<Object>> emitWithAck(String event, long timeoutMs, Object... args) {
    Promise<List<Object>> promise = Promise.promise();
    EncodedPacket[] packet = new EncodedPacket[1];
    client.session().runOnContext(() -> {
      if (!connected) {
        promise.tryFail(new IllegalStateException("socket is disconnected"));
        return;
      }
      long ackId = nextAckId++;
      try {
        packet[0] = SioParser.encode(SioPacket.Type.EVENT, namespace.name(), ackId, Broadcast.eventData(event, args, null));
      } catch (IllegalArgumentException e) {
        promise.tryFail(e);
        return;
      }
      long timer = client.vertx().setTimer(timeoutMs, t -> client.session().runOnContext(() -> {
        PendingAck pending = acks == null ? null : acks.remove(ackId);
        if (pending != null) {
          pending.promise().tryFail(new TimeoutException("no ack for '" + event + "' within " + timeoutMs + " ms"));
        }
      }));
      if (acks == null) {
        acks = new HashMap<>(4);
      }
      acks.put(ackId, new PendingAck(promise, timer));
      client.send(packet[0]);
      if (namespace.observer() != null) {
        namespace.report(o -> o.sent(this, event, args));
      }
    });
    return promise.future();
  }

  @Override
  public void join(String room) {
    if (addRoom(room)) {
      namespace.roomIndex().add(room, this);
      if (closed) {
        // Raced with the disconnect, which may have cleared the rooms before this one was indexed.
        leave(room);
      } else if (namespace.observer() != null && namespace.listed(this)) {
        namespace.report(o -> o.joined(this, room));
      }
    }
  }

  @Override
  public void leave(String room) {
    if (removeRoom(room)) {
      namespace.roomIndex().remove(room, this);
      if (namespace.observer() != null && namespace.listed(this)) {
        namespace.report(o -> o.left(this, room));
      }
    }
  }

  @Override
  public Set<String> rooms() {
    return rooms;
  }

  @Override
  public boolean inRoom(String room) {
    return rooms.contains(room);
  }

  @Override
  public void disconnect(boolean close) {
    client.session().runOnContext(() -> {
      if (close) {
        client.disconnectAll("server namespace disconnect", "forced close");
      } else if (connected) {
        client.send(SioParser.encode(SioPacket.Type.DISCONNECT, namespace.name(), -1, null));
        client.detach(namespace.name(), this);
        onClose("server namespace disconnect");
      }
    });
  }

  // ---- incoming packets, on the session's context ----

  void onPacket(SioPacket packet) {
    switch (packet.type()) {
      case EVENT, BINARY_EVENT -> onEvent((JsonArray) packet.data(), packet.id());
      case ACK, BINARY_ACK -> onAck((JsonArray) packet.data(), packet.id());
      case DISCONNECT -> {
        client.detach(namespace.name(), this);
        onClose("client namespace disconnect");
      }
      default -> client.protocolError("unexpected " + packet.type() + " for a connected namespace");
    }
  }

  private void onEvent(JsonArray data, long ackId) {
    String event = data.getString(0);
    List<Object> args = args(data, 1);
    Ack ack = ackId < 0 ? null : new OnceAck(ackId);
    if (namespace.observer() != null) {
      namespace.report(o -> o.received(this, event, args));
    }
    EventHandler handler = handlers == null ? null : handlers.get(event);
    try {
      if (handler != null) {
        handler.handle(args, ack);
      } else if (anyHandler != null) {
        anyHandler.handle(event, args, ack);
      }
    } catch (RuntimeException e) {
      LOG.error("sio.event_handler_failure nsp={} id={} event={}", namespace.name(), id, event, e);
    }
  }

  private void onAck(JsonArray data, long ackId) {
    PendingAck pending = acks == null ? null : acks.remove(ackId);
    if (pending == null) {
      LOG.debug("sio.unknown_ack nsp={} id={} ack={}", namespace.name(), id, ackId);
      return;
    }
    client.vertx().cancelTimer(pending.timer());
    pending.promise().tryComplete(args(data, 0));
  }

  /**
   * Reads the raw list: {@code JsonArray.getValue} would turn attachments (Buffers) into base64 text.
   * Nested objects and arrays are wrapped as JsonObject / JsonArray.
   */
  @SuppressWarnings("unchecked")
  private static List<Object> args(JsonArray data, int from) {
    List<Object> raw = data.getList();
    List<Object> args = new ArrayList<>(Math.max(0, raw.size() - from));
    for (int i = from; i < raw.size(); i++) {
      Object v = raw.get(i);
      if (v instanceof Map<?, ?> m) {
        v = new JsonObject((Map<String, Object>) m);
      } else if (v instanceof List<?> l) {
        v = new JsonArray(l);
      }
      args.add(v);
    }
    return args;
  }

  /** Disconnects this socket (already detached from its client); runs the handlers once. */
  void onClose(String reason) {
    if (!connected) {
      return;
    }
    connected = false;
    closed = true;
    RecoveryStore recovery = namespace.recovery();
    // Only a socket that asked for recovery has a pid, and only such a socket is held.
    boolean recoverable = recovery != null && pid != null && RECOVERABLE.contains(reason);
    // Held before it leaves its rooms: an event emitted meanwhile on another thread then finds this
    // socket in a room or a held session, and is logged for it (NamespaceImpl.frames). Held
    // again if a room was joined in between.
    Set<String> before = rooms;
    if (recoverable) {
      hold(recovery, before);
    }
    Set<String> left = namespace.remove(this);
    if (recoverable && !left.equals(before)) {
      hold(recovery, left);
    }
    if (acks != null) {
      acks.values().forEach(p -> {
        client.vertx().cancelTimer(p.timer());
        p.promise().tryFail(new IllegalStateException("socket disconnected: " + reason));
      });
      acks = null;
    }
    if (disconnectHandlers != null) {
      for (Handler<String> handler : disconnectHandlers) {
        try {
          handler.handle(reason);
        } catch (RuntimeException e) {
          LOG.error("sio.disconnect_handler_failure nsp={} id={}", namespace.name(), id, e);
        }
      }
    }
  }

  private void hold(RecoveryStore recovery, Set<String> rooms) {
    recovery.hold(new RecoveryStore.Held(pid, id, rooms, data(), namespace.ownerOf(this), connectSeq, System.currentTimeMillis()));
  }

  /** Answers one client request; later calls are ignored. */
  private final class OnceAck extends AtomicBoolean implements Ack {
    private final long ackId;

    OnceAck(long ackId) {
      this.ackId = ackId;
    }

    @Override
    public void send(Object... args) {
      if (compareAndSet(false, true) && connected) {
        client.send(SioParser.encode(SioPacket.Type.ACK, namespace.name(), ackId, Arrays.asList(args)));
      }
    }
  }
}
