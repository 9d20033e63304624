package io.switchboard.gateway;

import io.switchboard.common.Addresses;

import io.switchboard.common.ops.OpsEndpoints;
import io.switchboard.common.runtime.Node;
import io.switchboard.gateway.admin.AdminApi;
import io.switchboard.gateway.adminui.AdminUi;
import io.switchboard.gateway.admission.Admission;
import io.switchboard.gateway.admission.ConnectAdmission;
import io.switchboard.gateway.admission.DeviceLimit;
import io.switchboard.gateway.admission.RateLimiter;
import io.switchboard.gateway.admission.RefusedConnects;
import io.switchboard.gateway.auth.DevTokens;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.calls.Calls;
import io.switchboard.gateway.chat.ChatHandlers;
import io.switchboard.gateway.chat.ChatNamespace;
import io.switchboard.gateway.chat.ConnectionRegistry;
import io.switchboard.gateway.chat.MembershipEvictions;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.moderation.BlockLists;
import io.switchboard.gateway.moderation.RoomModeration;
import java.util.Set;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.gateway.http.HttpServerVerticle;
import io.switchboard.gateway.http.MessagesApi;
import io.switchboard.gateway.http.PublishApi;
import io.switchboard.gateway.http.RoomsApi;
import io.switchboard.gateway.http.RequestDeadlines;
import io.switchboard.gateway.http.ChatWarmup;
import io.switchboard.gateway.http.Warmup;
import io.switchboard.gateway.http.WebAssets;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.gateway.ops.SocketStats;
import io.switchboard.gateway.presence.PresenceReporter;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.SocketIoOptions;
import io.switchboard.socketio.SocketIoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.switchboard.gateway.http.AttachmentsApi;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: one Socket.IO server per process, the chat namespace on it, the fan-out consumer, the
 * publish and admin APIs; then one HTTP server per event loop, all on the configured port.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final int PUBLISH_BODY_LIMIT = 64 * 1024;
  private static final long EXPIRY_SWEEP_MS = 5000;
  private static final long MODERATION_SWEEP_MS = 5000;
  private static final long WARMUP_DEADLINE_MS = 30_000;

  private final GatewayConfig config;
  private SocketIoServer socketIo;
  private OpsEndpoints ops;
  private Fanout fanout;
  private PublishApi publish;
  private AdminApi admin;
  private SocketStats stats;
  private TokenVerifier tokens;
  private PresenceReporter presence;
  private Calls calls;
  private AdminUi adminUi;
  private long expiryTimer = -1;
  private long refusalTimer = -1;
  private long moderationTimer = -1;
  private Future<Void> draining;

  public GatewayVerticle(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return TokenVerifier.create(vertx, config.auth()).compose(verifier -> {
      tokens = verifier;
      return wire();
    });
  }

  private Future<?> wire() {
    GatewayMetrics metrics = new GatewayMetrics(Node.meters(vertx));
    ConnectionRegistry connections = new ConnectionRegistry();
    // Not ready while it warms up: the probes answer from the start, the clients' port opens after.
    ops = new OpsEndpoints(vertx, "gateway", config.adminToken()).starting();
    RefusedConnects refusals = new RefusedConnects(config.connectFailuresPerIp());
    refusalTimer = vertx.setPeriodic(RefusedConnects.WINDOW_MS, id -> refusals.roll());
    Admission admission = new Admission(connections::countOf, new Admission.Limits(config.maxConnections(),
        config.maxConnectionsPerIp(), config.maxConnectionsPerTenant()), ops::draining, refusals, metrics);
    metrics.capacity(admission.capacity());
    metrics.sessions(admission::sessions);
    // Every session counts against the connection limits from its handshake on.
    SocketIoOptions socketIoOptions = socketIoOptions().sessionAdmission(admission);
    socketIo = SocketIoServer.create(vertx, socketIoOptions);
    // WebSocket messages up to maxPayload, and none of Vert.x's WebSocket compression (the Socket.IO
    // WebSocket negotiates its own when WS_COMPRESSION is on); HTTP compression stays on for polling
    // and pages. Strict
    // thread mode: every response is written on its connection's event loop (polling responses hop
    // there), so Vert.x keeps no cross-thread write queue per HTTP connection, which a WebSocket
    // would hold on to for its whole life. The idle timeout and the read deadlines come with
    // RequestDeadlines.
    HttpServerOptions http = socketIoOptions.applyTo(new HttpServerOptions()
        .setHost(config.host()).setPort(config.port()).setTcpNoDelay(true).setCompressionSupported(true)
        .setStrictThreadMode(true));
    RequestDeadlines deadlines = new RequestDeadlines(config.http(), metrics::httpTimeout);
    Namespace namespace = socketIo.of("/");
    metrics.gauges(connections, ConnectionRegistry::size, c -> namespace.rooms().size());
    for (String transport : new String[] {"websocket", "polling"}) {
      metrics.transportGauge(transport, t -> connections.countByTransport(t));
    }
    fanout = new Fanout(vertx, namespace, metrics, config.reorderWindowMs());
    presence = new PresenceReporter(vertx, fanout, config.presence());
    fanout.onSocketsLeave(new MembershipEvictions(connections, namespace, presence)::leave);
    RoomModeration moderation = new RoomModeration(roomId -> namespace.roomSize(ClientEvents.chatRoom(roomId)) > 0);
    fanout.onEvents(RoomModeration.EVENTS, moderation::changed);
    BlockLists blocks = new BlockLists(connections::socketsIn);
    fanout.onEvents(Set.of(ClientEvents.USER_BLOCKS_CHANGED), blocks::changed);
    fanout.hideBlocked(blocks);
    calls = new Calls(vertx, fanout, config.calls(), config.requestTimeoutMs());
    fanout.onEvents(Set.of(ClientEvents.CALL_ENDED), calls::ended);
    moderationTimer = vertx.setPeriodic(MODERATION_SWEEP_MS, id -> moderation.sweep());
    ChatHandlers chat = new ChatHandlers(vertx.eventBus(), config.requestTimeoutMs(), fanout, presence, tokens, metrics,
        new ChatHandlers.Limits(config.maxBodyChars(), config.maxMetaBytes(), config.recoveryMaxMessages(),
            config.maxRoomsPerSocket()), moderation, blocks, calls);
    DeviceLimit devices = new DeviceLimit(vertx.eventBus(), config.presence().connectionsPerUser(),
        config.presence().timeoutMs());
    ConnectAdmission connectAdmission = new ConnectAdmission(admission, tokens, devices, metrics);
    ChatNamespace chatNamespace = new ChatNamespace(connectAdmission, chat,
        presence, connections, new RateLimiter(config.rates()), metrics, blocks);
    chatNamespace.install(namespace);
    adminUi = new AdminUi(vertx, config.adminUi(), socketIo, namespace, ChatNamespace::describe,
        () -> (int) connections.countByTransport("polling"));
    adminUi.install();
    expiryTimer = vertx.setPeriodic(EXPIRY_SWEEP_MS,
        id -> chatNamespace.expireSessions(System.currentTimeMillis() / 1000, tokens.skewSeconds()));
    publish = new PublishApi(vertx.eventBus(), fanout, config.serviceToken());
    stats = new SocketStats(vertx, connections, socketIo::clientCount, namespace, metrics, ops::draining,
        config.memoryThresholdPercent());
    admin = new AdminApi(vertx, connections, namespace, config.adminToken(),
        tokens::verify, () -> startDrain());
    return fanout.listen()
        .compose(v -> calls.listen())
        .compose(v -> ops.listen(config.host(), config.opsPort(), router -> {
          router.get("/socket-health").handler(stats::health);
          router.get("/socket-metrics").handler(stats::metrics);
        }))
        .compose(v -> publish.listen())
        .compose(v -> admin.listen())
        .onSuccess(v -> presence.start())
        // The warm-up's private server counts no sessions against this node's limits.
        .compose(v -> new Warmup(vertx, socketIoOptions(), config.warmupConnections(), WARMUP_DEADLINE_MS).run())
        .compose(v -> new ChatWarmup(vertx, socketIo, socketIoOptions, connectAdmission, config.warmupConnections(),
            WARMUP_DEADLINE_MS).run())
        .compose(v -> vertx.deployVerticle(() -> new HttpServerVerticle(http, deadlines, this::routes, this::startDrain),
            new DeploymentOptions().setInstances(config.instances())))
        .onSuccess(id -> ops.started())
        .onSuccess(id -> LOG.info("gateway: listening on http://{}:{} (Socket.IO at /socket.io/, {} HTTP servers{}), ops on port {}",
            config.host(), config.port(), config.instances(), devModeNote(), config.opsPort()));
  }

  private SocketIoOptions socketIoOptions() {
    SocketIoOptions options = new SocketIoOptions();
    switch (config.recoveryOffsets()) {
      case OPT_IN -> options.recoveryOptIn(true);
      case ALL -> options.recoveryOptIn(false);
      case OFF -> options.recoveryWindowMs(0);
    }
    return options
        .pingIntervalMs(config.pingIntervalMs())
        .pingTimeoutMs(config.pingTimeoutMs())
        .maxPayload(config.maxPayloadBytes())
        .connectTimeoutMs(config.connectTimeoutMs())
        .corsOrigins(config.corsOrigins())
        .websocketCompression(config.wsCompression().enabled())
        .compressionThreshold(config.wsCompression().thresholdBytes())
        .compressionLevel(config.wsCompression().level());
  }

  private Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(new io.switchboard.gateway.http.SecurityHeaders(config.objectStoreOrigins()));
    router.errorHandler(500, ctx -> {
      if (ctx.response().closed()) {
        // The client went away or was cut off (a request read too slowly): nobody to answer, nothing broken.
        LOG.debug("http request abandoned path={} error=\"{}\"", ctx.request().path(), String.valueOf(ctx.failure()));
        return;
      }
      LOG.atError().setMessage("http request failed").addKeyValue("path", ctx.request().path()).setCause(ctx.failure()).log();
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(500).putHeader("content-type", "application/json").end("{\"error\":\"internal error\"}");
      }
    });
    // The public port shows status only; figures (tenants and their counts among them) need the
    // operator's token here, as for the console, and are open on the ops port.
    ops.mountProbes(router);
    router.get("/socket-health").handler(ops::requireAdmin).handler(stats::health);
    router.get("/socket-metrics").handler(ops::requireAdmin).handler(stats::metrics);
    admin.mount(router);
    router.post("/api/publish").handler(BodyHandler.create().setBodyLimit(PUBLISH_BODY_LIMIT)).handler(publish::handle);
    router.post("/api/rooms").handler(BodyHandler.create().setBodyLimit(PUBLISH_BODY_LIMIT))
        .handler(new RoomsApi(vertx.eventBus(), config.serviceToken(), config.requestTimeoutMs())::handle);
    router.post("/api/webhooks").handler(BodyHandler.create().setBodyLimit(PUBLISH_BODY_LIMIT))
        .handler(new RoomsApi(vertx.eventBus(), Addresses.CHAT_WEBHOOKS_MANAGE, config.serviceToken(),
            config.requestTimeoutMs())::handle);
    router.post("/api/digest").handler(BodyHandler.create().setBodyLimit(PUBLISH_BODY_LIMIT))
        .handler(new RoomsApi(vertx.eventBus(), Addresses.CHAT_DIGEST, config.serviceToken(), config.requestTimeoutMs())::handle);
    router.post("/api/messages").handler(BodyHandler.create().setBodyLimit(PUBLISH_BODY_LIMIT))
        .handler(new MessagesApi(vertx.eventBus(), config.serviceToken(), config.requestTimeoutMs())::handle);
    new AttachmentsApi(vertx, tokens, fanout, config.requestTimeoutMs()).mount(router);
    DevTokens devTokens = new DevTokens(tokens, config.devTokens());
    router.get("/dev/status").handler(devTokens::status);
    if (config.devTokens() != DevTokens.Access.NONE) {
      router.get("/dev/token").handler(devTokens::handle);
    }
    socketIo.mount(router);
    WebAssets.mount(router);
    return router;
  }

  private String devModeNote() {
    return switch (config.devTokens()) {
      case ANY -> ", dev mode: /dev/token open to every address";
      case LOOPBACK -> ", dev mode: /dev/token for this machine only";
      case NONE -> "";
    };
  }

  /**
   * Sends this node's clients elsewhere: {@code /ready} turns false (the load balancer stops sending
   * new clients), new sessions are refused, and the open connections are closed at the transport
   * over {@code DRAIN_SPREAD_MS}, so that the official clients reconnect by themselves, through the
   * load balancer, to other gateways, and catch up with {@code join-room {sinceSeq}}.
   */
  public synchronized Future<Void> startDrain() {
    if (draining == null) {
      LOG.info("gateway: draining {} connections over {} ms", socketIo.clientCount(), config.drainSpreadMs());
      ops.startDrain();
      draining = socketIo.drain(config.drainSpreadMs());
    }
    return draining;
  }

  /** Graceful stop: drain first, then release the rest. */
  @Override
  public Future<?> stop() {
    return startDrain()
        .eventually(() -> socketIo.close())
        .eventually(() -> presence.close())
        .eventually(() -> {
          ops.close();
          stats.close();
          vertx.cancelTimer(expiryTimer);
          tokens.close();
          vertx.cancelTimer(refusalTimer);
          vertx.cancelTimer(moderationTimer);
          adminUi.close();
          return admin.close();
        })
        .eventually(() -> publish.close())
        .eventually(() -> calls.close())
        .eventually(() -> fanout.close());
  }
}
