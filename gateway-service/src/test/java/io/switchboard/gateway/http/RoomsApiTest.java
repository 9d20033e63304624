package io.switchboard.gateway.http;

import static io.switchboard.gateway.support.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.support.TestGateway;
import io.switchboard.gateway.support.TestGateway.Answer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** POST /api/rooms: chat.room.manage over HTTP; message-service is a consumer of the test's own on the gateway's bus. */
@DisplayName("Running rooms from other services: POST /api/rooms with the service token and the tenant")
class RoomsApiTest {
  private TestGateway gateway;
  private final LinkedBlockingQueue<JsonObject> asked = new LinkedBlockingQueue<>();
  private volatile ErrorCode refusal;

  @BeforeEach
  void start() {
    gateway = TestGateway.start();
    await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.CHAT_ROOM_MANAGE, msg -> {
      asked.add(msg.body());
      if (refusal != null) {
        msg.fail(refusal.busCode(), "refused by the test");
      } else {
        msg.reply(new JsonObject().put("ok", true).put("seq", 7));
      }
    }).completion());
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private static String body(String tenant) {
    JsonObject body = new JsonObject().put("action", "archive-room").put("roomId", "r1");
    return (tenant == null ? body : body.put("tenant", tenant)).encode();
  }

  @Test
  @DisplayName("with the service token and a tenant the request goes to chat.room.manage as it is, and its reply is the answer")
  void passesOn() throws InterruptedException {
    assertEquals(new Answer(200, new JsonObject().put("ok", true).put("seq", 7)),
        gateway.post("/api/rooms", TestGateway.SERVICE_TOKEN, body("acme")));
    assertEquals(new JsonObject(body("acme")), asked.poll(5, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("without the service token 401 or 403, without a tenant 400, and message-service is not asked")
  void refused() {
    assertEquals(401, gateway.post("/api/rooms", null, body("acme")).status());
    assertEquals(403, gateway.post("/api/rooms", TestGateway.ADMIN_TOKEN, body("acme")).status());
    Answer noTenant = gateway.post("/api/rooms", TestGateway.SERVICE_TOKEN, body(null));
    assertEquals(400, noTenant.status());
    assertEquals("VALIDATION_ERROR", noTenant.body().getJsonObject("error").getString("code"));
    assertEquals(400, gateway.post("/api/rooms", TestGateway.SERVICE_TOKEN, "not json").status());
    assertEquals(0, asked.size());
  }

  @Test
  @DisplayName("message-service's refusals are answered with their code, and their bus code as the status")
  void refusals() {
    for (ErrorCode code : new ErrorCode[] {ErrorCode.LAST_OWNER, ErrorCode.NOT_FOUND, ErrorCode.ROOM_ARCHIVED}) {
      refusal = code;
      Answer answer = gateway.post("/api/rooms", TestGateway.SERVICE_TOKEN, body("acme"));
      assertEquals(code.busCode(), answer.status());
      assertEquals(code.name(), answer.body().getJsonObject("error").getString("code"));
    }
  }

  @Test
  @DisplayName("POST /api/webhooks goes to chat.webhooks.manage the same way, with the service token only")
  void webhooks() throws InterruptedException {
    LinkedBlockingQueue<JsonObject> hooks = new LinkedBlockingQueue<>();
    await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.CHAT_WEBHOOKS_MANAGE, msg -> {
      hooks.add(msg.body());
      msg.reply(new JsonObject().put("endpoints", new io.vertx.core.json.JsonArray()));
    }).completion());
    String list = new JsonObject().put("action", "list-endpoints").put("tenant", "acme").encode();
    assertEquals(new Answer(200, new JsonObject().put("endpoints", new io.vertx.core.json.JsonArray())),
        gateway.post("/api/webhooks", TestGateway.SERVICE_TOKEN, list));
    assertEquals(new JsonObject(list), hooks.poll(5, TimeUnit.SECONDS));
    assertEquals(401, gateway.post("/api/webhooks", null, list).status());
    assertEquals(403, gateway.post("/api/webhooks", TestGateway.ADMIN_TOKEN, list).status());
    assertEquals(0, asked.size(), "not chat.room.manage");
    assertEquals(0, hooks.size());
  }

  @Test
  @DisplayName("POST /api/digest goes to chat.digest the same way, with the service token only; its refusals keep their status")
  void digest() throws InterruptedException {
    LinkedBlockingQueue<JsonObject> digests = new LinkedBlockingQueue<>();
    await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.CHAT_DIGEST, msg -> {
      digests.add(msg.body());
      if (msg.body().getString("since") == null) {
        msg.fail(ErrorCode.VALIDATION_ERROR.busCode(), "since: an ISO-8601 time");
      } else {
        msg.reply(new JsonObject().put("ok", true).put("userId", "bob").put("rooms", new io.vertx.core.json.JsonArray()));
      }
    }).completion());
    String ask = new JsonObject().put("tenant", "acme").put("userId", "bob").put("since", "2026-12-07T08:00:00Z").encode();
    Answer answer = gateway.post("/api/digest", TestGateway.SERVICE_TOKEN, ask);
    assertEquals(200, answer.status());
    assertEquals("bob", answer.body().getString("userId"));
    assertEquals(new JsonObject(ask), digests.poll(5, TimeUnit.SECONDS));
    Answer bad = gateway.post("/api/digest", TestGateway.SERVICE_TOKEN, new JsonObject().put("tenant", "acme").encode());
    assertEquals(400, bad.status());
    assertEquals("VALIDATION_ERROR", bad.body().getJsonObject("error").getString("code"));
    digests.clear();
    assertEquals(401, gateway.post("/api/digest", null, ask).status());
    assertEquals(403, gateway.post("/api/digest", TestGateway.ADMIN_TOKEN, ask).status());
    assertEquals(0, digests.size());
    assertEquals(0, asked.size(), "not chat.room.manage");
  }
}
