package io.switchboard.gateway.support;

import static io.switchboard.gateway.support.Await.await;

import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.message.MessageServiceConfig;
import io.switchboard.message.MessageServiceVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A real gateway ({@link GatewayVerticle}, as the launcher deploys it) on a free loopback port, with
 * message-service and presence-service stubbed on its event bus (or the real message-service on a
 * fresh database of the embedded Postgres: {@link #withMessageService}), tokens of its secret, chat clients
 * on the official Java client and HTTP calls. Everything it opened is closed with it.
 */
public final class TestGateway implements AutoCloseable {
  public static final String TENANT = "acme";
  public static final String SERVICE_TOKEN = "service-token-of-the-tests";
  public static final String ADMIN_TOKEN = "operator-token-of-the-tests";
  private static final String JWT_SECRET = "jwt-secret-of-the-gateway-component-tests";

  public final Vertx vertx = Vertx.vertx();
  /** The stub; null with the real message-service. */
  public final StubMessageService messages;
  public final StubPresenceService presence;
  private final int port;
  private final TokenVerifier tokens;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<ChatClient> clients = new CopyOnWriteArrayList<>();

  private TestGateway(UnaryOperator<Config> overrides, boolean realMessages) {
    BusCodecs.register(vertx);
    messages = realMessages ? null : new StubMessageService(vertx);
    presence = new StubPresenceService(vertx);
    Config config = overrides.apply(Config.defaults()
        .with(ConfigKey.HTTP_HOST, "127.0.0.1").with(ConfigKey.GATEWAY_OPS_PORT, 0)
        .with(ConfigKey.JWT_SECRET, JWT_SECRET).with(ConfigKey.SERVICE_TOKEN, SERVICE_TOKEN)
        .with(ConfigKey.ADMIN_TOKEN, ADMIN_TOKEN).with(ConfigKey.REQUEST_TIMEOUT_MS, 1000)
        .with(ConfigKey.PRESENCE_TIMEOUT_MS, 500).with(ConfigKey.DRAIN_SPREAD_MS, 100));
    if (realMessages) {
      await(vertx.deployVerticle(new MessageServiceVerticle(MessageServiceConfig.from(config
          .with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0)))));
    }
    tokens = await(TokenVerifier.create(vertx, GatewayConfig.from(config).auth()));
    port = deployGateway(config);
  }

  /**
   * The gateway on a free port; on another one when a process (tests run beside other builds) took
   * that port between the check and the bind.
   */
  private int deployGateway(Config config) {
    for (int attempt = 1; ; attempt++) {
      int candidate = freePort();
      try {
        await(vertx.deployVerticle(new GatewayVerticle(GatewayConfig.from(config.with(ConfigKey.HTTP_PORT, candidate)))));
        return candidate;
      } catch (AssertionError e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
          cause = cause.getCause();
        }
        if (attempt == 3 || !(cause instanceof java.net.BindException)) {
          throw e;
        }
      }
    }
  }

  /** A gateway with the defaults of the configuration, but for ports, secrets and short timeouts. */
  public static TestGateway start() {
    return start(UnaryOperator.identity());
  }

  /** The same, with the test's own settings on top. */
  public static TestGateway start(UnaryOperator<Config> overrides) {
    return new TestGateway(overrides, false);
  }

  /** A gateway as {@link #start()}, with the real message-service on a fresh database in place of the stub. */
  public static TestGateway withMessageService() {
    return new TestGateway(UnaryOperator.identity(), true);
  }

  /** The same, with the test's own settings on top. */
  public static TestGateway withMessageService(UnaryOperator<Config> overrides) {
    return new TestGateway(overrides, true);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** A token for {@code user} of the tenant {@value #TENANT}, valid for an hour. */
  public String token(String user) {
    return token(user, TENANT);
  }

  public String token(String user, String tenant) {
    return token(new JsonObject().put("sub", user).put("tenant", tenant), 3600);
  }

  /** A token with the admin role of {@code tenant}. */
  public String adminToken(String user, String tenant) {
    return token(new JsonObject().put("sub", user).put("tenant", tenant).put("role", "admin"), 3600);
  }

  /** A token of {@value #TENANT} that expired two minutes ago, beyond the verifier's clock skew. */
  public String expiredToken(String user) {
    return token(new JsonObject().put("sub", user).put("tenant", TENANT).put("exp", System.currentTimeMillis() / 1000 - 120), 0);
  }

  /** A token with these claims, expiring in {@code expiresInSeconds} (0: at the claims' own {@code exp}, if any). */
  public String token(JsonObject claims, int expiresInSeconds) {
    return tokens.mint(claims, expiresInSeconds);
  }

  /** {@code user} of {@value #TENANT}, connected. */
  public ChatClient connect(String user) {
    return connectWith(token(user));
  }

  /** A client connected with {@code token}; fails the test when the CONNECT is refused. */
  public ChatClient connectWith(String token) {
    ChatClient.Outcome outcome = ChatClient.open(url(), token);
    if (outcome.client() == null) {
      throw new AssertionError("CONNECT refused: " + outcome.refusal());
    }
    clients.add(outcome.client());
    return outcome.client();
  }

  /** The CONNECT_ERROR {@code {message, data}} a connect with {@code token} (null: none) gets; fails the test when it connects. */
  public JsonObject refusal(String token) {
    ChatClient.Outcome outcome = ChatClient.open(url(), token);
    if (outcome.client() != null) {
      clients.add(outcome.client());
      throw new AssertionError("CONNECT admitted, a refusal was expected");
    }
    return outcome.refusal();
  }

  /** An HTTP answer: its status and JSON body. */
  public record Answer(int status, JsonObject body) {}

  public Answer get(String path, String bearer) {
    return call(HttpRequest.newBuilder(uri(path)).GET(), bearer);
  }

  public Answer post(String path, String bearer, String body) {
    return call(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), bearer);
  }

  private Answer call(HttpRequest.Builder request, String bearer) {
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofMillis(Await.TIMEOUT_MS)).build(),
          HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Answer(response.statusCode(), body.startsWith("{") ? new JsonObject(body) : new JsonObject().put("text", body));
    } catch (IOException e) {
      throw new AssertionError("HTTP call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private URI uri(String path) {
    return URI.create(url() + path);
  }

  /** A port nothing listens on at the moment. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    clients.forEach(ChatClient::close);
    await(vertx.close());
  }
}
