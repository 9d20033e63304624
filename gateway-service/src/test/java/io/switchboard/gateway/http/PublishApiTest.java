package io.switchboard.gateway.http;

import static io.switchboard.gateway.support.Await.await;
import static io.switchboard.gateway.support.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.switchboard.gateway.support.TestGateway.Answer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Publishing from other services: POST /api/publish with the service token, and chat.publish on the bus")
class PublishApiTest {
  private TestGateway gateway;
  private ChatClient alice;
  private ChatClient bob;

  @BeforeEach
  void start() {
    gateway = TestGateway.start();
    alice = gateway.connect("alice");
    bob = gateway.connect("bob");
    assertTrue(bob.request("join-room", new JsonObject().put("roomId", "r1")).getBoolean("ok"));
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private static String publish(JsonObject target, String event) {
    return new JsonObject().put("target", target).put("event", event).put("data", new JsonObject().put("n", 1)).encode();
  }

  @Test
  @DisplayName("without a bearer token it is 401, with a wrong one 403, and nothing is delivered")
  void refused() {
    String body = publish(new JsonObject().put("room", "r1"), "announcement");

    assertEquals(new Answer(401, new JsonObject().put("ok", false).put("error", "missing bearer token")),
        gateway.post("/api/publish", null, body));
    assertEquals(new Answer(403, new JsonObject().put("ok", false).put("error", "wrong service token")),
        gateway.post("/api/publish", "guessed-token", body));
    assertEquals(403, gateway.post("/api/publish", TestGateway.ADMIN_TOKEN, body).status(), "the operator's token is not the service's");
    assertEquals(0, bob.pending("announcement"));
  }

  @Test
  @DisplayName("a body that is not JSON, without a target, or with a bad event name is 400 saying what is wrong")
  void badBodies() {
    assertEquals(400, gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, "not json").status());
    Answer noTarget = gateway.post("/api/publish", TestGateway.SERVICE_TOKEN,
        new JsonObject().put("event", "announcement").encode());
    assertEquals(new Answer(400, new JsonObject().put("ok", false).put("error", "target must be {room}, {user} or {all: true}")),
        noTarget);
    Answer badEvent = gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, publish(new JsonObject().put("room", "r1"), "a b"));
    assertEquals(400, badEvent.status());
    assertTrue(badEvent.body().getString("error").startsWith("event must match"), badEvent.body().encode());
  }

  @Test
  @DisplayName("accepted (202) for a room, it reaches the sockets in the room with its data, and only them")
  void toRoom() {
    Answer answer = gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, publish(new JsonObject().put("room", "r1"), "announcement"));

    assertEquals(new Answer(202, new JsonObject().put("ok", true)), answer);
    assertEquals(new JsonObject().put("n", 1), bob.next("announcement"));
    gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, publish(new JsonObject().put("user", "alice").put("tenant", "acme"), "marker"));
    alice.next("marker");
    assertEquals(0, alice.pending("announcement"), "alice is not in r1");
  }

  @Test
  @DisplayName("for a user it reaches that user of that tenant; without a tenant, the user of the default tenant")
  void toUser() {
    ChatClient otherAlice = gateway.connectWith(gateway.token("alice", "default"));

    gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, publish(new JsonObject().put("user", "alice").put("tenant", "acme"), "note"));
    gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, publish(new JsonObject().put("user", "alice"), "note"));

    assertEquals(new JsonObject().put("n", 1), alice.next("note"));
    assertEquals(new JsonObject().put("n", 1), otherAlice.next("note"));
    assertEquals(0, alice.pending("note"), "once each");
  }

  @Test
  @DisplayName("sent on chat.publish it is delivered and answered {ok: true}; a bad body fails with 400")
  void onTheBus() {
    JsonObject good = new JsonObject(publish(new JsonObject().put("all", true), "broadcast"));

    Message<JsonObject> reply = await(gateway.vertx.eventBus().request(Addresses.CHAT_PUBLISH, good));

    assertEquals(new JsonObject().put("ok", true), reply.body());
    assertEquals(new JsonObject().put("n", 1), alice.next("broadcast"));
    assertEquals(new JsonObject().put("n", 1), bob.next("broadcast"));
    Throwable bad = failure(gateway.vertx.eventBus().request(Addresses.CHAT_PUBLISH, new JsonObject().put("event", "x")));
    assertEquals(400, ((ReplyException) bad).failureCode());
  }
}
