package io.switchboard.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.switchboard.gateway.support.TestGateway.Answer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The admin API: the operator sees and acts on every tenant; a tenant admin on their own tenant's connections only")
class AdminApiTest {
  private static final String OPERATOR = TestGateway.ADMIN_TOKEN;
  private TestGateway gateway;
  private String acmeAdmin;
  private ChatClient alice;
  private ChatClient bob;
  private ChatClient gina;

  @BeforeEach
  void start() {
    gateway = TestGateway.start();
    acmeAdmin = gateway.adminToken("ann", "acme");
    alice = gateway.connect("alice");
    bob = gateway.connect("bob");
    gina = gateway.connectWith(gateway.token("gina", "globex"));
    assertTrue(bob.request("join-room", new JsonObject().put("roomId", "r1")).getBoolean("ok"));
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  /** The users of the connections a listing shows, over every node. */
  private static Set<String> users(Answer listing) {
    assertEquals(200, listing.status(), listing.body().encode());
    return listing.body().getJsonArray("nodes").stream()
        .flatMap(node -> ((JsonObject) node).getJsonArray("connections").stream())
        .map(c -> ((JsonObject) c).getString("tenant") + "/" + ((JsonObject) c).getString("userId"))
        .collect(Collectors.toSet());
  }

  private Answer disconnect(String token, JsonObject filter) {
    return gateway.post("/admin/disconnect", token, filter.encode());
  }

  @Test
  @DisplayName("without the operator's token or a token with the admin role it is 401")
  void unauthenticated() {
    Answer refused = new Answer(401, new JsonObject().put("error", "admin token or admin role required"));

    assertEquals(refused, gateway.get("/admin/connections", null));
    assertEquals(refused, gateway.get("/admin/connections", "not-the-operator"));
    assertEquals(refused, gateway.get("/admin/connections", gateway.token("alice")), "a user without the admin role");
  }

  @Test
  @DisplayName("the operator lists every tenant's connections; a tenant admin their own tenant's, and 403 for another")
  void listings() {
    assertEquals(Set.of("acme/alice", "acme/bob", "globex/gina"), users(gateway.get("/admin/connections", OPERATOR)));
    assertEquals(Set.of("globex/gina"), users(gateway.get("/admin/connections?tenant=globex", OPERATOR)));
    assertEquals(Set.of("acme/alice", "acme/bob"), users(gateway.get("/admin/connections", acmeAdmin)));
    assertEquals(Set.of("acme/bob"), users(gateway.get("/admin/connections?room=r1", acmeAdmin)));

    assertEquals(new Answer(403, new JsonObject().put("error", "a tenant admin sees their own tenant only")),
        gateway.get("/admin/connections?tenant=globex", acmeAdmin));
  }

  @Test
  @DisplayName("a tenant admin disconnects their own tenant's users; another tenant's user of the same id is out of reach")
  void tenantAdminDisconnects() {
    assertEquals(0L, disconnect(acmeAdmin, new JsonObject().put("userId", "gina")).body().getLong("total"));
    assertEquals(403, disconnect(acmeAdmin, new JsonObject().put("userId", "gina").put("tenant", "globex")).status());
    assertTrue(gina.request("list-rooms", new JsonObject()).getBoolean("ok"), "gina is still connected");

    assertEquals(1L, disconnect(acmeAdmin, new JsonObject().put("userId", "bob")).body().getLong("total"));
    bob.awaitDisconnect();
    assertEquals(1L, disconnect(OPERATOR, new JsonObject().put("userId", "gina")).body().getLong("total"));
    gina.awaitDisconnect();
    assertEquals(400, disconnect(OPERATOR, new JsonObject()).status(), "a socket or a user must be named");
    assertTrue(alice.connected());
  }

  @Test
  @DisplayName("nodes, rooms and drain are the operator's: 403 for a tenant admin, answered for the operator")
  void operatorOnly() {
    for (Answer answer : List.of(gateway.get("/admin/nodes", acmeAdmin), gateway.get("/admin/rooms", acmeAdmin),
        gateway.get("/admin/rooms/r1", acmeAdmin), gateway.post("/admin/drain", acmeAdmin, ""))) {
      assertEquals(new Answer(403, new JsonObject().put("error", "the operator's ADMIN_TOKEN is required")), answer);
    }
    assertEquals(200, gateway.get("/ready", null).status(), "no drain happened");

    JsonObject node = gateway.get("/admin/nodes", OPERATOR).body().getJsonArray("nodes").getJsonObject(0);
    assertEquals(new JsonObject().put("acme", 2).put("globex", 1), node.getJsonObject("byTenant"));
    assertEquals(1L, gateway.get("/admin/rooms/r1", OPERATOR).body().getLong("total"), "bob's socket");
    Answer drain = gateway.post("/admin/drain", OPERATOR, "");
    assertEquals(202, drain.status());
    assertEquals(true, drain.body().getBoolean("draining"));
    assertEquals(503, gateway.get("/ready", null).status(), "the load balancer sends no more clients");
  }

  @Test
  @DisplayName("webhooks: a tenant admin manages their own tenant's (another tenant is 403), the operator names the tenant; message-service's refusals keep their code")
  void webhooks() throws InterruptedException {
    java.util.concurrent.LinkedBlockingQueue<JsonObject> asked = new java.util.concurrent.LinkedBlockingQueue<>();
    io.switchboard.gateway.support.Await.await(gateway.vertx.eventBus().<JsonObject>consumer(
        io.switchboard.common.Addresses.CHAT_WEBHOOKS_MANAGE, msg -> {
          asked.add(msg.body());
          if ("redeliver".equals(msg.body().getString("action"))) {
            msg.fail(io.switchboard.common.ErrorCode.NOT_FOUND.busCode(), "no such dead letter");
          } else {
            msg.reply(new JsonObject().put("deadLetters", new io.vertx.core.json.JsonArray()));
          }
        }).completion());
    JsonObject list = new JsonObject().put("action", "list-dead-letters");

    assertEquals(200, gateway.post("/admin/webhooks", acmeAdmin, list.encode()).status());
    assertEquals(list.copy().put("tenant", "acme"), asked.poll(5, java.util.concurrent.TimeUnit.SECONDS),
        "the tenant admin's own tenant");
    assertEquals(403, gateway.post("/admin/webhooks", acmeAdmin, list.copy().put("tenant", "globex").encode()).status());
    assertEquals(401, gateway.post("/admin/webhooks", gateway.token("alice", "acme"), list.encode()).status(),
        "a user without the admin role");

    assertEquals(200, gateway.post("/admin/webhooks", OPERATOR, list.copy().put("tenant", "globex").encode()).status());
    assertEquals("globex", asked.poll(5, java.util.concurrent.TimeUnit.SECONDS).getString("tenant"));
    Answer missing = gateway.post("/admin/webhooks", acmeAdmin,
        new JsonObject().put("action", "redeliver").put("id", java.util.UUID.randomUUID().toString()).encode());
    assertEquals(404, missing.status());
    assertEquals("NOT_FOUND", missing.body().getJsonObject("error").getString("code"));
    assertEquals(1, asked.size(), "the redelivery was asked; nothing for the refused requests");
  }
}
