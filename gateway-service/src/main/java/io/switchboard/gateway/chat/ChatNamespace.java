package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Sender;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.limits.EventClass;
import io.switchboard.gateway.limits.RateLimiter;
import io.switchboard.gateway.ops.Audit;
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
 * The chat namespace {@code /}: authenticates CONNECT with the token of the auth payload, puts each
 * connection in its user's private room, and dispatches the client events to {@link ChatHandlers}.
 * A bad request is answered with its error and never closes the connection.
 */
public final class ChatNamespace {
  private static final Logger LOG = LoggerFactory.getLogger(ChatNamespace.class);

  @FunctionalInterface
  interface Handler {
    Future<JsonObject> handle(Connection connection, List<Object> args);
  }

  private final TokenVerifier tokens;
  private final PresenceReporter presence;
  private final ConnectionRegistry registry;
  private final Admission admission;
  private final GatewayMetrics metrics;
  private final RateLimiter limiter;
  private final Map<String, Handler> handlers;

  public ChatNamespace(TokenVerifier tokens, Fanout fanout, PresenceReporter presence, ConnectionRegistry registry,
      Admission admission, RateLimiter limiter, GatewayMetrics metrics, io.vertx.core.eventbus.EventBus bus,
      long requestTimeoutMs, int maxBodyChars, int recoveryMaxMessages) {
    this.limiter = limiter;
    this.tokens = tokens;
    this.presence = presence;
    this.registry = registry;
    this.admission = admission;
    this.metrics = metrics;
    ChatHandlers chat = new ChatHandlers(new ChatServices(bus, requestTimeoutMs), fanout, presence, metrics,
        maxBodyChars, recoveryMaxMessages);
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
        Map.entry("get-presence", chat::getPresence));
  }

  public void install(Namespace namespace) {
    namespace.use(this::authenticate);
    namespace.onConnection(this::connected);
  }

  private Future<Void> authenticate(Socket socket) {
    ErrorCode refusal = admission.refusal(socket.handshake());
    Future<Sender> verified = refusal != null
        ? Future.failedFuture(ServiceException.of(refusal, refusal == ErrorCode.SERVER_DRAINING
            ? "server draining, connect again" : "server at capacity"))
        : tokens.verify(socket.handshake().auth().getValue("token"));
    return verified
        .recover(failure -> {
          ErrorCode code = ServiceException.codeOf(failure);
          metrics.refused(code);
          Audit.event("connect.refused", null, null, socket.handshake().address(), socket.id(), code.name());
          return Future.failedFuture(new ConnectRefusedException(failure.getMessage(),
              new JsonObject().put("code", code.name())));
        })
        .map(user -> {
          socket.set(Connection.KEY, user);
          return null;
        });
  }

  private void connected(Socket socket) {
    Sender user = socket.get(Connection.KEY);
    Connection connection = new Connection(socket, user, limiter.open(user.tenant() + "/" + user.userId()));
    socket.join(ClientEvents.userRoom(user.tenant(), user.userId()));
    presence.connected(connection.id(), user);
    if (socket.recovered()) {
      // Connection state recovery restored the socket's rooms; presence forgot them at the disconnect.
      socket.rooms().stream().filter(room -> room.startsWith(ClientEvents.chatRoom("")))
          .forEach(room -> presence.joined(connection.id(), user, room.substring(ClientEvents.chatRoom("").length())));
    }
    handlers.forEach((event, handler) -> socket.on(event, (args, ack) -> dispatch(connection, event, handler, args, ack)));
    socket.onAny((event, args, ack) -> {
      if (admitted(connection, event, ack)) {
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
    Replies.fail(connection.socket(), event, ack, new ServiceException(ErrorCode.RATE_LIMITED, "too many requests",
        new JsonObject().put("retryAfterMs", verdict.retryAfterMs())));
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
          metrics.request(event, ServiceException.codeOf(failure));
          Replies.fail(connection.socket(), event, ack, failure);
        });
  }
}
