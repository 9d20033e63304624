package io.switchboard.gateway.adminui;

import io.switchboard.common.ops.Audit;
import io.switchboard.common.runtime.Node;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.NamespaceObserver;
import io.switchboard.socketio.Socket;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the official Socket.IO Admin UI ({@code @socket.io/admin-ui}), as its
 * {@code instrument(io, ...)} speaks to the UI, for this gateway: the {@value #NAMESPACE} namespace,
 * behind {@link AdminUiAuth}, on which the UI gets
 *
 * <ul>
 *   <li>at connect, {@code config {supportedFeatures}} and {@code all_sockets [socket...]} (the chat
 *       namespace's and this one's sockets on this gateway), and {@code session} after a login;
 *   <li>every {@value #STATS_MS} ms, {@code server_stats} naming this gateway by its node id, with its
 *       counts and the chat sockets' connections and disconnections of the last seconds;
 *   <li>live: {@code socket_connected}, {@code socket_updated} (a transport upgrade),
 *       {@code socket_disconnected}, {@code room_joined}, {@code room_left}, {@code event_received}
 *       and {@code event_sent} (an event sent to one socket; room broadcasts are not reported per socket).
 * </ul>
 *
 * Unless read-only, the UI may {@code _disconnect} the sockets of one room (a socket id is a room);
 * every such act is audited. The other operations of the official server (emit, join, leave) are not
 * offered: rooms here mirror memberships that message-service keeps, which a join from outside would
 * contradict.
 *
 * <p>Nothing is serialized while no admin is connected. Each gateway reports only its own sockets; the
 * UI shows one server per gateway it is connected to (docs/operations.md).
 */
public final class AdminUi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminUi.class);
  public static final String NAMESPACE = "/admin";
  static final long STATS_MS = 2000;
  /** Headers never shown: they carry credentials. */
  private static final Set<String> HIDDEN_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

  private final Vertx vertx;
  private final AdminUiSettings settings;
  private final SocketIoServer io;
  private final Namespace chat;
  private final Function<Socket, JsonObject> describe;
  private final IntSupplier pollingClients;
  private final String hostname = hostname();
  private final long pid = ProcessHandle.current().pid();
  /** Chat connections and disconnections by second, type and reason, until the next stats take them. */
  private final Map<List<Object>, LongAdder> aggregated = new ConcurrentHashMap<>();
  private Namespace admin;
  private AdminUiAuth auth;
  private long statsTimer = -1;

  /**
   * {@code describe} gives a chat socket's data as the UI shows it (who it is, never credentials);
   * {@code pollingClients} counts the sessions on long-polling.
   */
  public AdminUi(Vertx vertx, AdminUiSettings settings, SocketIoServer io, Namespace chat,
      Function<Socket, JsonObject> describe, IntSupplier pollingClients) {
    this.vertx = vertx;
    this.settings = settings;
    this.io = io;
    this.chat = chat;
    this.describe = describe;
    this.pollingClients = pollingClients;
  }

  /** Opens the namespace when enabled; otherwise there is none, and a CONNECT to it is refused as an unknown namespace. */
  public void install() {
    if (!settings.enabled()) {
      return;
    }
    auth = new AdminUiAuth(vertx, settings);
    admin = io.of(NAMESPACE);
    admin.use(auth);
    admin.onConnection(this::adminConnected);
    chat.onConnection(socket -> {
      if (socket.connected()) {
        tally("rawConnection", null);
        watch(socket);
      }
    });
    chat.observe(new Observer());
    statsTimer = vertx.setPeriodic(STATS_MS, id -> emitStats());
    LOG.info("admin ui: namespace {} open to {}{}", NAMESPACE, settings.username(), settings.readonly() ? " (read-only)" : "");
  }

  public void close() {
    if (statsTimer >= 0) {
      vertx.cancelTimer(statsTimer);
    }
    if (auth != null) {
      auth.close();
      chat.observe(null);
    }
  }

  private boolean watched() {
    return admin.size() > 0;
  }

  private void adminConnected(Socket socket) {
    String session = socket.get(AdminUiAuth.NEW_SESSION);
    if (session != null) {
      socket.set(AdminUiAuth.NEW_SESSION, null);
      socket.emit("session", session);
      Audit.event("adminui.login", settings.username(), null, socket.handshake().address(), socket.id(), "password");
    }
    JsonArray features = new JsonArray();
    if (!settings.readonly()) {
      features.add("DISCONNECT");
      socket.on("_disconnect", (args, ack) -> disconnect(socket, args));
    }
    features.add("AGGREGATED_EVENTS").add("ALL_EVENTS");
    socket.emit("config", new JsonObject().put("supportedFeatures", features));
    JsonArray all = new JsonArray();
    chat.sockets().forEach(s -> all.add(serialize(s)));
    admin.sockets().forEach(s -> all.add(serialize(s)));
    socket.emit("all_sockets", all);
    watch(socket);
    emitStats();
  }

  /** Reports the socket's connection now and its disconnection later. */
  private void watch(Socket socket) {
    String nsp = socket.namespace().name();
    if (watched()) {
      admin.broadcast().emit("socket_connected", serialize(socket), now());
    }
    socket.onDisconnect(reason -> {
      if (nsp.equals(chat.name())) {
        tally("rawDisconnection", reason);
      }
      if (watched()) {
        admin.broadcast().emit("socket_disconnected", nsp, socket.id(), reason, now());
      }
    });
  }

  /** {@code _disconnect(nsp, close, filter)}: the sockets of that namespace in room {@code filter}. */
  private void disconnect(Socket from, List<Object> args) {
    String nsp = args.size() > 0 && args.get(0) instanceof String s ? s : null;
    boolean close = args.size() > 1 && Boolean.TRUE.equals(args.get(1));
    String filter = args.size() > 2 && args.get(2) instanceof String s ? s : null;
    Namespace target = chat.name().equals(nsp) ? chat : admin.name().equals(nsp) ? admin : null;
    if (target == null || filter == null || filter.isEmpty()) {
      // Everyone of a namespace at once is not offered (MDISCONNECT): a wrong click would cut every user.
      LOG.debug("admin ui: _disconnect ignored nsp={} filter={}", nsp, filter);
      return;
    }
    int count = 0;
    for (Socket socket : target.sockets()) {
      if (socket.inRoom(filter)) {
        socket.disconnect(close);
        count++;
      }
    }
    Audit.event("adminui.disconnect", settings.username(), null, from.handshake().address(), from.id(),
        "nsp=" + nsp + " room=" + filter + " close=" + close + " sockets=" + count);
  }

  private void emitStats() {
    List<JsonObject> events = drainAggregated();
    if (admin == null || !watched()) {
      return;
    }
    JsonArray namespaces = new JsonArray()
        .add(new JsonObject().put("name", chat.name()).put("socketsCount", chat.size()))
        .add(new JsonObject().put("name", admin.name()).put("socketsCount", admin.size()));
    admin.broadcast().emit("server_stats", new JsonObject()
        .put("serverId", Node.id(vertx))
        .put("hostname", hostname)
        .put("pid", pid)
        .put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0)
        .put("clientsCount", io.clientCount())
        .put("pollingClientsCount", pollingClients.getAsInt())
        .put("aggregatedEvents", new JsonArray(events))
        .put("namespaces", namespaces));
  }

  private void tally(String type, String subType) {
    long second = System.currentTimeMillis() / 1000 * 1000;
    aggregated.computeIfAbsent(java.util.Arrays.asList(second, type, subType), k -> new LongAdder()).increment();
  }

  private List<JsonObject> drainAggregated() {
    List<JsonObject> events = new ArrayList<>();
    for (List<Object> key : List.copyOf(aggregated.keySet())) {
      LongAdder count = aggregated.remove(key);
      if (count != null) {
        JsonObject event = new JsonObject().put("timestamp", key.get(0)).put("type", key.get(1)).put("count", count.sum());
        if (key.get(2) != null) {
          event.put("subType", key.get(2));
        }
        events.add(event);
      }
    }
    return events;
  }

  /** A socket as the UI lists it. */
  JsonObject serialize(Socket socket) {
    var handshake = socket.handshake();
    boolean chatSocket = socket.namespace() == chat;
    return new JsonObject()
        .put("id", socket.id())
        .put("clientId", socket.clientId())
        .put("transport", socket.transport())
        .put("nsp", socket.namespace().name())
        .put("data", chatSocket ? describe.apply(socket) : new JsonObject())
        .put("handshake", new JsonObject()
            .put("address", handshake.address())
            .put("headers", shown(handshake.headers(), HIDDEN_HEADERS))
            .put("query", shown(handshake.query(), Set.of()))
            .put("issued", handshake.issuedAt())
            .put("time", Instant.ofEpochMilli(handshake.issuedAt()).toString()))
        .put("rooms", new JsonArray(List.copyOf(socket.rooms())));
  }

  private static JsonObject shown(MultiMap values, Set<String> hidden) {
    JsonObject shown = new JsonObject();
    for (String name : values.names()) {
      String key = name.toLowerCase(java.util.Locale.ROOT);
      if (!hidden.contains(key)) {
        shown.put(key, String.join(", ", values.getAll(name)));
      }
    }
    return shown;
  }

  private static String now() {
    return Instant.ofEpochMilli(System.currentTimeMillis()).toString();
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  /** The chat namespace's rooms, events and upgrades, passed on while an admin watches. */
  private final class Observer implements NamespaceObserver {
    @Override
    public void joined(Socket socket, String room) {
      if (watched()) {
        admin.broadcast().emit("room_joined", chat.name(), room, socket.id(), now());
      }
    }

    @Override
    public void left(Socket socket, String room) {
      if (watched()) {
        admin.broadcast().emit("room_left", chat.name(), room, socket.id(), now());
      }
    }

    @Override
    public void received(Socket socket, String event, List<Object> args) {
      if (watched()) {
        admin.broadcast().emit("event_received", chat.name(), socket.id(), withEvent(event, args), now());
      }
    }

    @Override
    public void sent(Socket socket, String event, Object[] args) {
      if (watched()) {
        admin.broadcast().emit("event_sent", chat.name(), socket.id(), withEvent(event, java.util.Arrays.asList(args)), now());
      }
    }

    @Override
    public void upgraded(Socket socket) {
      if (watched()) {
        admin.broadcast().emit("socket_updated", new JsonObject().put("id", socket.id()).put("nsp", chat.name())
            .put("transport", socket.transport()));
      }
    }

    /** The UI takes the event's name as the first of its arguments. */
    private static List<Object> withEvent(String event, List<Object> args) {
      List<Object> all = new ArrayList<>(args.size() + 1);
      all.add(event);
      all.addAll(args);
      return all;
    }
  }
}
