package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Sender;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.limits.EventClass;
import io.switchboard.gateway.limits.RateLimiter;
import io.switchboard.common.ops.Audit;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.gateway.presence.PresenceReporter;
import io.switchboard.socketio.ConnectRefusedException;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.Socket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat namespace {@code /}: admits and authenticates each CONNECT (drain and throttle, then the
 * token of the auth payload, then the tenant and device limits), puts each connection in its user's
 * private room, and dispatches the client events through the rate limits to {@link ChatHandlers}. A
 * bad request is answered with its error and never closes the connection; a socket that keeps
 * flooding is cut off.
 */
public final class ChatNamespace {
  private static final Logger LOG = LoggerFactory.getLogger(ChatNamespace.class);
  private static final String PRINCIPAL = "chat.principal";

  @FunctionalInterface
  interface Handler {
    Future<JsonObject> handle(Connection connection, List<Object> args);
  }

  private final TokenVerifier tokens;
  private final PresenceReporter presence;
  private final ConnectionRegistry registry;
  private final Admission admission;
  private final RateLimiter limiter;
  private final GatewayMetrics metrics;
  private final Map<String, Handler> handlers;

  public ChatNamespace(TokenVerifier tokens, ChatHandlers chat, PresenceReporter presence, ConnectionRegistry registry,
      Admission admission, RateLimiter limiter, GatewayMetrics metrics) {
    this.tokens = tokens;
    this.presence = presence;
    this.registry = registry;
    this.admission = admission;
    this.limiter = limiter;
    this.metrics = metrics;
    this.handlers = Map.ofEntries(
        Map.entry("join-room", chat::joinRoom),
        Map.entry("leave-room", chat::leaveRoom),
        Map.entry("send-message", chat::sendMessage),
        Map.entry("edit-message", chat::editMessage),
        Map.entry("delete-message", chat::deleteMessage),
        Map.entry("fetch-history", chat::fetchHistory),
        Map.entry("mark-read", chat::markRead),
        Map.entry("create-room", chat::createRoom),
        Map.entry("typing", chat::typing),
        Map.entry("get-presence", chat::getPresence),
        Map.entry("list-rooms", chat::listRooms),
        Map.entry("refresh-token", this::refreshToken));
  }

  public void install(Namespace namespace) {
    namespace.use(this::authenticate);
    // A recovered session (its rooms, private room included, and missed events) goes back only to
    // the same user of the same tenant, whoever else presents its pid.
    namespace.recoveryOwner(socket -> socket.get(PRINCIPAL) instanceof Principal p
        ? List.of(p.sender().tenant(), p.sender().userId()) : null);
    namespace.onConnection(this::connected);
  }

  private Future<Void> authenticate(Socket socket) {
    ErrorCode early = admission.beforeAuth(socket.handshake());
    Future<Principal> verified = early != null
        ? Future.failedFuture(ServiceException.of(early, refusalMessage(early)))
        : tokens.verify(socket.handshake().auth().getValue("token")).compose(principal -> {
          ErrorCode late = admission.afterAuth(principal.sender());
          return late == null ? Future.succeededFuture(principal)
              : Future.failedFuture(ServiceException.of(late, refusalMessage(late)));
        }).compose(principal -> presence.admit(socket.id(), principal.sender()).map(principal));
    return verified
        .recover(failure -> {
          ErrorCode code = ServiceException.codeOf(failure);
          metrics.refused(code);
          admission.refused(socket.handshake(), socket.id(), code);
          return Future.failedFuture(new ConnectRefusedException(refusalMessage(code),
              new JsonObject().put("code", code.name())));
        })
        .map(principal -> {
          socket.set(PRINCIPAL, principal);
          // The bearer token is not kept past its check: no heap dump or listing shows live tokens
          // (and it was the largest string an idle connection held).
          socket.handshake().auth().remove("token");
          return null;
        });
  }

  private static String refusalMessage(ErrorCode code) {
    return switch (code) {
      case TOKEN_EXPIRED -> "token expired";
      case SERVER_DRAINING -> "server draining, connect again";
      case CONNECT_THROTTLED -> "too many failed connects from this address, retry later";
      case TENANT_CONNECTION_LIMIT -> "too many connections for this tenant";
      case USER_CONNECTION_LIMIT -> "too many devices connected for this user";
      default -> "authentication failed";
    };
  }

  private void connected(Socket socket) {
    Principal principal = socket.get(PRINCIPAL);
    Sender user = principal.sender();
    Connection connection = new Connection(socket, user, limiter.open(user.tenant() + "/" + user.userId()));
    connection.expiresAt(principal.expiresAt());
    socket.join(ClientEvents.userRoom(user.tenant(), user.userId()));
    presence.connected(connection.id(), user);
    if (socket.recovered()) {
      // Connection state recovery restored the socket's rooms; presence forgot them at the disconnect.
      socket.rooms().stream().filter(room -> room.startsWith(ClientEvents.chatRoom("")))
          .forEach(room -> presence.joined(connection.id(), user, room.substring(ClientEvents.chatRoom("").length())));
    }
    // One dispatcher per socket, not a listener per event: a dozen lambdas and map entries per
    // connection were a measurable share of an idle connection's heap.
    socket.onAny((event, args, ack) -> {
      Handler handler = handlers.get(event);
      if (handler != null) {
        dispatch(connection, event, handler, args, ack);
      } else if (admitted(connection, event, ack)) {
        metrics.request("unknown", ErrorCode.UNKNOWN_EVENT);
        Replies.fail(socket, event, ack, ServiceException.of(ErrorCode.UNKNOWN_EVENT, "unknown event"));
      }
    });
    registry.add(connection);
    metrics.connected();
    socket.onDisconnect(reason -> {
      limiter.close(connection.limits());
      registry.remove(connection);
      metrics.disconnected(reason);
      presence.disconnected(connection.id(), user);
    });
  }

  /**
   * {@code refresh-token {token}}: a new token for the same user and tenant extends the session
   * without reconnecting; its expiry replaces the old one.
   */
  private Future<JsonObject> refreshToken(Connection connection, List<Object> args) {
    Object token = !args.isEmpty() && args.get(0) instanceof JsonObject payload ? payload.getValue("token") : null;
    return tokens.verify(token).compose(principal -> {
      Sender now = principal.sender();
      if (!now.userId().equals(connection.user().userId()) || !now.tenant().equals(connection.user().tenant())) {
        return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "the new token is for another user"));
      }
      connection.expiresAt(principal.expiresAt());
      return Future.succeededFuture(Replies.ok().put("expiresAt", principal.expiresAt()));
    });
  }

  /**
   * Tells and disconnects the sockets whose token expired (and was not refreshed). Called
   * periodically; a token is honoured up to the verifier's clock skew past its {@code exp}.
   */
  public void expireSessions(long nowEpochSeconds, long skewSeconds) {
    for (Connection c : registry.all()) {
      if (c.expiresAt() + skewSeconds < nowEpochSeconds) {
        Audit.event("session.expired", c.user().userId(), c.user().tenant(), c.socket().handshake().address(), c.id(),
            "token expired without refresh");
        c.socket().emit(ClientEvents.TOKEN_EXPIRED, new JsonObject().put("code", ErrorCode.TOKEN_EXPIRED.name())
            .put("message", "token expired: connect again with a new token"));
        c.socket().disconnect(true);
      }
    }
  }

  /** Applies the rate limits; answers RATE_LIMITED, and cuts off a socket that keeps flooding. */
  private boolean admitted(Connection connection, String event, Socket.Ack ack) {
    RateLimiter.Verdict verdict = connection.limits().check(event);
    if (verdict.allowed()) {
      return true;
    }
    metrics.rateLimited(EventClass.of(event));
    if (verdict.abusive()) {
      Audit.event("disconnect.abuse", connection.user().userId(), connection.user().tenant(),
          connection.socket().handshake().address(), connection.id(), "kept flooding after RATE_LIMITED");
      metrics.abuseDisconnect();
      connection.socket().disconnect(true);
      return false;
    }
    if (ack != null || connection.limits().shouldNotify()) {
      Replies.fail(connection.socket(), event, ack, new ServiceException(ErrorCode.RATE_LIMITED, "too many requests",
          new JsonObject().put("retryAfterMs", verdict.retryAfterMs())));
    }
    return false;
  }

  private void dispatch(Connection connection, String event, Handler handler, List<Object> args, Socket.Ack ack) {
    if (!admitted(connection, event, ack)) {
      return;
    }
    Future<JsonObject> result;
    try {
      result = handler.handle(connection, args);
    } catch (ServiceException refused) {
      result = Future.failedFuture(refused);
    } catch (RuntimeException bug) {
      LOG.atError().setMessage("request failed").addKeyValue("event", event).addKeyValue("connectionId", connection.id())
          .setCause(bug).log();
      result = Future.failedFuture(bug);
    }
    result.onComplete(
        reply -> {
          metrics.request(event, null);
          if (ack != null) {
            ack.send(reply);
          }
        },
        failure -> {
          ErrorCode code = ServiceException.codeOf(failure);
          metrics.request(event, code);
          if (code == ErrorCode.FORBIDDEN) {
            Audit.event("request.forbidden", connection.user().userId(), connection.user().tenant(),
                connection.socket().handshake().address(), connection.id(), event);
          }
          Replies.fail(connection.socket(), event, ack, failure);
        });
  }
}
