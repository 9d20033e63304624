package io.switchboard.socketio.engine;

import io.switchboard.socketio.parser.EngineParser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP long-polling side of one session: at most one pending GET and the frames waiting for the
 * next one, at most {@code limit} of them. Used on the session's context only.
 */
final class PollingChannel {

  /**
   * One polling request: its response, the Origin it came with (for CORS headers), and the context
   * and thread of the request. Servers may run Vert.x's strict thread mode (the gateway does: no
   * cross-thread write queue kept per connection), where a response
   * must be written on its connection's own thread; the session may live on another event loop, so
   * {@link #write} hops there.
   */
  record Exchange(HttpServerResponse response, String origin, Context context, Thread thread) {
    /** Call on the request's thread. */
    static Exchange of(HttpServerRequest request, String origin) {
      return new Exchange(request.response(), origin, Vertx.currentContext(), Thread.currentThread());
    }

    void write(Consumer<HttpServerResponse> action) {
      if (Thread.currentThread() == thread) {
        action.accept(response);
      } else {
        context.runOnContext(v -> action.accept(response));
      }
    }
  }

  private final Cors cors;
  private final int limit;
  /**
   * Frames waiting for the next GET; null while there are none: a WebSocket session never queues,
   * and an upgraded one no longer does (a queue kept for nothing was 65 bytes per connection).
   */
  private ArrayDeque<Object> queue;
  private Exchange pending;

  PollingChannel(Cors cors, int limit) {
    this.cors = cors;
    this.limit = limit;
  }

  boolean hasPending() {
    return pending != null;
  }

  boolean hasQueued() {
    return queue != null;
  }

  /** Keeps this GET until there is something to send. */
  void hold(Exchange get) {
    pending = get;
  }

  /** Forgets this GET if it is the pending one (its connection closed); true if it was. */
  boolean release(Exchange get) {
    if (pending != get) {
      return false;
    }
    pending = null;
    return true;
  }

  /** Queues frames and answers the pending GET; false when the bound is exceeded (the queue is dropped). */
  boolean offer(List<Object> frames) {
    if (!frames.isEmpty()) {
      if (queue == null) {
        queue = new ArrayDeque<>(4);
      }
      queue.addAll(frames);
      if (queue.size() > limit) {
        queue = null;
        return false;
      }
    }
    if (pending != null) {
      Exchange get = pending;
      pending = null;
      flush(get);
    }
    return true;
  }

  /** Answers this GET with every queued frame. */
  void flush(Exchange get) {
    List<Object> frames = drain();
    String payload = EngineParser.encodePayload(frames);
    get.write(response -> Http.text(cors, get.origin(), response, payload));
  }

  /** Ends the pending GET, if any, with a noop ("6"), e.g. so that the client can complete an upgrade. */
  void endPendingWithNoop() {
    if (pending != null) {
      Exchange get = pending;
      pending = null;
      get.write(response -> Http.text(cors, get.origin(), response, "6"));
    }
  }

  /** Ends the pending GET, if any, with the queued frames then a close packet ("1"). */
  void endPendingWithClose() {
    if (pending != null) {
      Exchange get = pending;
      pending = null;
      List<Object> frames = drain();
      frames.add("1");
      String payload = EngineParser.encodePayload(frames);
      get.write(response -> Http.text(cors, get.origin(), response, payload));
    }
  }

  /** Takes every queued frame, in order (the upgrade moves them to the WebSocket). */
  List<Object> drain() {
    List<Object> frames = queue == null ? new ArrayList<>(1) : new ArrayList<>(queue);
    queue = null;
    return frames;
  }

  void clear() {
    queue = null;
  }

  void answer(Exchange exchange, String body) {
    exchange.write(response -> Http.text(cors, exchange.origin(), response, body));
  }

  void ok(Exchange exchange) {
    exchange.write(response -> Http.ok(cors, exchange.origin(), response));
  }

  void error(Exchange exchange, EngineError error) {
    exchange.write(response -> Http.error(cors, exchange.origin(), response, error));
  }

  void tooLarge(Exchange exchange) {
    exchange.write(response -> Http.status(cors, exchange.origin(), response, 413,
        "{\"code\":3,\"message\":\"Payload too large\"}"));
  }
}
