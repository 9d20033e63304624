package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.admission.ConnectAdmission;
import io.switchboard.gateway.support.Await;
import io.switchboard.gateway.support.StubMessageService;
import io.switchboard.gateway.support.StubPresenceService;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's chat warm-up before it listens")
class ChatWarmupTest {

  @Test
  @DisplayName("sockets of the warm-up tenant join its rooms through the chat path, the missing rooms made first")
  void joinsThroughTheChatPath() {
    try (TestGateway gateway = TestGateway.start(c -> c.with(ConfigKey.WARMUP_CONNECTIONS, 30))) {
      // The stub's room list has no warm-up room: three are made, one per ten joins.
      for (int i = 0; i < 3; i++) {
        CreateRoomRequest create = gateway.messages.nextRequest(Addresses.ROOM_CREATE);
        assertEquals(ConnectAdmission.WARMUP_TENANT, create.creator().tenant());
        assertEquals(ChatWarmup.ROOM_NAME, create.name());
        assertEquals("public", create.kind());
      }
      assertEquals(0, gateway.messages.unread(Addresses.ROOM_CREATE));
      Set<String> users = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        JoinRequest join = gateway.messages.nextRequest(Addresses.ROOM_JOIN);
        assertEquals(ConnectAdmission.WARMUP_TENANT, join.user().tenant());
        users.add(join.user().userId());
      }
      assertEquals(30, users.size(), "each join by a socket of its own");
      assertEquals(0, gateway.messages.unread(Addresses.ROOM_JOIN));
    }
  }

  @Test
  @DisplayName("while it warms up, the ops port answers /health but not /ready, and the clients' port is closed")
  void notReadyWhileWarmingUp() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      BusCodecs.register(vertx);
      StubMessageService messages = new StubMessageService(vertx);
      new StubPresenceService(vertx);
      // The warm-up's first request goes unanswered until the request timeout: the warm-up waits.
      messages.silence(Addresses.ROOM_LIST);
      int port = TestGateway.freePort();
      int opsPort = TestGateway.freePort();
      Config config = Config.defaults().with(ConfigKey.HTTP_HOST, "127.0.0.1").with(ConfigKey.HTTP_PORT, port)
          .with(ConfigKey.GATEWAY_OPS_PORT, opsPort).with(ConfigKey.JWT_SECRET, "jwt-secret-of-the-warm-up-test")
          .with(ConfigKey.REQUEST_TIMEOUT_MS, 3000).with(ConfigKey.PRESENCE_TIMEOUT_MS, 500)
          .with(ConfigKey.WARMUP_CONNECTIONS, 10);
      Future<String> deployed = vertx.deployVerticle(new GatewayVerticle(GatewayConfig.from(config)));
      messages.nextRequest(Addresses.ROOM_LIST);
      assertEquals(200, status(opsPort, "/health"));
      assertEquals(503, status(opsPort, "/ready"), "a load balancer must not send clients yet");
      assertEquals(-1, status(port, "/health"), "the clients' port opens after the warm-up");
      Await.await(deployed);
      assertEquals(200, status(opsPort, "/ready"));
      assertEquals(200, status(port, "/health"));
    } finally {
      Await.await(vertx.close());
    }
  }

  /** The status of a GET, or -1 when nothing listens on the port. */
  private static int status(int port, String path) throws InterruptedException {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.net.ConnectException e) {
      return -1;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("without warm-up connections it does nothing")
  void off() {
    try (TestGateway gateway = TestGateway.start()) {
      gateway.connect("alice").close();
      assertEquals(0, gateway.messages.unread(Addresses.ROOM_CREATE));
      assertTrue(gateway.messages.unread(Addresses.ROOM_LIST) == 0);
    }
  }
}
