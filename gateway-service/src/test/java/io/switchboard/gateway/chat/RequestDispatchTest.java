package io.switchboard.gateway.chat;

import static io.switchboard.gateway.support.ChatClient.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.chat.ClientRequest;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Requests at the edge: decoded against their schema, rate limited, unknown events refused, never a closed connection")
class RequestDispatchTest {
  private TestGateway gateway;

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  @DisplayName("a payload that breaks its schema is answered VALIDATION_ERROR with one detail per field, and the socket goes on")
  void validationError() {
    gateway = TestGateway.start();
    ChatClient alice = gateway.connect("alice");

    JsonObject ack = alice.request("send-message", new JsonObject().put("roomId", "r1").put("body", 42));

    assertEquals("VALIDATION_ERROR", errorCode(ack));
    assertEquals("invalid request", ack.getJsonObject("error").getString("message"));
    JsonArray details = ack.getJsonObject("error").getJsonArray("details");
    assertEquals(java.util.Set.of("clientMsgId", "body"),
        details.stream().map(d -> ((JsonObject) d).getString("field")).collect(java.util.stream.Collectors.toSet()), details.encode());
    assertEquals("VALIDATION_ERROR", errorCode(alice.request("join-room", null)), "no payload at all");
    assertEquals("VALIDATION_ERROR", errorCode(alice.request("join-room", new JsonArray().add("r1"))), "not an object");
    assertEquals(true, alice.request("list-rooms", new JsonObject()).getBoolean("ok"), "still connected and served");
  }

  @Test
  @DisplayName("without an ack, a validation error arrives as a validation-error event naming the request and the fields")
  void validationErrorEvent() {
    gateway = TestGateway.start();
    ChatClient alice = gateway.connect("alice");

    alice.emit("join-room", new JsonObject().put("sinceSeq", "yesterday"));

    JsonObject event = alice.next("validation-error");
    assertEquals("join-room", event.getString("event"));
    assertEquals(java.util.List.of("roomId", "sinceSeq"), event.getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field")).sorted().toList(), event.encode());
  }

  @Test
  @DisplayName("an event the server does not know is UNKNOWN_EVENT, in the ack or as an error event")
  void unknownEvent() {
    gateway = TestGateway.start();
    ChatClient alice = gateway.connect("alice");

    assertEquals("UNKNOWN_EVENT", errorCode(alice.request("shout", new JsonObject())));
    alice.emit("shout", new JsonObject());
    assertEquals(new JsonObject().put("event", "shout").put("code", "UNKNOWN_EVENT").put("message", "unknown event"),
        alice.next("error"));
  }

  @Test
  @DisplayName("every request of the registry is known to the gateway: none is answered UNKNOWN_EVENT")
  void everyRequestIsServed() {
    gateway = TestGateway.start();
    ChatClient alice = gateway.connect("alice");

    for (ClientRequest request : ClientRequest.values()) {
      JsonObject ack = alice.request(request.wire(), new JsonObject());
      if (!ack.getBoolean("ok")) {
        assertNotEquals("UNKNOWN_EVENT", errorCode(ack), request.wire());
      }
    }
  }

  @Test
  @DisplayName("past its class's burst a request is RATE_LIMITED with retryAfterMs, while other classes are still served")
  void rateLimited() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.RATE_JOINS, "1:2"));
    ChatClient alice = gateway.connect("alice");
    JsonObject leave = new JsonObject().put("roomId", "r1");

    assertEquals(true, alice.request("leave-room", leave).getBoolean("ok"));
    assertEquals(true, alice.request("create-room", new JsonObject().put("name", "Team").put("kind", "group"))
        .getBoolean("ok"), "joins, leaves and room creations share one budget");
    JsonObject limited = alice.request("leave-room", leave);

    assertEquals("RATE_LIMITED", errorCode(limited));
    long retryAfterMs = limited.getJsonObject("error").getLong("retryAfterMs");
    assertTrue(retryAfterMs > 0 && retryAfterMs <= 1000, "one more token within a second: " + retryAfterMs);
    assertEquals(true, alice.request("list-rooms", new JsonObject()).getBoolean("ok"), "another class has its own budget");
  }

  @Test
  @DisplayName("without an ack, a flood past the rate gets one rate-limited event a second, not one per event")
  void rateLimitedEvent() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.RATE_JOINS, "1:1"));
    ChatClient alice = gateway.connect("alice");

    for (int i = 0; i < 6; i++) {
      alice.emit("leave-room", new JsonObject().put("roomId", "r1"));
    }
    // Answered after every emit before it: the events those caused have arrived by then.
    alice.request("list-rooms", new JsonObject());

    JsonObject event = alice.next("rate-limited");
    assertEquals("leave-room", event.getString("event"));
    assertTrue(event.getLong("retryAfterMs") > 0, event.encode());
    assertEquals(0, alice.pending("rate-limited"), "one notice for the five refusals");
    assertTrue(alice.connected());
  }

  @Test
  @DisplayName("a socket that keeps flooding after RATE_LIMITED is disconnected; its user's other socket is not")
  void abuseDisconnect() {
    gateway = TestGateway.start(config -> config.with(ConfigKey.RATE_JOINS, "1:1").with(ConfigKey.RATE_STRIKES, 5));
    ChatClient flooder = gateway.connect("alice");
    ChatClient laptop = gateway.connect("alice");

    for (int i = 0; i < 10; i++) {
      flooder.emit("leave-room", new JsonObject().put("roomId", "r1"));
    }

    flooder.awaitDisconnect();
    assertEquals(true, laptop.request("leave-room", new JsonObject().put("roomId", "r1")).getBoolean("ok"));
  }
}
