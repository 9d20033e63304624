package io.switchboard.gateway;

import io.switchboard.common.ops.OpsEndpoints;
import io.switchboard.gateway.auth.DevTokens;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.chat.ChatNamespace;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.http.HttpServerVerticle;
import io.switchboard.gateway.http.PublishApi;
import io.switchboard.gateway.presence.PresenceReporter;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: one Socket.IO server per process, the chat namespace on it, the fan-out consumer and
 * the publish API; then one HTTP server per event loop, all on the configured port.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final int PUBLISH_BODY_LIMIT = 64 * 1024;

  private final GatewayConfig config;
  private SocketIoServer socketIo;
  private OpsEndpoints ops;
  private Fanout fanout;
  private PublishApi publish;
  private TokenVerifier tokens;
  private PresenceReporter presence;

  public GatewayVerticle(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    tokens = TokenVerifier.create(vertx, config.auth());
    socketIo = SocketIoServer.create(vertx, new SocketIoOptions()
        .pingIntervalMs(config.pingIntervalMs())
        .pingTimeoutMs(config.pingTimeoutMs())
        .maxPayload(config.maxPayloadBytes())
        .corsOrigins(config.corsOrigins()));
    var namespace = socketIo.of("/");
    fanout = new Fanout(vertx.eventBus(), namespace);
    presence = new PresenceReporter(vertx, fanout, config.presence());
    new ChatNamespace(tokens, fanout, presence, vertx.eventBus(),
        config.requestTimeoutMs(), config.maxBodyChars(), config.recoveryMaxMessages()).install(namespace);
    publish = new PublishApi(vertx.eventBus(), fanout, config.serviceToken());
    ops = new OpsEndpoints(vertx, "gateway");
    return fanout.listen()
        .compose(v -> publish.listen())
        .onSuccess(v -> presence.start())
        .compose(v -> vertx.deployVerticle(() -> new HttpServerVerticle(config.host(), config.port(), this::routes),
            new DeploymentOptions().setInstances(config.instances())))
        .onSuccess(id -> LOG.info("gateway: listening on http://{}:{} (Socket.IO at /socket.io/, {} event loops{})",
            config.host(), config.port(), config.instances(), config.devMode() ? ", dev mode" : ""));
  }

  private Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    ops.mount(router);
    router.post("/api/publish").handler(BodyHandler.create().setBodyLimit(PUBLISH_BODY_LIMIT)).handler(publish::handle);
    if (config.devMode()) {
      router.get("/dev/token").handler(new DevTokens(tokens)::handle);
    }
    socketIo.mount(router);
    router.get("/*").handler(StaticHandler.create("public").setCachingEnabled(true).setMaxAgeSeconds(300));
    return router;
  }

  /** From now on {@code /ready} is false and no new client session is accepted. */
  public void startDrain() {
    ops.startDrain();
    socketIo.stopAccepting();
  }

  @Override
  public Future<?> stop() {
    ops.startDrain();
    return socketIo.close()
        .eventually(() -> presence.close())
        .eventually(() -> publish.close())
        .eventually(() -> fanout.close());
  }
}
