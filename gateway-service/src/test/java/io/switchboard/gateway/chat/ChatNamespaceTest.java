package io.switchboard.gateway.chat;

import static io.switchboard.gateway.support.ChatClient.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.StubPresenceService.Admit;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CONNECT to the chat namespace: the token, the tenant and device limits, and a session's token refreshed")
class ChatNamespaceTest {
  private TestGateway gateway;

  @AfterEach
  void close() {
    gateway.close();
  }

  private static JsonObject refused(String code, String message) {
    return new JsonObject().put("message", message).put("data", new JsonObject().put("code", code));
  }

  @Test
  @DisplayName("no token, a token of another secret, or a token without sub is AUTH_FAILED; an expired one TOKEN_EXPIRED")
  void badTokens() {
    gateway = TestGateway.start();
    String expired = gateway.expiredToken("alice");
    String noSub = gateway.token(new JsonObject().put("tenant", "acme"), 3600);
    String forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ";

    assertEquals(refused("AUTH_FAILED", "authentication failed"), gateway.refusal(null));
    assertEquals(refused("AUTH_FAILED", "authentication failed"), gateway.refusal(forged));
    assertEquals(refused("AUTH_FAILED", "authentication failed"), gateway.refusal(noSub));
    assertEquals(refused("TOKEN_EXPIRED", "token expired"), gateway.refusal(expired));
  }

  @Test
  @DisplayName("an address whose tokens keep failing is CONNECT_THROTTLED, even with a good token, until the window ends")
  void throttled() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.CONNECT_FAILURES_PER_IP, 2));
    gateway.refusal("not-a-token");
    gateway.refusal("still-not-a-token");

    assertEquals(refused("CONNECT_THROTTLED", "too many failed connects from this address, retry later"),
        gateway.refusal(gateway.token("alice")));
  }

  @Test
  @DisplayName("past MAX_CONNECTIONS_PER_TENANT sockets on the node, the tenant's next CONNECT is TENANT_CONNECTION_LIMIT; other tenants connect")
  void tenantLimit() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.MAX_CONNECTIONS_PER_TENANT, 2));
    gateway.connect("alice");
    gateway.connect("bob");

    assertEquals(refused("TENANT_CONNECTION_LIMIT", "too many connections for this tenant"),
        gateway.refusal(gateway.token("carol")));
    assertTrue(gateway.connectWith(gateway.token("gina", "globex")).connected());
  }

  @Test
  @DisplayName("when presence says the user has all their devices connected, CONNECT is USER_CONNECTION_LIMIT")
  void deviceLimit() {
    gateway = TestGateway.start();
    gateway.presence.admit(Admit.REFUSE);

    assertEquals(refused("USER_CONNECTION_LIMIT", "too many devices connected for this user"),
        gateway.refusal(gateway.token("alice")));
  }

  @Test
  @DisplayName("when presence does not answer within PRESENCE_TIMEOUT_MS, the device limit fails open: the user connects")
  void deviceLimitFailsOpen() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.PRESENCE_TIMEOUT_MS, 300));
    gateway.presence.admit(Admit.SILENT);

    long start = System.nanoTime();
    ChatClient alice = gateway.connect("alice");

    assertTrue(System.nanoTime() - start >= 250_000_000L, "admitted once presence's answer was given up");
    assertTrue(alice.request("list-rooms", new JsonObject()).getBoolean("ok"));
  }

  @Test
  @DisplayName("with MAX_CONNECTIONS_PER_USER 0 presence is not asked at all")
  void noDeviceLimit() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.MAX_CONNECTIONS_PER_USER, 0));
    gateway.presence.admit(Admit.REFUSE);

    assertTrue(gateway.connect("alice").connected());
  }

  @Test
  @DisplayName("refresh-token with a new token of the same user extends the session; its expiry is in the ack")
  void refresh() {
    gateway = TestGateway.start();
    ChatClient alice = gateway.connect("alice");
    long now = System.currentTimeMillis() / 1000;

    JsonObject ack = alice.request("refresh-token", new JsonObject().put("token", gateway.token("alice")));

    assertEquals(true, ack.getBoolean("ok"), ack.encode());
    long expiresAt = ack.getLong("expiresAt");
    assertTrue(expiresAt >= now + 3590 && expiresAt <= now + 3610, "an hour from now: " + (expiresAt - now));
  }

  @Test
  @DisplayName("refresh-token with another user's or tenant's token is FORBIDDEN; without a valid token AUTH_FAILED or TOKEN_EXPIRED")
  void refreshRefused() {
    gateway = TestGateway.start();
    ChatClient alice = gateway.connect("alice");

    assertEquals("FORBIDDEN", errorCode(alice.request("refresh-token", new JsonObject().put("token", gateway.token("bob")))));
    assertEquals("FORBIDDEN", errorCode(alice.request("refresh-token",
        new JsonObject().put("token", gateway.token("alice", "globex")))));
    assertEquals("AUTH_FAILED", errorCode(alice.request("refresh-token", new JsonObject().put("token", "nonsense"))));
    assertEquals("AUTH_FAILED", errorCode(alice.request("refresh-token", new JsonObject())), "no schema: the verifier decides");
    assertEquals("AUTH_FAILED", errorCode(alice.request("refresh-token", null)));
    assertEquals("TOKEN_EXPIRED", errorCode(alice.request("refresh-token",
        new JsonObject().put("token", gateway.expiredToken("alice")))));
    assertTrue(alice.connected());
  }
}
