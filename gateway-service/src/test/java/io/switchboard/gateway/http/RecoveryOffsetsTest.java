package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.TestGateway;
import io.switchboard.socketio.support.WireSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recovery offsets (RECOVERY_OFFSETS): only for sockets that ask by default, for all or none per deployment")
class RecoveryOffsetsTest {
  private static final String URI = "/socket.io/?EIO=4&transport=websocket";

  private TestGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** A connected socket of {@code user} and the CONNECT reply's payload. */
  private record Connected(WireSocket ws, JsonObject reply) {}

  private Connected connect(String user, boolean askRecovery) throws IOException {
    WireSocket ws = WireSocket.open(java.net.URI.create(gateway.url()).getPort(), URI, null);
    assertTrue(ws.nextText().startsWith("0{"), "open packet");
    JsonObject auth = new JsonObject().put("token", gateway.token(user));
    if (askRecovery) {
      auth.put("recover", true);
    }
    ws.sendText("40" + auth.encode(), false);
    String reply = ws.nextText();
    assertTrue(reply.startsWith("40{"), reply);
    return new Connected(ws, new JsonObject(reply.substring(2)));
  }

  /** Publishes a "note" to {@code user}; returns the arguments its socket receives, offset included if any. */
  private JsonArray note(WireSocket ws, String user) throws IOException {
    JsonObject body = new JsonObject().put("target", new JsonObject().put("user", user).put("tenant", TestGateway.TENANT))
        .put("event", "note").put("data", new JsonObject().put("text", "hi"));
    assertEquals(202, gateway.post("/api/publish", TestGateway.SERVICE_TOKEN, body.encode()).status());
    while (true) {
      String text = ws.nextText();
      if (text.startsWith("42[\"note\"")) {
        JsonArray packet = new JsonArray(text.substring(2));
        return new JsonArray(packet.getList().subList(1, packet.size()));
      }
    }
  }

  private static final JsonArray DOCUMENTED = new JsonArray().add(new JsonObject().put("text", "hi"));

  @Test
  @DisplayName("by default a socket that does not ask gets no pid and the documented arguments alone; one that asks gets a pid and offsets")
  void optInByDefault() throws IOException {
    gateway = TestGateway.start();
    Connected plain = connect("alice", false);
    Connected asking = connect("bob", true);
    try (WireSocket a = plain.ws(); WireSocket b = asking.ws()) {
      assertFalse(plain.reply().containsKey("pid"), plain.reply().encode());
      assertEquals(DOCUMENTED, note(a, "alice"));
      assertTrue(asking.reply().getValue("pid") instanceof String, asking.reply().encode());
      JsonArray args = note(b, "bob");
      assertEquals(2, args.size(), args.encode());
      assertEquals(DOCUMENTED.getValue(0), args.getValue(0));
      assertTrue(args.getValue(1) instanceof String, "the offset: " + args.encode());
    }
  }

  @Test
  @DisplayName("RECOVERY_OFFSETS=all: every socket gets a pid and offsets, as from the reference server")
  void forAll() throws IOException {
    gateway = TestGateway.start(config -> config.with(ConfigKey.RECOVERY_OFFSETS, "all"));
    Connected plain = connect("alice", false);
    try (WireSocket a = plain.ws()) {
      assertTrue(plain.reply().getValue("pid") instanceof String, plain.reply().encode());
      assertEquals(2, note(a, "alice").size());
    }
  }

  @Test
  @DisplayName("RECOVERY_OFFSETS=off: a socket that asks gets neither a pid nor offsets")
  void off() throws IOException {
    gateway = TestGateway.start(config -> config.with(ConfigKey.RECOVERY_OFFSETS, "off"));
    Connected asking = connect("bob", true);
    try (WireSocket b = asking.ws()) {
      assertFalse(asking.reply().containsKey("pid"), asking.reply().encode());
      assertEquals(DOCUMENTED, note(b, "bob"));
    }
  }
}
