package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.NotificationPolicyRequest;
import io.switchboard.common.chat.NotificationPolicyState;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.webhooks.Signatures;
import io.switchboard.message.webhooks.WebhookApi;
import io.switchboard.message.webhooks.WebhookDispatcher;
import io.switchboard.message.webhooks.WebhookSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outbound webhooks (docs/operations.md, "Webhooks") on a real Postgres, to a real HTTP receiver
 * started here: what a receiver checks (signature, event id, recipients), retries with backoff, dead
 * letters and redelivery, the address guard. Presence is a stub on the event bus: who is online per room.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Webhooks from message-service")
class WebhooksTest {
  private static final long BACKOFF_MS = 200;
  private static final int MAX_ATTEMPTS = 3;
  private static Pool db;
  private static HttpServer receiver;
  private static MessageServiceConfig service;
  /** Users online per room, as the stub presence-service answers. */
  private static final Map<String, List<String>> online = new ConcurrentHashMap<>();
  /** Of those, the users away per room, since when (epoch ms). */
  private static final Map<String, Map<String, Long>> away = new ConcurrentHashMap<>();
  /** Requests received, per tenant (the first segment of the path). */
  private static final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();
  /** Tenants whose "down" endpoint answers 500. */
  private static final Set<String> down = ConcurrentHashMap.newKeySet();
  private static final Map<String, Integer> seen = new ConcurrentHashMap<>();
  private static final Map<String, java.util.concurrent.atomic.AtomicInteger> open = new ConcurrentHashMap<>();
  private static final Map<String, Integer> mostOpen = new ConcurrentHashMap<>();
  /** Requests of the "hold" endpoints, never answered. */
  private static final List<HttpServerRequest> held = new java.util.concurrent.CopyOnWriteArrayList<>();

  record Received(String mode, String eventId, String signature, int attempt, JsonObject body, String rawBody, long atMs) {}

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    BusCodecs.register(vertx);
    await(vertx.eventBus().<PresenceQuery>consumer(Addresses.PRESENCE_QUERY,
        msg -> msg.reply(new RoomPresence(msg.body().roomId(), online.getOrDefault(msg.body().roomId(), List.of()),
            away.get(msg.body().roomId()))))
        .completion());
    receiver = await(vertx.createHttpServer().requestHandler(WebhooksTest::receive).listen(0, "127.0.0.1"));
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0)
        .with(ConfigKey.WEBHOOKS_POLL_MS, 50).with(ConfigKey.WEBHOOKS_BACKOFF_MS, BACKOFF_MS)
        .with(ConfigKey.WEBHOOKS_MAX_ATTEMPTS, MAX_ATTEMPTS).with(ConfigKey.WEBHOOKS_TIMEOUT_MS, 500)
        .with(ConfigKey.WEBHOOKS_ALLOW_PRIVATE, true);
    service = MessageServiceConfig.from(config);
    await(vertx.deployVerticle(new MessageServiceVerticle(service)));
    db = PgBuilder.pool().connectingTo(service.postgres()).using(vertx).build();
  }

  @AfterAll
  static void close() throws Exception {
    await(receiver.close());
  }

  /**
   * /tenant/mode: ok (200), flaky (500 twice per event, then 200), slow (no answer the first time),
   * down (500 while down), redirect (302 to ok), huge (200 with 8 MB), hold and busy (no answer ever).
   */
  private static void receive(HttpServerRequest request) {
    long at = System.currentTimeMillis();
    String[] path = request.path().split("/");
    String tenant = path[1];
    String mode = path[2];
    request.body().onSuccess(body -> {
      String eventId = request.getHeader("Switchboard-Event-Id");
      received.computeIfAbsent(tenant, t -> new LinkedBlockingQueue<>()).add(new Received(mode, eventId,
          request.getHeader(Signatures.HEADER), Integer.parseInt(request.getHeader("Switchboard-Attempt")),
          body.toJsonObject(), body.toString(), at));
      int times = seen.merge(eventId, 1, Integer::sum);
      switch (mode) {
        case "flaky" -> request.response().setStatusCode(times <= 2 ? 500 : 200).end();
        case "slow" -> {
          if (times > 1) {
            request.response().end();
          }
        }
        case "down" -> request.response().setStatusCode(down.contains(tenant) ? 500 : 200).end();
        case "redirect" -> request.response().setStatusCode(302).putHeader("Location", "/" + tenant + "/ok").end();
        case "huge" -> request.response().end(io.vertx.core.buffer.Buffer.buffer(new byte[8 * 1024 * 1024]));
        case "hold" -> held.add(request);
        case "busy" -> {
          // Never answered; counted open until the dispatcher gives up on it (its timeout closes it).
          int now = open.computeIfAbsent(tenant, t -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
          mostOpen.merge(tenant, now, Math::max);
          request.connection().closeHandler(v -> open.get(tenant).decrementAndGet());
        }
        default -> request.response().end("thanks");
      }
    });
  }

  private static Received next(String tenant) throws InterruptedException {
    Received r = received.computeIfAbsent(tenant, t -> new LinkedBlockingQueue<>()).poll(15, TimeUnit.SECONDS);
    assertNotNull(r, "a request to the receiver of " + tenant);
    return r;
  }

  private static String tenant() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonObject manage(Vertx vertx, JsonObject request) throws Exception {
    return ask(vertx, Addresses.CHAT_WEBHOOKS_MANAGE, request);
  }

  private static JsonObject endpoint(Vertx vertx, String tenant, String mode) throws Exception {
    return manage(vertx, new JsonObject().put("action", "create-endpoint").put("tenant", tenant)
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/" + tenant + "/" + mode)
        .put("events", new JsonArray().add("message.created")));
  }

  /** A room of alice's with bob and carol, carol online in it. */
  private static Room room(Vertx vertx, String tenant) throws Exception {
    Room room = ask(vertx, Addresses.ROOM_CREATE,
        new CreateRoomRequest(new Sender(tenant, "alice", "Alice"), "team", "group", "optimistic", List.of("bob", "carol")));
    online.put(room.id(), List.of("alice", "carol"));
    return room;
  }

  private static PersistResult send(Vertx vertx, String tenant, Room room, String body) throws Exception {
    return ask(vertx, Addresses.MESSAGE_PERSIST, new PersistRequest(new Sender(tenant, "alice", "Alice"), room.id(),
        UUID.randomUUID().toString(), body, null, null, null, "t"));
  }

  /** What a receiver does: the header's time and the v1 signatures, one of which must match. */
  private static boolean verifies(Received r, String secret) {
    String t = null;
    List<String> v1 = new ArrayList<>();
    for (String part : r.signature().split(",")) {
      String[] kv = part.split("=", 2);
      if (kv[0].equals("t")) {
        t = kv[1];
      } else if (kv[0].equals("v1")) {
        v1.add(kv[1]);
      }
    }
    assertNotNull(t);
    assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) < 300, "a fresh timestamp");
    return v1.contains(Signatures.hmac(secret, t + "." + r.rawBody()));
  }

  private static String state(String eventId) throws Exception {
    return await(db.preparedQuery("SELECT state FROM webhook_deliveries WHERE id = $1").execute(Tuple.of(UUID.fromString(eventId))))
        .iterator().next().getString(0);
  }

  @Test
  @DisplayName("a member away for longer than NOTIFY_AWAY_AFTER_SECONDS (300 s) is told as if offline; one away for less is not")
  void awayMembers(Vertx vertx) throws Exception {
    String tenant = tenant();
    endpoint(vertx, tenant, "ok");
    Room room = room(vertx, tenant);
    online.put(room.id(), List.of("alice", "bob", "carol"));
    long now = System.currentTimeMillis();
    away.put(room.id(), Map.of("bob", now - 301_000, "carol", now - 10_000));

    send(vertx, tenant, room, "are you there?");
    Received r = next(tenant);
    assertEquals(List.of("bob"), r.body().getJsonObject("data").getJsonArray("recipients").getList(),
        "bob is away for longer than the delay; carol only for 10 s");

    away.put(room.id(), Map.of("carol", now - 10_000));
    send(vertx, tenant, room, "bob is back");
    awaitOutboxEmpty(vertx, tenant);
    away.put(room.id(), Map.of("carol", now - 400_000));
    send(vertx, tenant, room, "carol now");
    Received last = next(tenant);
    assertEquals("carol now", last.body().getJsonObject("data").getJsonObject("message").getString("body"),
        "nothing while bob is back and carol away for less than the delay");
    assertEquals(List.of("carol"), last.body().getJsonObject("data").getJsonArray("recipients").getList());
    away.remove(room.id());
  }

  @Test
  @DisplayName("NOTIFY_AWAY_AFTER_SECONDS 0: an away member is never told; the delay counts from awaySince")
  void awayPredicate() {
    RoomPresence presence = new RoomPresence("r1", List.of("alice", "bob"), Map.of("bob", 1_000_000L));
    assertEquals(Set.of("alice", "bob"), WebhookDispatcher.reachable(presence, 0, 99_000_000L));
    assertEquals(Set.of("alice", "bob"), WebhookDispatcher.reachable(presence, 300, 1_300_000L), "300 s, not more");
    assertEquals(Set.of("alice"), WebhookDispatcher.reachable(presence, 300, 1_301_000L));
  }

  @Test
  @DisplayName("a message reaches the endpoint signed with its secret, with an event id, for the members offline only; after a rotation both secrets verify")
  void signedForOfflineMembers(Vertx vertx) throws Exception {
    String tenant = tenant();
    JsonObject endpoint = endpoint(vertx, tenant, "ok");
    String secret = endpoint.getString("secret");
    Room room = room(vertx, tenant);
    PersistResult stored = send(vertx, tenant, room, "hello bob");

    Received r = next(tenant);
    assertTrue(verifies(r, secret), "the signature verifies with the endpoint's secret");
    assertTrue(!verifies(r, "whsec_wrong"), "and not with another");
    assertEquals(r.eventId(), r.body().getString("id"));
    assertEquals("message.created", r.body().getString("type"));
    assertEquals(tenant, r.body().getString("tenant"));
    JsonObject data = r.body().getJsonObject("data");
    assertEquals(room.id(), data.getString("roomId"));
    assertEquals(stored.message().id(), data.getJsonObject("message").getString("id"));
    assertEquals("hello bob", data.getJsonObject("message").getString("body"));
    assertEquals(List.of("bob"), data.getJsonArray("recipients").getList(), "not the sender, not carol who is online");

    JsonObject rotated = manage(vertx, new JsonObject().put("action", "rotate-secret").put("tenant", tenant)
        .put("id", endpoint.getString("id")));
    send(vertx, tenant, room, "after the rotation");
    Received after = next(tenant);
    assertTrue(verifies(after, rotated.getString("secret")), "the new secret verifies");
    assertTrue(verifies(after, secret), "the previous one still does, during the grace period");
    assertTrue(!r.eventId().equals(after.eventId()));

    online.put(room.id(), List.of("alice", "bob", "carol"));
    send(vertx, tenant, room, "everyone is here");
    awaitOutboxEmpty(vertx, tenant);  // who is online is asked when the outbox row is expanded
    online.put(room.id(), List.of("alice", "carol"));
    send(vertx, tenant, room, "bob left again");
    Received last = next(tenant);
    assertEquals("bob left again", last.body().getJsonObject("data").getJsonObject("message").getString("body"),
        "nothing for a message every member saw");
    awaitState(vertx, last.eventId(), "delivered");
    assertEquals(List.of(), new ArrayList<>(received.get(tenant)), "each event once");

    JsonArray listed = manage(vertx, new JsonObject().put("action", "list-endpoints").put("tenant", tenant))
        .getJsonArray("endpoints");
    assertEquals(1, listed.size());
    assertNull(listed.getJsonObject(0).getValue("secret"), "secrets are shown at creation and rotation only");
    assertEquals(List.of(), manage(vertx, new JsonObject().put("action", "list-endpoints").put("tenant", tenant()))
        .getJsonArray("endpoints").getList(), "another tenant sees none of them");
  }

  private static NotificationPolicyState policy(Vertx vertx, String tenant, String user, String roomId, String level,
      boolean setLevel, String mutedUntil, boolean setMute) throws Exception {
    return ask(vertx, Addresses.NOTIFICATION_POLICY, new NotificationPolicyRequest(new Sender(tenant, user, user), roomId, true,
        setLevel, level, setMute, mutedUntil));
  }

  @Test
  @DisplayName("notification policies decide which offline members are told: all, mentions only, none, muted; a mention event for those mentioned")
  void policies(Vertx vertx) throws Exception {
    String tenant = tenant();
    manage(vertx, new JsonObject().put("action", "create-endpoint").put("tenant", tenant)
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/" + tenant + "/ok")
        .put("events", new JsonArray().add("message.created").add("mention")));
    Room room = ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(new Sender(tenant, "alice", "Alice"), "team", "group",
        "optimistic", List.of("bob", "carol", "dave", "erin", "fred")));
    online.put(room.id(), List.of("alice", "fred"));
    policy(vertx, tenant, "bob", null, "mentions", true, null, false);
    policy(vertx, tenant, "carol", room.id(), "none", true, null, false);
    policy(vertx, tenant, "dave", room.id(), null, false, java.time.Instant.now().plusSeconds(3600).toString(), true);
    // erin: no policy (all); fred: mentioned but online.

    send(vertx, tenant, room, "@bob @carol @dave @fred ship it");
    Map<String, JsonObject> byType = new java.util.HashMap<>();
    for (int i = 0; i < 2; i++) {
      Received r = next(tenant);
      byType.put(r.body().getString("type"), r.body().getJsonObject("data"));
    }
    assertEquals(List.of("bob", "erin"), byType.get("message.created").getJsonArray("recipients").getList(),
        "bob for a mention of him, erin for every message; not carol (none), dave (muted), fred (online)");
    assertEquals(List.of("bob"), byType.get("mention").getJsonArray("recipients").getList());
    assertEquals(List.of("bob", "carol", "dave", "fred"),
        byType.get("mention").getJsonObject("message").getJsonObject("mentions").getJsonArray("users").getList());

    send(vertx, tenant, room, "no mention");
    Received plain = next(tenant);
    assertEquals("message.created", plain.body().getString("type"));
    assertEquals(List.of("erin"), plain.body().getJsonObject("data").getJsonArray("recipients").getList(),
        "bob wants mentions only");

    policy(vertx, tenant, "dave", room.id(), null, false, null, true);
    policy(vertx, tenant, "erin", null, "none", true, null, false);
    policy(vertx, tenant, "erin", room.id(), "all", true, null, false);
    send(vertx, tenant, room, "@room after the changes");
    byType.clear();
    for (int i = 0; i < 2; i++) {
      Received r = next(tenant);
      byType.put(r.body().getString("type"), r.body().getJsonObject("data"));
    }
    assertEquals(List.of("bob", "dave", "erin"), byType.get("message.created").getJsonArray("recipients").getList(),
        "dave unmuted; erin's room says all over her default's none; carol's room still none");
    assertEquals(List.of("bob", "dave", "erin"), byType.get("mention").getJsonArray("recipients").getList());
    awaitOutboxEmpty(vertx, tenant);
    assertEquals(List.of(), new ArrayList<>(received.get(tenant)), "each event once");
  }

  @Test
  @DisplayName("policies are read and set per user and room, as stored and as they apply; bad input is refused with the contract's codes")
  void policyRequests(Vertx vertx) throws Exception {
    String tenant = tenant();
    Room room = room(vertx, tenant);
    Sender bob = new Sender(tenant, "bob", "Bob");
    NotificationPolicyState fresh = ask(vertx, Addresses.NOTIFICATION_POLICY, NotificationPolicyRequest.get(bob, null));
    assertEquals(new NotificationPolicyState(null, "all", null, "all", null), fresh, "all by default");
    String until = java.time.Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    policy(vertx, tenant, "bob", null, "mentions", true, null, false);
    NotificationPolicyState inRoom = policy(vertx, tenant, "bob", room.id(), null, false, until, true);
    assertEquals(new NotificationPolicyState(room.id(), null, until, "mentions", until), inRoom,
        "the room only mutes: its level is the default's");
    inRoom = policy(vertx, tenant, "bob", room.id(), "all", true, null, false);
    assertEquals(new NotificationPolicyState(room.id(), "all", until, "all", until), inRoom, "the mute is kept when not given");
    assertEquals(new NotificationPolicyState(null, "mentions", null, "mentions", null),
        ask(vertx, Addresses.NOTIFICATION_POLICY, NotificationPolicyRequest.get(bob, null)), "the default is its own");
    assertEquals(new NotificationPolicyState(room.id(), null, null, "mentions", null),
        policy(vertx, tenant, "bob", room.id(), null, true, null, true), "null: as the default, unmuted");
    assertEquals(new NotificationPolicyState(null, "all", null, "all", null),
        ask(vertx, Addresses.NOTIFICATION_POLICY, NotificationPolicyRequest.get(new Sender(tenant(), "bob", "Bob"), null)),
        "the same user id in another tenant is someone else");

    String past = java.time.Instant.now().minusSeconds(1).toString();
    String far = java.time.Instant.now().plus(400, java.time.temporal.ChronoUnit.DAYS).toString();
    for (NotificationPolicyRequest bad : List.of(
        new NotificationPolicyRequest(bob, null, true, true, "loud", false, null),
        new NotificationPolicyRequest(bob, null, true, true, null, false, null),
        new NotificationPolicyRequest(bob, null, true, false, null, false, null),
        new NotificationPolicyRequest(bob, room.id(), true, false, null, true, past),
        new NotificationPolicyRequest(bob, room.id(), true, false, null, true, far),
        new NotificationPolicyRequest(bob, room.id(), true, false, null, true, "tomorrow"))) {
      assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.NOTIFICATION_POLICY, bad), bad.toString());
    }
    Room others = ask(vertx, Addresses.ROOM_CREATE,
        new CreateRoomRequest(new Sender(tenant, "eve", "Eve"), "private", "group", "optimistic", List.of()));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.NOTIFICATION_POLICY, NotificationPolicyRequest.get(bob, others.id())));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.NOTIFICATION_POLICY,
        NotificationPolicyRequest.get(new Sender(tenant(), "bob", "Bob"), room.id())));
  }

  @Test
  @DisplayName("500s and a timeout are retried with the same event id after a doubling backoff")
  void retries(Vertx vertx) throws Exception {
    String tenant = tenant();
    endpoint(vertx, tenant, "flaky");
    Room room = room(vertx, tenant);
    send(vertx, tenant, room, "retry me");
    Received first = next(tenant);
    Received second = next(tenant);
    Received third = next(tenant);
    assertEquals(List.of(first.eventId(), first.eventId()), List.of(second.eventId(), third.eventId()),
        "one event, three attempts");
    assertEquals(List.of(1, 2, 3), List.of(first.attempt(), second.attempt(), third.attempt()));
    assertTrue(second.atMs() - first.atMs() >= BACKOFF_MS, "the first retry waits the backoff");
    assertTrue(third.atMs() - second.atMs() >= 2 * BACKOFF_MS, "the second twice as long");
    awaitState(vertx, first.eventId(), "delivered");

    String slow = tenant();
    endpoint(vertx, slow, "slow");
    send(vertx, slow, room(vertx, slow), "take your time");
    Received unanswered = next(slow);
    Received again = next(slow);
    assertEquals(unanswered.eventId(), again.eventId());
    assertTrue(again.atMs() - unanswered.atMs() >= 500 + BACKOFF_MS, "retried after the timeout and the backoff");
    awaitState(vertx, again.eventId(), "delivered");
  }

  @Test
  @DisplayName("after the last attempt a delivery is a dead letter, listed for its tenant; redelivered, it arrives with its event id")
  void deadLetterAndRedelivery(Vertx vertx) throws Exception {
    String tenant = tenant();
    down.add(tenant);
    endpoint(vertx, tenant, "down");
    send(vertx, tenant, room(vertx, tenant), "nobody home");
    String eventId = next(tenant).eventId();
    for (int attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      assertEquals(eventId, next(tenant).eventId());
    }
    awaitState(vertx, eventId, "dead");
    JsonArray dead = manage(vertx, new JsonObject().put("action", "list-dead-letters").put("tenant", tenant))
        .getJsonArray("deadLetters");
    assertEquals(1, dead.size());
    assertEquals(eventId, dead.getJsonObject(0).getString("id"));
    assertEquals(MAX_ATTEMPTS, dead.getJsonObject(0).getInteger("attempts"));
    assertEquals(500, dead.getJsonObject(0).getInteger("lastStatus"));
    assertEquals(ErrorCode.NOT_FOUND.name(), codeOf(vertx, Addresses.CHAT_WEBHOOKS_MANAGE,
        new JsonObject().put("action", "redeliver").put("tenant", tenant()).put("id", eventId)), "not another tenant's");

    down.remove(tenant);
    manage(vertx, new JsonObject().put("action", "redeliver").put("tenant", tenant).put("id", eventId));
    Received redelivered = next(tenant);
    assertEquals(eventId, redelivered.eventId());
    assertEquals(1, redelivered.attempt());
    awaitState(vertx, eventId, "delivered");
    assertEquals(List.of(), manage(vertx, new JsonObject().put("action", "list-dead-letters").put("tenant", tenant))
        .getJsonArray("deadLetters").getList());
  }

  @Test
  @DisplayName("bad endpoints: a redirect is not followed and an unreachable one fails, both dead letters; an 8 MB answer is cut off; one that never answers delays no other")
  void badEndpoints(Vertx vertx) throws Exception {
    String tenant = tenant();
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JsonObject unreachable = manage(vertx, new JsonObject().put("action", "create-endpoint").put("tenant", tenant)
        .put("url", "http://127.0.0.1:" + closedPort + "/" + tenant + "/ok").put("events", new JsonArray().add("message.created")));
    JsonObject redirect = endpoint(vertx, tenant, "redirect");
    endpoint(vertx, tenant, "huge");
    endpoint(vertx, tenant, "hold");
    endpoint(vertx, tenant, "ok");
    int heldBefore = held.size();
    send(vertx, tenant, room(vertx, tenant), "to everyone who listens");

    Map<String, List<Received>> byMode = new java.util.HashMap<>();
    while (byMode.getOrDefault("ok", List.of()).isEmpty() || byMode.getOrDefault("huge", List.of()).isEmpty()) {
      Received r = next(tenant);
      byMode.computeIfAbsent(r.mode(), m -> new ArrayList<>()).add(r);
    }
    awaitState(vertx, byMode.get("ok").get(0).eventId(), "delivered");
    assertTrue(held.size() > heldBefore, "delivered while the endpoint that never answers still holds its request");
    awaitState(vertx, byMode.get("huge").get(0).eventId(), "delivered");

    String holdId = holdId(vertx, tenant);
    long deadline = System.currentTimeMillis() + 15_000;
    JsonArray dead;
    do {
      assertTrue(System.currentTimeMillis() < deadline, "the redirect and the unreachable endpoint's deliveries die");
      await(vertx.timer(50));
      dead = manage(vertx, new JsonObject().put("action", "list-dead-letters").put("tenant", tenant)).getJsonArray("deadLetters");
    } while (dead.stream().filter(d -> !((JsonObject) d).getString("endpointId").equals(holdId)).count() < 2);
    for (Object letter : dead) {
      JsonObject d = (JsonObject) letter;
      if (d.getString("endpointId").equals(redirect.getString("id"))) {
        assertEquals(302, d.getInteger("lastStatus"));
      } else if (d.getString("endpointId").equals(unreachable.getString("id"))) {
        assertNull(d.getInteger("lastStatus"));
        assertNotNull(d.getString("lastError"));
      }
    }
    List<Received> rest = new ArrayList<>(received.get(tenant));
    assertEquals(1, byMode.get("ok").size() + rest.stream().filter(r -> r.mode().equals("ok")).count(),
        "the ok endpoint's own request only: the redirect to it was not followed");
  }

  private static String holdId(Vertx vertx, String tenant) throws Exception {
    return manage(vertx, new JsonObject().put("action", "list-endpoints").put("tenant", tenant)).getJsonArray("endpoints")
        .stream().map(JsonObject.class::cast).filter(e -> e.getString("url").endsWith("/hold")).findFirst().orElseThrow()
        .getString("id");
  }

  @Test
  @DisplayName("a change of a room reaches the endpoints that want room.changed, with what changed and who did it")
  void roomChanged(Vertx vertx) throws Exception {
    String tenant = tenant();
    manage(vertx, new JsonObject().put("action", "create-endpoint").put("tenant", tenant)
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/" + tenant + "/ok")
        .put("events", new JsonArray().add("room.changed")));
    Room room = room(vertx, tenant);
    ask(vertx, Addresses.ROOM_CHANGE, new io.switchboard.common.chat.RoomChange(new Sender(tenant, "alice", "Alice"), room.id(),
        io.switchboard.common.chat.RoomChange.Action.UPDATE, "renamed", null, null));
    send(vertx, tenant, room, "not for this endpoint");
    ask(vertx, Addresses.ROOM_CHANGE, new io.switchboard.common.chat.RoomChange(new Sender(tenant, "alice", "Alice"), room.id(),
        io.switchboard.common.chat.RoomChange.Action.ARCHIVE, null, null, null));

    List<JsonObject> changes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Received r = next(tenant);
      assertEquals("room.changed", r.body().getString("type"));
      changes.add(r.body().getJsonObject("data"));
    }
    changes.sort(java.util.Comparator.comparing(d -> d.getLong("seq")));
    assertEquals(room.id(), changes.get(0).getString("roomId"));
    assertEquals("alice", changes.get(0).getString("actorId"));
    assertEquals("renamed", changes.get(0).getJsonObject("detail").getString("name"), changes.get(0).encode());
    assertNotNull(changes.get(1).getString("action"));
    assertTrue(!changes.get(0).getString("action").equals(changes.get(1).getString("action")), changes.toString());
  }

  @Test
  @DisplayName("a user's status transitions, as presence-service sends them, reach the endpoints that want user.online or user.offline, signed")
  void userStatus(Vertx vertx) throws Exception {
    String tenant = tenant();
    JsonObject statuses = manage(vertx, new JsonObject().put("action", "create-endpoint").put("tenant", tenant)
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/" + tenant + "/ok")
        .put("events", new JsonArray().add("user.online").add("user.offline")));
    JsonObject messagesOnly = endpoint(vertx, tenant, "huge");
    vertx.eventBus().send(Addresses.WEBHOOKS_USER_STATUS, new JsonObject().put("tenant", tenant).put("userId", "bob")
        .put("status", "online").put("at", "2026-12-07T07:00:00Z"));
    vertx.eventBus().send(Addresses.WEBHOOKS_USER_STATUS, new JsonObject().put("tenant", tenant()).put("userId", "bob")
        .put("status", "offline").put("at", "2026-12-07T07:00:01Z"));
    vertx.eventBus().send(Addresses.WEBHOOKS_USER_STATUS, new JsonObject().put("tenant", tenant).put("userId", "bob")
        .put("status", "offline").put("at", "2026-12-07T07:00:02Z"));

    List<JsonObject> got = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Received r = next(tenant);
      assertEquals("ok", r.mode(), "not the endpoint for message.created");
      assertTrue(verifies(r, statuses.getString("secret")));
      assertEquals(r.eventId(), r.body().getString("id"));
      got.add(r.body());
    }
    got.sort(java.util.Comparator.comparing(b -> b.getJsonObject("data").getString("at")));
    assertEquals(List.of("user.online", "user.offline"), got.stream().map(b -> b.getString("type")).toList());
    assertEquals(new JsonObject().put("userId", "bob").put("status", "online").put("at", "2026-12-07T07:00:00Z"),
        got.get(0).getJsonObject("data"));
    assertEquals(tenant, got.get(1).getString("tenant"));
    assertEquals(0L, await(db.preparedQuery("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1")
        .execute(Tuple.of(UUID.fromString(messagesOnly.getString("id"))))).iterator().next().getLong(0));
  }

  @Test
  @DisplayName("an endpoint has at most WEBHOOKS_CONCURRENCY requests open, and that many while it has that much to do")
  void concurrencyPerEndpoint(Vertx vertx) throws Exception {
    String tenant = tenant();
    endpoint(vertx, tenant, "busy");
    Room room = room(vertx, tenant);
    for (int i = 0; i < 8; i++) {
      send(vertx, tenant, room, "m" + i);
    }
    Set<String> events = new HashSet<>();
    while (events.size() < 8) {
      events.add(next(tenant).eventId());
    }
    assertEquals(service.webhooks().concurrency(), mostOpen.get(tenant), "4 at once, never more");
  }

  @Test
  @DisplayName("two dispatchers at once (two processes) deliver each event once")
  void twoDispatchers(Vertx vertx) throws Exception {
    String tenant = tenant();
    endpoint(vertx, tenant, "ok");
    Room room = room(vertx, tenant);
    WebhookDispatcher other = new WebhookDispatcher(vertx, db, service.webhooks(), new SimpleMeterRegistry());
    other.start();
    try {
      for (int i = 0; i < 20; i++) {
        send(vertx, tenant, room, "m" + i);
      }
      Set<String> ids = new HashSet<>();
      Set<String> bodies = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        Received r = next(tenant);
        assertTrue(ids.add(r.eventId()), "no event twice");
        bodies.add(r.body().getJsonObject("data").getJsonObject("message").getString("body"));
        awaitState(vertx, r.eventId(), "delivered");
      }
      assertEquals(20, bodies.size(), "one event per message");
      assertEquals(List.of(), new ArrayList<>(received.get(tenant)), "and nothing more");
    } finally {
      await(other.stop());
    }
  }

  @Test
  @DisplayName("by default an endpoint on a loopback, private or link-local address is refused; a bad URL or event too")
  void addressGuard(Vertx vertx) throws Exception {
    WebhookSettings strict = new WebhookSettings(1000, 1000, 3, 1000, 1, 1, false, 60);
    WebhookApi api = new WebhookApi(vertx, db, strict);
    String tenant = tenant();
    for (String url : List.of("http://127.0.0.1:" + receiver.actualPort() + "/x", "http://localhost/x", "http://10.1.2.3/",
        "http://192.168.0.10/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://0.0.0.0/",
        "ftp://example.com/", "http://user:pw@example.com/", "not a url")) {
      Throwable refused = failureOf(api, new JsonObject().put("action", "create-endpoint").put("tenant", tenant)
          .put("url", url).put("events", new JsonArray().add("message.created")));
      assertEquals(ErrorCode.VALIDATION_ERROR, ServiceException.codeOf(refused), url);
    }
    Throwable badEvent = failureOf(api, new JsonObject().put("action", "create-endpoint").put("tenant", tenant)
        .put("url", "http://127.0.0.1/").put("events", new JsonArray().add("everything")));
    assertEquals(ErrorCode.VALIDATION_ERROR, ServiceException.codeOf(badEvent));
    assertEquals(List.of(), await(api.manage(new JsonObject().put("action", "list-endpoints").put("tenant", tenant)))
        .getJsonArray("endpoints").getList());
  }

  @Test
  @DisplayName("tenant and room ids compare byte by byte in the tables of the batched write, so that its probe of webhook_endpoints is an index scan")
  void identifiersByteOrder() throws Exception {
    List<String> others = new ArrayList<>();
    await(db.query("SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'"
        + " AND table_name IN ('rooms', 'room_members', 'messages', 'webhook_endpoints', 'webhook_outbox')"
        + " AND data_type = 'text' AND column_name IN ('tenant_id', 'room_id') AND coalesce(collation_name, '') <> 'C'"
        + " ORDER BY 1").execute()).forEach(row -> others.add(row.getString(0)));
    assertEquals(List.of(), others, "a collation other than C makes the write's comparison skip the index");
    assertTrue(await(db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'webhook_outbox'"
        + " AND column_name = 'room_id' AND collation_name = 'C'").execute()).iterator().next().getLong(0) == 1);
  }

  private static Throwable failureOf(WebhookApi api, JsonObject request) throws Exception {
    try {
      return await(api.manage(request).map(ok -> (Throwable) new AssertionError("accepted: " + ok))
          .recover(io.vertx.core.Future::succeededFuture));
    } catch (ServiceException thrown) {
      return thrown;
    }
  }

  private static void awaitOutboxEmpty(Vertx vertx, String tenant) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (await(db.preparedQuery("SELECT count(*) FROM webhook_outbox WHERE tenant_id = $1").execute(Tuple.of(tenant)))
        .iterator().next().getLong(0) > 0) {
      assertTrue(System.currentTimeMillis() < deadline, "the outbox of " + tenant + " is expanded");
      await(vertx.timer(20));
    }
  }

  /** Waits (by polling the table) until the delivery is in {@code state}. */
  private static void awaitState(Vertx vertx, String eventId, String expected) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (!expected.equals(state(eventId))) {
      assertTrue(System.currentTimeMillis() < deadline, "delivery " + eventId + " becomes " + expected);
      await(vertx.timer(20));
    }
  }
}
