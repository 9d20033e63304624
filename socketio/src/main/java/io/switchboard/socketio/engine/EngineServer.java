package io.switchboard.socketio.engine;

import io.switchboard.socketio.SessionAdmission;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine.IO v4 endpoint: validates requests, opens sessions and routes polling requests and
 * WebSocket upgrades to them. Thread-safe; may serve requests from any number of event loops.
 *
 * <p>Sessions live in this process only, so HTTP long-polling needs sticky load balancing (a polling
 * request with a session id unknown here gets 400 "Session ID unknown"); a direct WebSocket
 * connection does not.
 */
public final class EngineServer {
  private static final Logger LOG = LoggerFactory.getLogger(EngineServer.class);

  /** Headers that only serve a WebSocket handshake: a session does not keep them. */
  private static final List<String> HANDSHAKE_ONLY = List.of("Upgrade", "Connection", "Sec-WebSocket-Key",
      "Sec-WebSocket-Version", "Sec-WebSocket-Extensions");

  private final Vertx vertx;
  private final EngineConfig config;
  private final Cors cors;
  private final Function<EngineSession, SessionHandler> handlers;
  private final SessionAdmission admission;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
  /** The heartbeat clock of each event loop with sessions. */
  private final Map<Thread, HeartbeatClock> clocks = new ConcurrentHashMap<>();
  private final SharedStrings shared = new SharedStrings();
  /** The last handshake's maps, shared with the next ones that have the same entries (any thread). */
  private volatile PairsMultiMap lastHeaders;
  private volatile PairsMultiMap lastQuery;
  private volatile boolean accepting = true;

  /** {@code handlers} builds the layer above for each new session, on that session's context. */
  public EngineServer(Vertx vertx, EngineConfig config, Function<EngineSession, SessionHandler> handlers) {
    this.vertx = vertx;
    this.config = config;
    this.cors = new Cors(config.corsOrigins(), config.corsCredentials());
    this.handlers = handlers;
    this.admission = config.admission();
  }

  EngineConfig config() {
    return config;
  }

  Cors cors() {
    return cors;
  }

  /** The heartbeat clock of the sessions on event loop {@code loop}; use it on that loop only. */
  HeartbeatClock heartbeatClock(Thread loop) {
    return clocks.computeIfAbsent(loop, l -> new HeartbeatClock(vertx));
  }

  public int sessionCount() {
    return sessions.size();
  }

  public Collection<EngineSession> sessions() {
    return List.copyOf(sessions.values());
  }

  public void stopAccepting() {
    accepting = false;
  }

  /** The session has closed: its admission is released, once whoever calls this. */
  void remove(EngineSession session) {
    if (sessions.remove(session.id(), session)) {
      admission.release(session.request().address());
    }
  }

  /** Handles one request to the Engine.IO path. Never throws. */
  public void handle(HttpServerRequest req) {
    try {
      dispatch(req);
    } catch (RuntimeException e) {
      LOG.error("engine.request_failure path={}", req.path(), e);
      if (!req.response().ended()) {
        req.response().setStatusCode(500).end();
      }
    }
  }

  private void dispatch(HttpServerRequest req) {
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    if (req.method() == HttpMethod.OPTIONS) {
      cors.preflight(req);
      return;
    }
    String transport = req.getParam("transport");
    boolean polling = "polling".equals(transport) && config.pollingEnabled();
    boolean websocket = "websocket".equals(transport) && config.websocketEnabled();
    if (!polling && !websocket) {
      refuse(req, origin, EngineError.UNKNOWN_TRANSPORT);
      return;
    }
    if (!cors.allowed(req)) {
      refuse(req, origin, EngineError.FORBIDDEN);
      return;
    }
    String sid = req.getParam("sid");
    if (sid != null) {
      EngineSession session = sessions.get(sid);
      if (session == null) {
        refuse(req, origin, EngineError.UNKNOWN_SID);
      } else if (websocket) {
        upgrade(req, origin, session);
      } else if (req.method() == HttpMethod.GET) {
        PollingChannel.Exchange get = PollingChannel.Exchange.of(req, origin);
        req.response().closeHandler(v -> session.runOnContext(() -> session.onPollClosed(get)));
        session.runOnContext(() -> session.onPollGet(get));
      } else if (req.method() == HttpMethod.POST) {
        readPost(req, origin, session);
      } else {
        refuse(req, origin, EngineError.BAD_REQUEST);
      }
      return;
    }
    if (!"4".equals(req.getParam("EIO"))) {
      // EIO=3 (Socket.IO v2 clients) and garbage alike: this server speaks Engine.IO v4 only.
      refuse(req, origin, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
      return;
    }
    if (req.method() != HttpMethod.GET) {
      refuse(req, origin, EngineError.BAD_HANDSHAKE_METHOD);
      return;
    }
    if (!accepting) {
      afterBody(req, () -> Http.status(cors, origin, req.response(), 503,
          "{\"code\":503,\"message\":\"Server is not accepting connections\"}"));
      return;
    }
    if (websocket && !isUpgrade(req)) {
      refuse(req, origin, EngineError.BAD_REQUEST);
      return;
    }
    EngineRequest info = info(req);
    SessionAdmission.Refusal refusal = admission.admit(info.address());
    if (refusal != null) {
      LOG.debug("engine.handshake_refused status={} reason={} address={}", refusal.status(), refusal.reason(),
          info.address());
      afterBody(req, () -> Http.status(cors, origin, req.response(), refusal.status(), refusal.body()));
      return;
    }
    if (websocket) {
      WebSocketUpgrade.accept(req, requestContext(), config.maxPayload(), config.deflation())
          .onSuccess(ws -> openWebSocket(ws, info))
          .onFailure(e -> {
            admission.release(info.address());
            LOG.debug("engine.websocket_handshake_failed error=\"{}\"", e.getMessage());
          });
    } else {
      EngineSession session = open(info);
      session.runOnContext(() -> session.start(handlers.apply(session), null));
      Http.text(cors, origin, req.response(), config.openPacket(session.id(), config.websocketEnabled()));
    }
  }

  private void openWebSocket(RawWebSocket ws, EngineRequest info) {
    EngineSession session = open(info);
    ws.writeText(config.openPacket(session.id(), false));
    ws.flush();
    session.start(handlers.apply(session), ws);
  }

  private EngineSession open(EngineRequest info) {
    // Created on the event loop of the request: the session is bound to it.
    Context context = requestContext();
    EngineSession session = new EngineSession(Ids.next(), vertx, context, this, info);
    sessions.put(session.id(), session);
    LOG.debug("engine.session_open sid={}", session.id());
    return session;
  }

  /** A second upgrade is accepted then closed at once, as the reference server does. */
  private void upgrade(HttpServerRequest req, String origin, EngineSession session) {
    if (!isUpgrade(req)) {
      refuse(req, origin, EngineError.BAD_REQUEST);
      return;
    }
    WebSocketUpgrade.accept(req, requestContext(), config.maxPayload(), config.deflation())
        .onSuccess(ws -> session.runOnContext(() -> session.onUpgradeRequest(ws)))
        .onFailure(e -> LOG.debug("engine.websocket_handshake_failed sid={} error=\"{}\"", session.id(), e.getMessage()));
  }

  /**
   * The event-loop context of the request being handled: its session runs there and its WebSocket
   * delivers events there. Not the request's own duplicate of it (Vert.x makes one per request, with
   * its local data): a session would keep that for its whole life, for nothing.
   */
  private ContextInternal requestContext() {
    return ((ContextInternal) vertx.getOrCreateContext()).unwrap();
  }

  /**
   * Reads a POST body up to maxPayload bytes, then hands it to the session on its context. One POST
   * at a time per session, as the reference server: a second one while the first is read closes the
   * session, so that a session never holds more than one body of maxPayload bytes.
   */
  private void readPost(HttpServerRequest req, String origin, EngineSession session) {
    PollingChannel.Exchange post = PollingChannel.Exchange.of(req, origin);
    if (!session.startPost()) {
      session.runOnContext(session::onPostOverlap);
      afterBody(req, () -> Http.error(cors, origin, req.response(), EngineError.BAD_REQUEST));
      return;
    }
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parseLong(length) > config.maxPayload()) {
      session.endPost();
      session.runOnContext(() -> session.onPayloadTooLarge(post));
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    req.handler(chunk -> {
      if (tooLarge[0]) {
        return;
      }
      if (body.length() + chunk.length() > config.maxPayload()) {
        tooLarge[0] = true;
        session.runOnContext(() -> session.onPayloadTooLarge(post));
      } else {
        body.appendBuffer(chunk);
      }
    });
    // end() rather than endHandler: the future also completes when the request had already ended.
    req.end().onComplete(ar -> {
      session.endPost();
      if (ar.failed()) {
        LOG.debug("engine.post_failed sid={} error=\"{}\"", session.id(), ar.cause().getMessage());
      } else if (!tooLarge[0]) {
        String text = body.toString(StandardCharsets.UTF_8);
        session.runOnContext(() -> session.onPollPost(post, text));
      }
    });
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static boolean isUpgrade(HttpServerRequest req) {
    String upgrade = req.getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  private void refuse(HttpServerRequest req, String origin, EngineError error) {
    LOG.debug("engine.request_refused code={} method={} query=\"{}\"", error.code, req.method(), req.query());
    afterBody(req, () -> Http.error(cors, origin, req.response(), error));
  }

  /**
   * Answers once the request body (ignored) is read: a response ended while the client is still
   * sending leaves a keep-alive connection in a state where the client may never see the answer.
   */
  private static void afterBody(HttpServerRequest req, Runnable respond) {
    req.handler(ignored -> {});
    req.end().onComplete(ar -> respond.run());
  }

  /**
   * What the session keeps of its handshake for its whole life: compact read-only copies of the
   * headers (minus those of the WebSocket handshake) and query, their strings shared between
   * sessions. Vert.x's own maps of the request cost about 800 bytes per idle connection.
   */
  private EngineRequest info(HttpServerRequest req) {
    PairsMultiMap headers = PairsMultiMap.copyOf(req.headers(),
        name -> HANDSHAKE_ONLY.stream().noneMatch(name::equalsIgnoreCase), shared, lastHeaders);
    PairsMultiMap query = PairsMultiMap.copyOf(req.params(), name -> true, shared, lastQuery);
    lastHeaders = headers;
    lastQuery = query;
    String address = req.remoteAddress() != null ? shared.of(req.remoteAddress().hostAddress()) : null;
    return new EngineRequest(headers, query, address, System.currentTimeMillis());
  }
}
