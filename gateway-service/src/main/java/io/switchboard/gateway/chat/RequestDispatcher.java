package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.ops.Audit;
import io.switchboard.gateway.admission.RateClass;
import io.switchboard.gateway.admission.RateLimiter;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.socketio.Socket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a socket's client events: each passes the socket's rate limit for its class, is decoded
 * once into its request's record and answered by its handler ({@link Requests}); any other event is
 * {@code UNKNOWN_EVENT}. A bad request is answered with its error and never closes the connection; a
 * socket that keeps flooding is cut off.
 */
final class RequestDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

  private final Map<String, Requests.Route<?>> routes = Requests.byWire();
  private final ChatHandlers chat;
  private final GatewayMetrics metrics;

  RequestDispatcher(ChatHandlers chat, GatewayMetrics metrics) {
    this.chat = chat;
    this.metrics = metrics;
  }

  void attach(Connection connection) {
    // One dispatcher per socket, not a listener per event: a listener per request would cost every
    // connection, idle ones included, a lambda and a map entry per request for its whole life.
    connection.socket().onAny((event, args, ack) -> dispatch(connection, event, args, ack));
  }

  private void dispatch(Connection connection, String event, List<Object> args, Socket.Ack ack) {
    Requests.Route<?> route = routes.get(event);
    if (!admitted(connection, event, route == null ? RateClass.OTHER : route.rate(), ack)) {
      return;
    }
    if (route == null) {
      metrics.request("unknown", ErrorCode.UNKNOWN_EVENT);
      Replies.fail(connection.socket(), event, ack, ServiceException.of(ErrorCode.UNKNOWN_EVENT, "unknown event"));
      return;
    }
    Future<JsonObject> result;
    try {
      result = route.answer(chat, connection, args);
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

  /** Applies the rate limit; answers RATE_LIMITED, and cuts off a socket that keeps flooding. */
  private boolean admitted(Connection connection, String event, RateClass rate, Socket.Ack ack) {
    RateLimiter.Verdict verdict = connection.limits().check(rate);
    if (verdict.allowed()) {
      return true;
    }
    metrics.rateLimited(rate);
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
}
