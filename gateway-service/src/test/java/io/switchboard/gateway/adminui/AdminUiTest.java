package io.switchboard.gateway.adminui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.Await;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Socket.IO Admin UI's namespace: the official client logs in with the bcrypt password and sees this gateway's sockets, rooms and events")
class AdminUiTest {
  private static final String PASSWORD = "correct horse battery staple";
  /** Made by bcryptjs, as the official package's README makes it (cost 10). */
  private static final String HASH = "$2a$10$/F53OPYSiMKOgvdqOe8WS.V40h2WYp0E4l8lV6Bh/2.6Pd4liZSF6";

  private TestGateway gateway;
  private final List<AdminClient> admins = new ArrayList<>();

  private void start(UnaryOperator<io.switchboard.common.config.Config> more) {
    gateway = TestGateway.start(config -> more.apply(config.with(ConfigKey.ADMIN_UI_ENABLED, "true")
        .with(ConfigKey.ADMIN_UI_USERNAME, "ops").with(ConfigKey.ADMIN_UI_PASSWORD_HASH, HASH)));
  }

  @AfterEach
  void close() {
    admins.forEach(AdminClient::close);
    if (gateway != null) {
      gateway.close();
    }
  }

  private AdminClient admin(Map<String, Object> auth) {
    AdminClient client = new AdminClient(gateway.url() + AdminUi.NAMESPACE, auth);
    admins.add(client);
    return client;
  }

  private AdminClient login() {
    AdminClient admin = admin(Map.of("username", "ops", "password", PASSWORD));
    assertEquals("connected", admin.outcome(), "the right user name and password");
    return admin;
  }

  @Test
  @DisplayName("off by default: /admin is an unknown namespace")
  void offByDefault() {
    gateway = TestGateway.start();
    assertEquals("Invalid namespace", admin(Map.of("username", "admin", "password", PASSWORD)).outcome());
  }

  @Test
  @DisplayName("enabled without a bcrypt hash, the gateway does not start")
  void noHashNoStart() {
    for (String hash : new String[] {"", "  ", "plain-password", "$2a$10$short"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new AdminUiSettings(true, "admin", hash, false));
      assertTrue(e.getMessage().contains("ADMIN_UI_PASSWORD_HASH"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new AdminUiSettings(true, " ", HASH, false));
  }

  @Test
  @DisplayName("a wrong password, a wrong user name, no credentials or an unknown session are refused; the right ones get a session that logs in again")
  void credentials() {
    start(UnaryOperator.identity());
    assertEquals("invalid credentials", admin(Map.of("username", "ops", "password", "wrong")).outcome());
    assertEquals("invalid credentials", admin(Map.of("username", "admin", "password", PASSWORD)).outcome());
    assertEquals("invalid credentials", admin(Map.of()).outcome());
    assertEquals("invalid credentials", admin(Map.of("sessionId", "0123456789abcdef")).outcome());

    AdminClient admin = login();
    String session = admin.next("session", a -> true).getString(0);
    assertEquals(32, session.length());
    assertEquals("connected", admin(Map.of("sessionId", session)).outcome(), "the session of that login");
  }

  @Test
  @DisplayName("after ten failed logins from an address, even the right password is refused for the rest of the minute")
  void throttled() {
    start(UnaryOperator.identity());
    for (int i = 0; i < AdminUiAuth.FAILURES_PER_WINDOW; i++) {
      assertEquals("invalid credentials", admin(Map.of("username", "ops", "password", "guess-" + i)).outcome());
    }
    assertEquals(AdminUiAuth.THROTTLED, admin(Map.of("username", "ops", "password", PASSWORD)).outcome());
  }

  @Test
  @DisplayName("at login: the features, every socket of this gateway with its rooms and user, and the server's stats under its node id")
  void snapshot() {
    start(UnaryOperator.identity());
    ChatClient alice = gateway.connect("alice");
    assertTrue(alice.request("join-room", new JsonObject().put("roomId", "r1")).getBoolean("ok"));

    AdminClient admin = login();
    JsonObject config = admin.next("config", a -> true).getJsonObject(0);
    assertEquals(new JsonArray().add("DISCONNECT").add("AGGREGATED_EVENTS").add("ALL_EVENTS"), config.getJsonArray("supportedFeatures"));
    JsonArray sockets = admin.next("all_sockets", a -> true).getJsonArray(0);
    JsonObject aliceSocket = socketOf(sockets, "alice");
    assertEquals("/", aliceSocket.getString("nsp"));
    assertEquals(new JsonObject().put("tenant", TestGateway.TENANT).put("userId", "alice"), aliceSocket.getJsonObject("data"));
    assertEquals("websocket", aliceSocket.getString("transport"));
    assertEquals(12, aliceSocket.getString("clientId").length());
    assertTrue(aliceSocket.getJsonArray("rooms").contains("room:r1"), aliceSocket.encode());
    assertTrue(aliceSocket.getJsonArray("rooms").contains("user:acme:alice"), aliceSocket.encode());
    assertTrue(aliceSocket.getJsonArray("rooms").contains(aliceSocket.getString("id")), "its own room");
    assertEquals("127.0.0.1", aliceSocket.getJsonObject("handshake").getString("address"));
    assertTrue(sockets.stream().anyMatch(s -> ((JsonObject) s).getString("nsp").equals("/admin")), "the admin's own socket");

    JsonObject stats = admin.next("server_stats", a -> true).getJsonObject(0);
    assertNotNull(stats.getString("serverId"));
    assertEquals(ProcessHandle.current().pid(), stats.getLong("pid"));
    assertEquals(new JsonArray().add(new JsonObject().put("name", "/").put("socketsCount", 1))
        .add(new JsonObject().put("name", "/admin").put("socketsCount", 1)), stats.getJsonArray("namespaces"));
    assertEquals(2, stats.getInteger("clientsCount"));
  }

  @Test
  @DisplayName("live: a socket's connection, its rooms, the events it sends and is sent, its disconnection, and the connection counts")
  void live() {
    start(UnaryOperator.identity());
    AdminClient admin = login();
    admin.next("all_sockets", a -> true);

    ChatClient bob = gateway.connect("bob");
    JsonArray connected = admin.next("socket_connected", a -> "bob".equals(a.getJsonObject(0).getJsonObject("data").getString("userId")));
    String bobId = connected.getJsonObject(0).getString("id");
    assertTrue(connected.getString(1).endsWith("Z"), "an ISO timestamp: " + connected.getString(1));

    assertTrue(bob.request("join-room", new JsonObject().put("roomId", "r2")).getBoolean("ok"));
    JsonArray received = admin.next("event_received", a -> a.getString(1).equals(bobId));
    assertEquals("/", received.getString(0));
    assertEquals(new JsonArray().add("join-room").add(new JsonObject().put("roomId", "r2")), received.getJsonArray(2));
    admin.next("room_joined", a -> a.getString(1).equals("room:r2") && a.getString(2).equals(bobId));

    bob.close();
    JsonArray gone = admin.next("socket_disconnected", a -> a.getString(1).equals(bobId));
    assertEquals("client namespace disconnect", gone.getString(2));
    admin.next("room_left", a -> a.getString(1).equals("room:r2") && a.getString(2).equals(bobId));

    JsonArray events = admin.next("server_stats", a -> !a.getJsonObject(0).getJsonArray("aggregatedEvents").isEmpty())
        .getJsonObject(0).getJsonArray("aggregatedEvents");
    assertTrue(events.stream().anyMatch(e -> ((JsonObject) e).getString("type").equals("rawConnection")), events.encode());
  }

  @Test
  @DisplayName("the UI's Disconnect drops that socket; read-only, it is neither offered nor obeyed")
  void disconnect() {
    start(UnaryOperator.identity());
    ChatClient alice = gateway.connect("alice");
    AdminClient admin = login();
    String aliceId = socketOf(admin.next("all_sockets", a -> true).getJsonArray(0), "alice").getString("id");

    admin.emit("_disconnect", "/", false, aliceId);
    assertEquals("io server disconnect", alice.awaitDisconnect());
    admin.next("socket_disconnected", a -> a.getString(1).equals(aliceId));
  }

  @Test
  @DisplayName("read-only: no Disconnect is offered, and one sent anyway does nothing")
  void readonly() {
    start(config -> config.with(ConfigKey.ADMIN_UI_READONLY, "true"));
    ChatClient alice = gateway.connect("alice");
    AdminClient admin = login();
    assertEquals(new JsonArray().add("AGGREGATED_EVENTS").add("ALL_EVENTS"),
        admin.next("config", a -> true).getJsonObject(0).getJsonArray("supportedFeatures"));
    String aliceId = socketOf(admin.next("all_sockets", a -> true).getJsonArray(0), "alice").getString("id");

    admin.emit("_disconnect", "/", false, aliceId);
    // Then a request of alice's that is answered: the _disconnect, sent first, was dropped.
    assertTrue(alice.request("join-room", new JsonObject().put("roomId", "r3")).getBoolean("ok"));
    admin.next("room_joined", a -> a.getString(1).equals("room:r3"));
    assertTrue(alice.connected());
  }

  private static JsonObject socketOf(JsonArray sockets, String user) {
    return sockets.stream().map(JsonObject.class::cast)
        .filter(s -> user.equals(s.getJsonObject("data").getString("userId"))).findFirst()
        .orElseThrow(() -> new AssertionError("no socket of " + user + " in " + sockets.encode()));
  }

  /** The official Java client on /admin (polling then WebSocket, as the UI), keeping every event it receives. */
  private static final class AdminClient implements AutoCloseable {
    private final Socket socket;
    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    private final Map<String, BlockingQueue<JsonArray>> events = new java.util.concurrent.ConcurrentHashMap<>();

    AdminClient(String url, Map<String, Object> auth) {
      IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false).setAuth(toStrings(auth)).build();
      socket = IO.socket(URI.create(url), options);
      socket.onAnyIncoming(args -> queue((String) args[0]).add(json(Arrays.copyOfRange(args, 1, args.length))));
      socket.once(Socket.EVENT_CONNECT, args -> outcome.complete("connected"));
      socket.once(Socket.EVENT_CONNECT_ERROR, args -> outcome.complete(
          args.length > 0 && args[0] instanceof JSONObject error ? error.optString("message") : Arrays.toString(args)));
      socket.connect();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String> toStrings(Map<String, Object> auth) {
      return (Map) auth;
    }

    String outcome() {
      try {
        return outcome.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("no answer to CONNECT", e);
      }
    }

    void emit(String event, Object... args) {
      socket.emit(event, args);
    }

    /** The first {@code event} (its arguments) that matches, skipping the others. */
    JsonArray next(String event, Predicate<JsonArray> match) {
      long deadline = System.currentTimeMillis() + Await.TIMEOUT_MS;
      try {
        while (true) {
          JsonArray args = queue(event).poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
          if (args == null) {
            throw new AssertionError("no matching " + event + "; events seen: " + events.keySet());
          }
          if (match.test(args)) {
            return args;
          }
        }
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    private BlockingQueue<JsonArray> queue(String event) {
      return events.computeIfAbsent(event, e -> new LinkedBlockingQueue<>());
    }

    private static JsonArray json(Object[] args) {
      return new JsonArray(new JSONArray(Arrays.asList(args)).toString());
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
