package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TokenVerifierTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.auth.TokenVerifier.AuthSettings;
import io.switchboard.gateway.support.TestGateway;
import io.switchboard.gateway.support.TestGateway.Answer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/dev/token and /dev/status")
class DevTokensTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  /** A gateway-like server on every interface with /dev/token at the given access; its port. */
  private int serve(DevTokens.Access access) {
    TokenVerifier verifier = await(TokenVerifier.create(vertx,
        new AuthSettings("dev-secret-dev-secret-dev-secret!", "", "RS256", "", "", "", 5, 86_400, 300)));
    Router router = Router.router(vertx);
    DevTokens devTokens = new DevTokens(verifier, access);
    router.get("/dev/status").handler(devTokens::status);
    if (access != DevTokens.Access.NONE) {
      router.get("/dev/token").handler(devTokens::handle);
    }
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "0.0.0.0"));
    return server.actualPort();
  }

  private HttpResponse<Buffer> get(String host, int port, String forwardedFor) {
    return get(host, port, "/dev/token?user=alice", forwardedFor);
  }

  private HttpResponse<Buffer> get(String host, int port, String path, String forwardedFor) {
    WebClient client = WebClient.create(vertx, new WebClientOptions());
    var request = client.get(port, host, path);
    if (forwardedFor != null) {
      request.putHeader("X-Forwarded-For", forwardedFor);
    }
    return await(request.send());
  }

  /** An address of this machine that is not a loopback address, or null when it has none. */
  private static String externalAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (nic.isUp() && address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return address.getHostAddress();
        }
      }
    }
    return null;
  }

  @Test
  @DisplayName("in dev mode by default (no key configured) it mints tokens for this machine only")
  void loopbackOnly() throws Exception {
    int port = serve(DevTokens.Access.LOOPBACK);
    HttpResponse<Buffer> local = get("127.0.0.1", port, null);
    assertEquals(200, local.statusCode());
    assertTrue(local.bodyAsJsonObject().getString("token").startsWith("eyJ"));
    assertEquals(403, get("127.0.0.1", port, "203.0.113.9").statusCode(), "relayed by a proxy from elsewhere");
    String external = externalAddress();
    assertTrue(external != null, "this test needs a non-loopback IPv4 address on the machine");
    HttpResponse<Buffer> remote = get(external, port, null);
    assertEquals(403, remote.statusCode(), "another machine (here: this one through its network address)");
    assertTrue(!remote.bodyAsString().contains("token\":\"eyJ"));
  }

  @Test
  @DisplayName("with SWITCHBOARD_DEV_MODE=on it serves every address")
  void explicit() throws Exception {
    int port = serve(DevTokens.Access.ANY);
    assertEquals(200, get("127.0.0.1", port, "203.0.113.9").statusCode());
    String external = externalAddress();
    assertTrue(external != null, "this test needs a non-loopback IPv4 address on the machine");
    assertEquals(200, get(external, port, null).statusCode());
  }

  @Test
  @DisplayName("a user id or tenant outside the documented character set is a 400")
  void invalidIdentities() {
    int port = serve(DevTokens.Access.LOOPBACK);
    WebClient client = WebClient.create(vertx);
    assertEquals(400, await(client.get(port, "127.0.0.1", "/dev/token?user=a%20b").send()).statusCode());
    assertEquals(400, await(client.get(port, "127.0.0.1", "/dev/token?user=b&tenant=a:b").send()).statusCode());
    assertEquals(200, await(client.get(port, "127.0.0.1", "/dev/token?user=ann@example.com&tenant=acme").send()).statusCode());
  }

  /** What /dev/status answers this caller: 200 with {devTokens}, never an error. */
  private boolean status(String host, int port, String forwardedFor) {
    HttpResponse<Buffer> res = get(host, port, "/dev/status", forwardedFor);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertEquals("no-store", res.getHeader("cache-control"));
    return res.bodyAsJsonObject().getBoolean("devTokens");
  }

  @Test
  @DisplayName("/dev/status answers 200 in every mode, saying whether /dev/token would mint a token for the caller")
  void status() throws Exception {
    String external = externalAddress();
    assertTrue(external != null, "this test needs a non-loopback IPv4 address on the machine");
    int loopback = serve(DevTokens.Access.LOOPBACK);
    assertTrue(status("127.0.0.1", loopback, null));
    assertFalse(status("127.0.0.1", loopback, "203.0.113.9"), "relayed by a proxy");
    assertFalse(status(external, loopback, null), "another machine");
    int any = serve(DevTokens.Access.ANY);
    assertTrue(status(external, any, null));
    int none = serve(DevTokens.Access.NONE);
    assertFalse(status("127.0.0.1", none, null));
    assertEquals(404, get("127.0.0.1", none, null).statusCode(), "no dev mode: no /dev/token");
  }

  @Test
  @DisplayName("the gateway answers /dev/status without dev mode too, and mounts /dev/token only with it")
  void gatewayRoutes() {
    try (TestGateway off = TestGateway.start();
        TestGateway local = TestGateway.start(c -> c.with(ConfigKey.DEV_MODE, GatewayConfig.DEV_MODE_LOCAL))) {
      assertEquals(new Answer(200, new JsonObject().put("devTokens", false)), off.get("/dev/status", null));
      assertEquals(404, off.get("/dev/token?user=alice", null).status());
      assertEquals(new Answer(200, new JsonObject().put("devTokens", true)), local.get("/dev/status", null));
      assertEquals(200, local.get("/dev/token?user=alice", null).status());
    }
  }
}
