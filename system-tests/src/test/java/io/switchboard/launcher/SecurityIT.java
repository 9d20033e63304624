package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.embedded.TempDirs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No one gets in who should not: a gateway verifying RS256 tokens against a JWKS file, with an
 * issuer, a short clock skew and small connection limits, against the official client.
 */
class SecurityIT {
  private static SwitchboardProcess app;
  private static String url;
  private static Path privateKey;
  private static final String OPERATOR_TOKEN = "operator-token-for-the-security-test";

  @BeforeAll
  static void start() throws Exception {
    Path workDir = TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-security",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JsonObject jwk = new JsonObject().put("kty", "RSA").put("kid", "test-key").put("alg", "RS256").put("use", "sig")
        .put("n", b64.encodeToString(unsigned(pub.getModulus().toByteArray())))
        .put("e", b64.encodeToString(unsigned(pub.getPublicExponent().toByteArray())));
    Path jwks = Files.writeString(workDir.resolve("jwks.json"), new JsonObject().put("keys", new JsonArray().add(jwk)).encode());
    privateKey = Files.writeString(workDir.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

    int port = SwitchboardProcess.freePort();
    url = "http://127.0.0.1:" + port;
    app = SwitchboardProcess.start(workDir, Map.ofEntries(
        Map.entry("PORT", String.valueOf(port)),
        Map.entry("MESSAGE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort())),
        Map.entry("PRESENCE_OPS_PORT", String.valueOf(SwitchboardProcess.freePort())),
        Map.entry("JWT_JWKS", jwks.toString()),
        Map.entry("JWT_ISSUER", "switchboard-test"),
        Map.entry("JWT_AUDIENCE", "switchboard-chat"),
        Map.entry("ADMIN_TOKEN", OPERATOR_TOKEN),
        Map.entry("JWT_CLOCK_SKEW_SECONDS", "1"),
        Map.entry("MAX_CONNECTIONS", "12"),
        Map.entry("MAX_CONNECTIONS_PER_IP", "5"),
        Map.entry("MAX_CONNECTIONS_PER_TENANT", "2")));
    app.awaitLog("switchboard: open", 180_000);
  }

  private static byte[] unsigned(byte[] twosComplement) {
    return twosComplement[0] == 0 ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) {
      app.terminate(60_000);
    }
  }

  @Test
  @DisplayName("each refusal code, token expiry during the session, refresh-token, and the admin role behave as documented")
  void whoGetsIn() throws Exception {
    JsonObject run = NodeScript.run("security-scenario.mjs", 90_000, url, privateKey.toString(), "test-key", "switchboard-test",
        "switchboard-chat", OPERATOR_TOKEN);
    assertEquals("TOKEN_EXPIRED", run.getString("expired"));
    assertEquals("AUTH_FAILED", run.getString("wrongKey"), "an HS256 token when only the JWKS keys are trusted");
    assertEquals("AUTH_FAILED", run.getString("wrongIssuer"));
    assertEquals("AUTH_FAILED", run.getString("noSub"));
    assertEquals("connected", run.getString("valid"));
    assertEquals(List.of("connected", "connected", "TENANT_CONNECTION_LIMIT"), run.getJsonArray("tenant").getList());
    // The connection limits count sessions from the Engine.IO handshake and refuse handshakes: the
    // official client sees a connect error with the HTTP status; the body names the code.
    assertEquals(List.of("connected", "connected", "connected", "connected", "connected", "HTTP 429"),
        run.getJsonArray("address").getList());
    assertEquals(new JsonObject().put("status", 429).put("code", "IP_CONNECTION_LIMIT"), run.getJsonObject("addressHandshake"));
    assertEquals(List.of("connected", "connected", "connected", "connected", "HTTP 503"),
        run.getJsonArray("capacity").getList());
    assertEquals(new JsonObject().put("status", 503).put("code", "SERVER_AT_CAPACITY"), run.getJsonObject("capacityHandshake"));

    assertEquals(true, run.getJsonObject("refresh").getBoolean("ok"), run.encode());
    assertEquals("FORBIDDEN", run.getJsonObject("refreshOtherUser").getJsonObject("error").getString("code"));
    assertEquals("TOKEN_EXPIRED", run.getJsonObject("tokenExpired").getString("code"));
    assertEquals("io server disconnect", run.getString("expiredReason"));
    assertEquals(true, run.getJsonObject("refresherStillServed").getBoolean("ok"), "the refreshed session lives on");

    JsonObject own = run.getJsonObject("tenantAdminConnections");
    assertEquals(200, own.getInteger("status"));
    assertEquals(1, own.getInteger("total"), "a tenant admin sees their tenant's one connection, not the other tenant's");
    assertEquals(List.of("t-alice"), own.getJsonArray("tenants").getList());
    assertEquals(403, run.getInteger("tenantAdminOtherTenant"));
    assertEquals(403, run.getInteger("tenantAdminNodes"), "the cluster-wide view is the operator's");
    assertEquals(403, run.getInteger("tenantAdminDrain"), "draining a node is the operator's");
    assertEquals(0, run.getJsonObject("tenantAdminDisconnectOther").getInteger("total"), "another tenant's user is out of reach");
    assertEquals(true, run.getJsonObject("otherTenantStillServed").getBoolean("ok"));
    assertEquals(200, run.getInteger("operatorNodes"));
    assertEquals(401, run.getInteger("userRole"));
    assertTrue(app.output().contains("admin.request") && app.output().contains("userId=\"root\""),
        "admin requests are audited with who made them");
    assertTrue(app.output().contains("admin.forbidden"), "refused admin requests are audited");
    assertTrue(app.output().contains("connect.refused"), "refusals are in the audit log");
    assertTrue(!app.output().contains("eyJ"), "no token ever appears in the logs");
  }
}
