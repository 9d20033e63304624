package io.switchboard.socketio.namespace;

import io.switchboard.socketio.BroadcastOperator;
import io.switchboard.socketio.ConnectMiddleware;
import io.switchboard.socketio.ConnectRefusedException;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.NamespaceObserver;
import io.switchboard.socketio.Socket;
import io.switchboard.socketio.engine.Ids;
import io.switchboard.socketio.parser.EncodedPacket;
import io.switchboard.socketio.parser.SioPacket;
import io.switchboard.socketio.parser.SioParser;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace: middlewares and connection handlers (copy-on-write, registered at start-up), the
 * connected sockets of this node, their rooms, and the recovery store when recovery is on.
 */
final class NamespaceImpl implements Namespace {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceImpl.class);

  /** The CONNECT auth field by which a socket asks for connection state recovery (when opt-in). */
  static final String RECOVER = "recover";

  private final String name;
  private final List<ConnectMiddleware> middlewares = new CopyOnWriteArrayList<>();
  private final List<Handler<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
  private final Map<String, SocketImpl> sockets = new ConcurrentHashMap<>();
  private final RoomIndex rooms = new RoomIndex();
  private final RecoveryStore recovery;
  private final NamespaceRegistry registry;
  private volatile Function<Socket, Object> owner;
  private volatile NamespaceObserver observer;

  NamespaceImpl(String name, NamespaceRegistry registry, RecoveryStore recovery) {
    this.name = name;
    this.registry = registry;
    this.recovery = recovery;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Namespace use(ConnectMiddleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  @Override
  public Namespace onConnection(Handler<Socket> handler) {
    connectionHandlers.add(handler);
    return this;
  }

  @Override
  public BroadcastOperator to(String room) {
    return new Broadcast(this, Set.of(room), Set.of());
  }

  @Override
  public BroadcastOperator except(String room) {
    return new Broadcast(this, Set.of(), Set.of(room));
  }

  @Override
  public BroadcastOperator broadcast() {
    return new Broadcast(this, Set.of(), Set.of());
  }

  @Override
  public Socket socket(String id) {
    return sockets.get(id);
  }

  @Override
  public int size() {
    return sockets.size();
  }

  @Override
  public Set<String> rooms() {
    return rooms.names();
  }

  @Override
  public Collection<Socket> sockets() {
    return List.copyOf(sockets.values());
  }

  @Override
  public Namespace observe(NamespaceObserver observer) {
    this.observer = observer;
    return this;
  }

  /** The observer, or null: read once per report. */
  NamespaceObserver observer() {
    return observer;
  }

  /** Whether this socket is the connected one of its id (not one a middleware is still judging). */
  boolean listed(SocketImpl socket) {
    return sockets.get(socket.id()) == socket;
  }

  /** Runs a report on the observer, if any; what it throws is logged, never the caller's problem. */
  void report(java.util.function.Consumer<NamespaceObserver> report) {
    NamespaceObserver o = observer;
    if (o == null) {
      return;
    }
    try {
      report.accept(o);
    } catch (RuntimeException e) {
      LOG.error("sio.observer_failure nsp={}", name, e);
    }
  }

  @Override
  public int roomSize(String room) {
    return rooms.size(room);
  }

  @Override
  public void socketsLeave(String in, String room) {
    for (SocketImpl socket : rooms.resolve(Set.of(in), Set.of(), sockets.values())) {
      socket.leave(room);
    }
    if (recovery != null) {
      recovery.leave(in, room);
    }
  }

  RecoveryStore recovery() {
    return recovery;
  }

  NamespaceRegistry registry() {
    return registry;
  }

  RoomIndex roomIndex() {
    return rooms;
  }

  Collection<SocketImpl> targets(Set<String> targetRooms, Set<String> except) {
    return rooms.resolve(targetRooms, except, sockets.values());
  }

  /**
   * The forms of an EVENT, encoded when a target needs them. With recovery on and a socket held for
   * it, the form with an offset is encoded and logged at once, also when nobody on this node
   * receives the event now: the held socket may need it. Otherwise only a target that asked for
   * recovery has it logged; without one (and no held socket) nobody on this node can ever replay
   * the event, so it is not logged, and not even encoded without targets here (most events of rooms
   * whose other members are elsewhere or offline).
   */
  Broadcast.Frames frames(String event, Object[] args, Set<String> targetRooms, Set<String> except) {
    Broadcast.Frames frames = new Broadcast.Frames(this, event, args, targetRooms, except);
    if (recovery != null && recovery.holdsSessions()) {
      frames.recoverable();
    }
    return frames;
  }

  /** Encodes an EVENT with the next offset and logs it for recovery. */
  EncodedPacket logged(String event, Object[] args, Set<String> targetRooms, Set<String> except) {
    long seq = recovery.nextSeq();
    EncodedPacket packet = Broadcast.encode(name, event, args, RecoveryStore.offset(seq));
    recovery.append(seq, targetRooms, except, packet);
    return packet;
  }

  // ---- connecting, on the client's session context ----

  /**
   * A CONNECT: the middlewares judge a new socket; once they accept it, a held session named by the
   * auth payload's {@code pid} is restored into it if its owner matches (see
   * {@link Namespace#recoveryOwner}). A refused or mismatched claim never consumes the session. The
   * socket gets a pid (and so offsets) only when it asks for recovery, unless recovery is for all
   * ({@link io.switchboard.socketio.SocketIoOptions#recoveryOptIn}).
   */
  void connect(SioClient client, JsonObject auth) {
    String pid = recovery != null && auth.getValue("pid") instanceof String p ? p : null;
    // Who did not ask gets no pid, so no offsets: its events carry their arguments alone.
    boolean recoverable = recovery != null
        && (pid != null || !registry.recoveryOptIn() || Boolean.TRUE.equals(auth.getValue(RECOVER)));
    String heldId = pid == null ? null : recovery.heldSocketId(pid);
    // While the middlewares run the socket has the held session's id, so that what they register
    // under it (a presence admission, say) is right once the session is restored.
    SocketImpl socket = new SocketImpl(this, client, auth, heldId != null ? heldId : Ids.next(),
        recoverable ? Ids.next() : null, false);
    client.connecting(name, true);
    runMiddlewares(socket).onComplete(ar -> client.session().runOnContext(() -> {
      client.connecting(name, false);
      if (!client.session().isOpen()) {
        socket.discard();
        return;
      }
      if (ar.failed()) {
        refuse(client, socket, ar.cause());
        return;
      }
      RecoveryStore.Restored restored = pid == null ? null
          : recovery.restore(pid, auth.getValue("offset") instanceof String offset ? offset : null, ownerOf(socket),
              owner != null);
      if (restored != null) {
        accept(client, moved(socket, restored.held().socketId(), restored.held().pid(), true, restored.held().data()), restored);
      } else if (heldId != null && recovery.heldSocketId(pid) != null) {
        // Someone else's session, still held for its owner: this socket must not carry its id.
        accept(client, moved(socket, Ids.next(), socket.pid(), false, Map.of()), null);
      } else {
        accept(client, socket, null);
      }
    }));
  }

  /** {@code from} under another id: {@code base} data, then what the middlewares set on {@code from}. */
  private SocketImpl moved(SocketImpl from, String id, String pid, boolean recovered, Map<String, Object> base) {
    SocketImpl socket = new SocketImpl(this, from.client(), from.handshake().auth(), id, pid, recovered);
    base.forEach(socket::set);
    from.data().forEach(socket::set);
    from.discard();
    return socket;
  }

  @Override
  public Namespace recoveryOwner(Function<Socket, Object> owner) {
    this.owner = owner;
    return this;
  }

  /** Who owns this socket's session for recovery; null without an owner function. */
  Object ownerOf(Socket socket) {
    Function<Socket, Object> f = owner;
    return f == null ? null : f.apply(socket);
  }

  private Future<Void> runMiddlewares(SocketImpl socket) {
    Future<Void> chain = Future.succeededFuture();
    for (ConnectMiddleware middleware : middlewares) {
      chain = chain.compose(v -> {
        try {
          Future<Void> result = middleware.handle(socket);
          return result != null ? result : Future.succeededFuture();
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
    }
    return chain;
  }

  private void accept(SioClient client, SocketImpl socket, RecoveryStore.Restored restored) {
    socket.markConnected(recovery != null ? recovery.currentSeq() : 0);
    sockets.put(socket.id(), socket);
    client.attach(name, socket);
    socket.join(socket.id());
    if (restored != null) {
      restored.held().rooms().forEach(socket::join);
    }
    JsonObject reply = new JsonObject().put("sid", socket.id());
    if (socket.pid() != null) {
      reply.put("pid", socket.pid());
    }
    client.send(SioParser.encode(SioPacket.Type.CONNECT, name, -1, reply));
    if (restored != null) {
      restored.missed().forEach(client::send);
      LOG.debug("sio.socket_recovered nsp={} id={} missed={}", name, socket.id(), restored.missed().size());
    }
    for (Handler<Socket> handler : connectionHandlers) {
      try {
        handler.handle(socket);
      } catch (RuntimeException e) {
        LOG.error("sio.connection_handler_failure nsp={} id={}", name, socket.id(), e);
      }
    }
  }

  private void refuse(SioClient client, SocketImpl socket, Throwable cause) {
    socket.discard();
    JsonObject error;
    if (cause instanceof ConnectRefusedException refused) {
      error = new JsonObject().put("message", refused.getMessage());
      if (refused.data() != null) {
        error.put("data", refused.data());
      }
      LOG.debug("sio.connect_refused nsp={} message=\"{}\"", name, refused.getMessage());
    } else {
      error = new JsonObject().put("message", "Internal error");
      LOG.error("sio.middleware_failure nsp={}", name, cause);
    }
    client.send(SioParser.encode(SioPacket.Type.CONNECT_ERROR, name, -1, error));
    client.connectRefused();
  }

  /** Removes a socket that disconnected; returns the rooms it was in. */
  Set<String> remove(SocketImpl socket) {
    boolean listed = sockets.remove(socket.id(), socket);
    Set<String> left = socket.takeRooms();
    for (String room : left) {
      rooms.remove(room, socket);
    }
    if (listed && observer != null) {
      left.forEach(room -> report(o -> o.left(socket, room)));
    }
    return left;
  }
}
