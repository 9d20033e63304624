package io.switchboard.gateway.http;

import static io.switchboard.gateway.support.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.ServiceFailure;
import io.switchboard.gateway.support.TestGateway;
import io.switchboard.gateway.support.TestGateway.Answer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** POST /api/messages: chat.message.create over HTTP; message-service is a consumer of the test's own on the gateway's bus. */
@DisplayName("Posting messages from other services: POST /api/messages with the service token and the tenant")
class MessagesApiTest {
  private static final JsonObject STORED = new JsonObject().put("ok", true).put("id", "m1").put("seq", 3)
      .put("createdAt", "2026-12-07T06:00:00Z").put("duplicate", false);
  private TestGateway gateway;
  private final LinkedBlockingQueue<JsonObject> asked = new LinkedBlockingQueue<>();
  private volatile ErrorCode refusal;

  @BeforeEach
  void start() {
    gateway = TestGateway.start();
    await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.CHAT_MESSAGE_CREATE, msg -> {
      asked.add(msg.body());
      if (refusal == ErrorCode.SLOW_MODE) {
        msg.reply(ServiceFailure.of(new ServiceException(refusal, "slow down", new JsonObject().put("retryAfterMs", 900))));
      } else if (refusal != null) {
        msg.fail(refusal.busCode(), "refused by the test");
      } else {
        msg.reply(STORED);
      }
    }).completion());
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private static JsonObject body(String tenant) {
    JsonObject body = new JsonObject().put("roomId", "r1").put("body", "hello");
    return tenant == null ? body : body.put("tenant", tenant);
  }

  @Test
  @DisplayName("without a sender the system of the tenant posts; with one, that user of the tenant; the reply is the answer")
  void passesOn() throws InterruptedException {
    assertEquals(new Answer(200, STORED), gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, body("acme").encode()));
    assertEquals(body(null).put("sender", new JsonObject().put("userId", "system").put("name", "System").put("tenant", "acme")),
        asked.poll(5, TimeUnit.SECONDS), "the system, confined to the tenant's rooms");
    JsonObject asBob = body("acme").put("sender", new JsonObject().put("userId", "bob").put("name", "Bob"));
    assertEquals(200, gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, asBob.encode()).status());
    assertEquals(body(null).put("sender", new JsonObject().put("userId", "bob").put("name", "Bob").put("tenant", "acme")),
        asked.poll(5, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("without the service token 401 or 403; without a tenant, or with a sender of another tenant, 400; message-service is not asked")
  void refused() {
    assertEquals(401, gateway.post("/api/messages", null, body("acme").encode()).status());
    assertEquals(403, gateway.post("/api/messages", TestGateway.ADMIN_TOKEN, body("acme").encode()).status());
    Answer noTenant = gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, body(null).encode());
    assertEquals(400, noTenant.status());
    assertEquals("VALIDATION_ERROR", noTenant.body().getJsonObject("error").getString("code"));
    JsonObject otherTenant = body("acme").put("sender", new JsonObject().put("userId", "bob").put("tenant", "other"));
    assertEquals(400, gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, otherTenant.encode()).status());
    assertEquals(400, gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, body("acme").put("sender", "bob").encode()).status());
    assertEquals(400, gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, "not json").status());
    assertEquals(0, asked.size());
  }

  @Test
  @DisplayName("message-service's refusals are answered with their code, their bus code as the status, and their other fields")
  void refusals() {
    for (ErrorCode code : new ErrorCode[] {ErrorCode.VALIDATION_ERROR, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND,
        ErrorCode.ROOM_ARCHIVED}) {
      refusal = code;
      Answer answer = gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, body("acme").encode());
      assertEquals(code.busCode(), answer.status());
      assertEquals(code.name(), answer.body().getJsonObject("error").getString("code"));
    }
    refusal = ErrorCode.SLOW_MODE;
    Answer slow = gateway.post("/api/messages", TestGateway.SERVICE_TOKEN, body("acme").encode());
    assertEquals(425, slow.status());
    assertEquals(new JsonObject().put("retryAfterMs", 900).put("code", "SLOW_MODE").put("message", "slow down"),
        slow.body().getJsonObject("error"));
  }
}
