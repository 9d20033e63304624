package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.NotificationPolicyRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.PushSubscriptionRequest;
import io.switchboard.common.chat.PushSubscriptionState;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.webhooks.PushSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Web Push (docs/protocol.md "Web Push") on a real Postgres, to a push service served here over HTTP.
 * The test plays the browser: it makes a P-256 key pair and an auth secret, registers them as a
 * subscription, and decrypts what arrives by RFC 8291 (written here from the RFC, not the library's
 * code), checking the VAPID token (RFC 8292) against the configured public key. Presence is a stub.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Web Push from message-service")
class WebPushTest {
  private static final long BACKOFF_MS = 300;
  private static final String SUBJECT = "mailto:ops@example.com";
  private static final String[] VAPID = PushSettings.generate();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
  private static Pool db;
  private static HttpServer pushService;
  private static final Map<String, List<String>> online = new ConcurrentHashMap<>();
  /** Requests received by the push service, per subscription (the last path segment). */
  private static final Map<String, BlockingQueue<Pushed>> received = new ConcurrentHashMap<>();
  private static final Map<String, Integer> seen = new ConcurrentHashMap<>();

  record Pushed(String mode, Map<String, String> headers, byte[] body, long atMs) {}

  /** A browser's subscription: its key pair and auth secret, and the endpoint its push service gave it. */
  record Browser(String id, KeyPair keys, byte[] auth, String endpoint) {
    String p256dh() {
      return B64.encodeToString(uncompressed((ECPublicKey) keys.getPublic()));
    }
  }

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    BusCodecs.register(vertx);
    await(vertx.eventBus().<PresenceQuery>consumer(Addresses.PRESENCE_QUERY,
        msg -> msg.reply(new RoomPresence(msg.body().roomId(), online.getOrDefault(msg.body().roomId(), List.of()), Map.of())))
        .completion());
    pushService = await(vertx.createHttpServer().requestHandler(WebPushTest::receive).listen(0, "127.0.0.1"));
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0)
        .with(ConfigKey.WEBHOOKS_POLL_MS, 50).with(ConfigKey.WEBHOOKS_BACKOFF_MS, BACKOFF_MS)
        .with(ConfigKey.WEBHOOKS_MAX_ATTEMPTS, 3).with(ConfigKey.WEBHOOKS_TIMEOUT_MS, 2000)
        .with(ConfigKey.WEBHOOKS_ALLOW_PRIVATE, true)
        .with(ConfigKey.VAPID_PUBLIC_KEY, VAPID[0]).with(ConfigKey.VAPID_PRIVATE_KEY, VAPID[1])
        .with(ConfigKey.VAPID_SUBJECT, SUBJECT);
    MessageServiceConfig service = MessageServiceConfig.from(config);
    await(vertx.deployVerticle(new MessageServiceVerticle(service)));
    db = PgBuilder.pool().connectingTo(service.postgres()).using(vertx).build();
  }

  /** /push/mode/id: ok (201), gone (410), flaky (500 the first time, then 201). */
  private static void receive(HttpServerRequest request) {
    long at = System.currentTimeMillis();
    String[] path = request.path().split("/");
    String mode = path[2];
    String id = path[3];
    request.body().onSuccess(body -> {
      Map<String, String> headers = new ConcurrentHashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      received.computeIfAbsent(id, k -> new LinkedBlockingQueue<>()).add(new Pushed(mode, headers, body.getBytes(), at));
      int times = seen.merge(id, 1, Integer::sum);
      int status = switch (mode) {
        case "gone" -> 410;
        case "flaky" -> times == 1 ? 500 : 201;
        default -> 201;
      };
      request.response().setStatusCode(status).end();
    });
  }

  private static Pushed next(Browser browser) throws InterruptedException {
    Pushed p = received.computeIfAbsent(browser.id(), k -> new LinkedBlockingQueue<>()).poll(15, TimeUnit.SECONDS);
    assertNotNull(p, "a push to " + browser.id());
    return p;
  }

  private static String tenant() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Browser browser(Vertx vertx, String tenant, String user, String mode) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    byte[] auth = new byte[16];
    new SecureRandom().nextBytes(auth);
    String id = UUID.randomUUID().toString();
    Browser browser = new Browser(id, generator.generateKeyPair(), auth,
        "http://127.0.0.1:" + pushService.actualPort() + "/push/" + mode + "/" + id);
    PushSubscriptionState state = ask(vertx, Addresses.PUSH_SUBSCRIPTION, new PushSubscriptionRequest(new Sender(tenant, user, user),
        PushSubscriptionRequest.REGISTER, browser.endpoint(), browser.p256dh(), B64.encodeToString(auth)));
    assertEquals(VAPID[0], state.publicKey());
    return browser;
  }

  private static Room room(Vertx vertx, String tenant, String kind, List<String> members) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(new Sender(tenant, "alice", "Alice"), "team", kind, "optimistic", members));
  }

  private static PersistResult send(Vertx vertx, String tenant, Room room, String body) throws Exception {
    return ask(vertx, Addresses.MESSAGE_PERSIST, new PersistRequest(new Sender(tenant, "alice", "Alice"), room.id(),
        UUID.randomUUID().toString(), body, null, null, null, "t"));
  }

  /** What the browser does with a push: the payload decrypted with its private key and auth secret (RFC 8291, RFC 8188). */
  static JsonObject decrypt(Browser browser, byte[] body) throws Exception {
    ByteBuffer in = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    in.get(salt);
    int recordSize = in.getInt();
    int idLength = in.get() & 0xff;
    assertEquals(65, idLength, "the key id is the push server's public key");
    byte[] serverKey = new byte[idLength];
    in.get(serverKey);
    byte[] ciphertext = new byte[in.remaining()];
    in.get(ciphertext);
    assertTrue(ciphertext.length <= recordSize, "one record");

    KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
    agreement.init(browser.keys().getPrivate());
    agreement.doPhase(publicKey(serverKey), true);
    byte[] ecdhSecret = agreement.generateSecret();
    byte[] prkKey = hmac(browser.auth(), ecdhSecret);
    byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uncompressed((ECPublicKey) browser.keys().getPublic()),
        serverKey, new byte[] {1});
    byte[] ikm = hmac(prkKey, keyInfo);
    byte[] prk = hmac(salt, ikm);
    byte[] cek = Arrays.copyOf(hmac(prk, concat("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 16);
    byte[] nonce = Arrays.copyOf(hmac(prk, concat("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 12);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = cipher.doFinal(ciphertext);
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    assertEquals(2, padded[end], "the last record's delimiter");
    return new JsonObject(new String(padded, 0, end, StandardCharsets.UTF_8));
  }

  /** What a push service does: the VAPID token signed by the configured key, for its origin, with the subject. */
  static void verifyVapid(Pushed pushed) throws Exception {
    String authorization = pushed.headers().get("authorization");
    assertNotNull(authorization);
    assertTrue(authorization.startsWith("vapid "), authorization);
    String token = null;
    String key = null;
    for (String part : authorization.substring(6).split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv[0].equals("t")) {
        token = kv[1];
      } else if (kv[0].equals("k")) {
        key = kv[1];
      }
    }
    assertEquals(VAPID[0], key);
    String[] jwt = token.split("\\.");
    JsonObject header = new JsonObject(new String(UNB64.decode(jwt[0]), StandardCharsets.UTF_8));
    assertEquals("ES256", header.getString("alg"));
    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initVerify(publicKey(UNB64.decode(VAPID[0])));
    es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(es256.verify(UNB64.decode(jwt[2])), "the VAPID token's signature");
    JsonObject claims = new JsonObject(new String(UNB64.decode(jwt[1]), StandardCharsets.UTF_8));
    assertEquals("http://127.0.0.1:" + pushService.actualPort(), claims.getString("aud"));
    assertEquals(SUBJECT, claims.getString("sub"));
    long exp = claims.getLong("exp");
    long now = System.currentTimeMillis() / 1000;
    assertTrue(exp > now && exp <= now + 24 * 3600, "expires within a day");
    assertEquals("aes128gcm", pushed.headers().get("content-encoding"));
    assertEquals("86400", pushed.headers().get("ttl"));
    assertEquals("high", pushed.headers().get("urgency"));
  }

  @Test
  @DisplayName("a direct message to an offline user reaches each of their subscriptions, encrypted for it and signed with VAPID")
  void directMessage(Vertx vertx) throws Exception {
    String tenant = tenant();
    Browser laptop = browser(vertx, tenant, "bob", "ok");
    Browser phone = browser(vertx, tenant, "bob", "ok");
    Room dm = room(vertx, tenant, "direct", List.of("bob"));
    PersistResult sent = send(vertx, tenant, dm, "are you there? " + "x".repeat(200));
    for (Browser browser : List.of(laptop, phone)) {
      Pushed pushed = next(browser);
      verifyVapid(pushed);
      JsonObject payload = decrypt(browser, pushed.body());
      assertEquals("direct", payload.getString("type"));
      assertEquals(dm.id(), payload.getString("roomId"));
      assertEquals(sent.message().id(), payload.getString("messageId"));
      assertEquals("Alice", payload.getString("title"));
      assertEquals("alice", payload.getString("senderId"));
      assertTrue(payload.getString("body").startsWith("are you there? xxx"), payload.encode());
      assertTrue(payload.getString("body").length() <= 121, "a preview, not the whole body");
    }
  }

  @Test
  @DisplayName("a mention is pushed to the offline member it names, not to an online one, nor for a plain message of a group")
  void mentionsOfflineOnly(Vertx vertx) throws Exception {
    String tenant = tenant();
    Browser bob = browser(vertx, tenant, "bob", "ok");
    Browser carol = browser(vertx, tenant, "carol", "ok");
    Room room = room(vertx, tenant, "group", List.of("bob", "carol"));
    online.put(room.id(), List.of("alice", "carol"));
    send(vertx, tenant, room, "plain message, no push for a group");
    PersistResult mention = send(vertx, tenant, room, "@bob and @carol, look");
    JsonObject payload = decrypt(bob, next(bob).body());
    assertEquals("mention", payload.getString("type"));
    assertEquals(mention.message().id(), payload.getString("messageId"), "the plain message was not pushed");
    // carol was online: the first push she gets is for a mention made once she is offline.
    online.put(room.id(), List.of("alice"));
    PersistResult sentinel = send(vertx, tenant, room, "@carol now");
    assertEquals(sentinel.message().id(), decrypt(carol, next(carol).body()).getString("messageId"),
        "carol got nothing while online");
  }

  @Test
  @DisplayName("policy none, and a mute, push nothing; mentions-only pushes a direct message only when it mentions")
  void policies(Vertx vertx) throws Exception {
    String tenant = tenant();
    Browser bob = browser(vertx, tenant, "bob", "ok");
    Room dm = room(vertx, tenant, "direct", List.of("bob"));
    policy(vertx, tenant, "bob", null, "none", false, null);
    send(vertx, tenant, dm, "@bob not pushed: none");
    awaitOutboxEmpty(vertx, tenant);
    policy(vertx, tenant, "bob", null, "mentions", false, null);
    send(vertx, tenant, dm, "not pushed: mentions only");
    awaitOutboxEmpty(vertx, tenant);
    PersistResult mention = send(vertx, tenant, dm, "@bob pushed");
    JsonObject first = decrypt(bob, next(bob).body());
    assertEquals(mention.message().id(), first.getString("messageId"), "nothing came before it");
    assertEquals("mention", first.getString("type"));
    policy(vertx, tenant, "bob", null, "all", true, java.time.Instant.now().plusSeconds(3600).toString());
    send(vertx, tenant, dm, "@bob not pushed: muted");
    awaitOutboxEmpty(vertx, tenant);
    policy(vertx, tenant, "bob", null, "all", true, null);
    PersistResult plain = send(vertx, tenant, dm, "pushed: all");
    JsonObject second = decrypt(bob, next(bob).body());
    assertEquals(plain.message().id(), second.getString("messageId"), "nothing while muted");
    assertEquals("direct", second.getString("type"));
  }

  @Test
  @DisplayName("a user who blocks the sender is not pushed their messages")
  void blocked(Vertx vertx) throws Exception {
    String tenant = tenant();
    Browser bob = browser(vertx, tenant, "bob", "ok");
    Room dm = room(vertx, tenant, "direct", List.of("bob"));
    Sender bobUser = new Sender(tenant, "bob", "bob");
    ask(vertx, Addresses.USER_BLOCK, new BlockChange(bobUser, BlockChange.Action.BLOCK, "alice"));
    send(vertx, tenant, dm, "@bob not pushed: blocked");
    awaitOutboxEmpty(vertx, tenant);
    ask(vertx, Addresses.USER_BLOCK, new BlockChange(bobUser, BlockChange.Action.UNBLOCK, "alice"));
    PersistResult after = send(vertx, tenant, dm, "pushed: unblocked");
    assertEquals(after.message().id(), decrypt(bob, next(bob).body()).getString("messageId"), "nothing while blocked");
  }

  private static void policy(Vertx vertx, String tenant, String user, String roomId, String level, boolean setMute,
      String mutedUntil) throws Exception {
    ask(vertx, Addresses.NOTIFICATION_POLICY, new NotificationPolicyRequest(new Sender(tenant, user, user), roomId, true, true, level,
        setMute, mutedUntil));
  }

  @Test
  @DisplayName("a push service's 410 removes the subscription; a 500 is retried after the backoff")
  void goneAndRetried(Vertx vertx) throws Exception {
    String tenant = tenant();
    Browser gone = browser(vertx, tenant, "bob", "gone");
    Browser flaky = browser(vertx, tenant, "carol", "flaky");
    Room room = room(vertx, tenant, "group", List.of("bob", "carol"));
    PersistResult sent = send(vertx, tenant, room, "@bob @carol hello");
    next(gone);
    long deadline = System.currentTimeMillis() + 15_000;
    while (subscriptions(gone) > 0 && System.currentTimeMillis() < deadline) {
      await(vertx.timer(50));
    }
    assertEquals(0, subscriptions(gone), "the subscription is removed");

    Pushed first = next(flaky);
    Pushed second = next(flaky);
    assertTrue(second.atMs() - first.atMs() >= BACKOFF_MS - 50, "retried after the backoff");
    assertEquals(sent.message().id(), decrypt(flaky, second.body()).getString("messageId"));
    assertFalse(Arrays.equals(first.body(), second.body()), "each attempt encrypted anew");
    assertEquals(1, subscriptions(flaky), "a failing push service keeps the subscription");
  }

  @Test
  @DisplayName("register checks the keys; the key is asked for; unregister removes; push off answers UNAVAILABLE")
  void requests(Vertx vertx) throws Exception {
    String tenant = tenant();
    Sender bob = new Sender(tenant, "bob", "bob");
    PushSubscriptionState key = ask(vertx, Addresses.PUSH_SUBSCRIPTION, new PushSubscriptionRequest(bob, PushSubscriptionRequest.KEY,
        null, null, null));
    assertEquals(VAPID[0], key.publicKey());
    Browser browser = browser(vertx, tenant, "bob", "ok");
    String auth = B64.encodeToString(browser.auth());
    byte[] offCurve = uncompressed((ECPublicKey) browser.keys().getPublic());
    offCurve[64] ^= 1;
    for (String[] bad : List.of(new String[] {B64.encodeToString(offCurve), auth}, new String[] {browser.p256dh(), B64.encodeToString(new byte[8])},
        new String[] {"not base64!", auth})) {
      assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.PUSH_SUBSCRIPTION,
          new PushSubscriptionRequest(bob, PushSubscriptionRequest.REGISTER, browser.endpoint() + "x", bad[0], bad[1])));
    }
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.PUSH_SUBSCRIPTION,
        new PushSubscriptionRequest(bob, PushSubscriptionRequest.REGISTER, "ftp://example.com/x", browser.p256dh(), auth)));
    // Bounded per user: past the limit the oldest goes.
    for (int i = 0; i < 10; i++) {
      browser(vertx, tenant, "bob", "ok");
    }
    assertEquals(0, subscriptions(browser), "the oldest of eleven is gone");
    Browser last = browser(vertx, tenant, "bob", "ok");
    PushSubscriptionState removed = ask(vertx, Addresses.PUSH_SUBSCRIPTION, new PushSubscriptionRequest(bob,
        PushSubscriptionRequest.UNREGISTER, last.endpoint(), null, null));
    assertTrue(removed.removed());
    assertEquals(0, subscriptions(last));
    // Another user cannot unregister bob's.
    Browser kept = browser(vertx, tenant, "bob", "ok");
    PushSubscriptionState other = ask(vertx, Addresses.PUSH_SUBSCRIPTION, new PushSubscriptionRequest(new Sender(tenant, "eve", "eve"),
        PushSubscriptionRequest.UNREGISTER, kept.endpoint(), null, null));
    assertFalse(other.removed());

    io.switchboard.message.webhooks.PushSubscriptions off = new io.switchboard.message.webhooks.PushSubscriptions(vertx, db, PushSettings.OFF);
    Throwable refused = assertThrows(io.switchboard.common.ServiceException.class,
        () -> off.handle(new PushSubscriptionRequest(bob, PushSubscriptionRequest.KEY, null, null, null)));
    assertEquals(io.switchboard.common.ErrorCode.UNAVAILABLE, io.switchboard.common.ServiceException.codeOf(refused));
  }

  @Test
  @DisplayName("VAPID settings: both keys or none, a subject with them, a real pair")
  void settings() {
    assertFalse(PushSettings.OFF.enabled());
    assertThrows(IllegalArgumentException.class, () -> new PushSettings(VAPID[0], "", SUBJECT));
    assertThrows(IllegalArgumentException.class, () -> new PushSettings(VAPID[0], VAPID[1], ""));
    String[] other = PushSettings.generate();
    assertThrows(IllegalArgumentException.class, () -> new PushSettings(VAPID[0], other[1], SUBJECT));
    assertTrue(new PushSettings(other[0], other[1], SUBJECT).enabled());
    assertEquals(65, UNB64.decode(other[0]).length);
    assertEquals(32, UNB64.decode(other[1]).length);
  }

  /** The policy counts when the dispatcher expands a message: a change waits for the messages before it. */
  private static void awaitOutboxEmpty(Vertx vertx, String tenant) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (await(db.preparedQuery("SELECT count(*) FROM webhook_outbox WHERE tenant_id = $1").execute(Tuple.of(tenant)))
        .iterator().next().getLong(0) > 0) {
      assertTrue(System.currentTimeMillis() < deadline, "the outbox of " + tenant + " is expanded");
      await(vertx.timer(20));
    }
  }

  private static long subscriptions(Browser browser) throws Exception {
    return await(db.preparedQuery("SELECT count(*) FROM push_subscriptions WHERE endpoint = $1").execute(Tuple.of(browser.endpoint())))
        .iterator().next().getLong(0);
  }

  // ---- the browser's crypto, from the RFCs

  static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    byte[] x = key.getW().getAffineX().toByteArray();
    byte[] y = key.getW().getAffineY().toByteArray();
    System.arraycopy(x, Math.max(0, x.length - 32), out, 1 + 32 - Math.min(32, x.length), Math.min(32, x.length));
    System.arraycopy(y, Math.max(0, y.length - 32), out, 33 + 32 - Math.min(32, y.length), Math.min(32, y.length));
    return out;
  }

  static PublicKey publicKey(byte[] uncompressed) throws Exception {
    java.security.AlgorithmParameters params = java.security.AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
    return KeyFactory.getInstance("EC").generatePublic(
        new ECPublicKeySpec(point, params.getParameterSpec(java.security.spec.ECParameterSpec.class)));
  }

  static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }
}
