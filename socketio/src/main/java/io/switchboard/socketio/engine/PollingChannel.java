package io.switchboard.socketio.engine;

import io.switchboard.socketio.parser.EngineParser;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP long-polling side of one session: at most one pending GET and the frames waiting for the
 * next one, at most {@code limit} of them. Used on the session's context only.
 */
final class PollingChannel {

  /** One polling request: its response and the Origin it came with (for CORS headers). */
  record Exchange(HttpServerResponse response, String origin) {}

  private final Cors cors;
  private final int limit;
  private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
  private Exchange pending;

  PollingChannel(Cors cors, int limit) {
    this.cors = cors;
    this.limit = limit;
  }

  boolean hasPending() {
    return pending != null;
  }

  boolean hasQueued() {
    return !queue.isEmpty();
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
    queue.addAll(frames);
    if (queue.size() > limit) {
      queue.clear();
      return false;
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
    List<Object> frames = new ArrayList<>(queue);
    queue.clear();
    Http.text(cors, get.origin(), get.response(), EngineParser.encodePayload(frames));
  }

  /** Ends the pending GET, if any, with a noop ("6"), e.g. so that the client can complete an upgrade. */
  void endPendingWithNoop() {
    if (pending != null) {
      Exchange get = pending;
      pending = null;
      Http.text(cors, get.origin(), get.response(), "6");
    }
  }

  /** Ends the pending GET, if any, with the queued frames then a close packet ("1"). */
  void endPendingWithClose() {
    if (pending != null) {
      Exchange get = pending;
      pending = null;
      queue.add("1");
      flush(get);
    }
  }

  /** Takes every queued frame, in order (the upgrade moves them to the WebSocket). */
  List<Object> drain() {
    List<Object> frames = new ArrayList<>(queue);
    queue.clear();
    return frames;
  }

  void clear() {
    queue.clear();
  }

  void answer(Exchange exchange, String body) {
    Http.text(cors, exchange.origin(), exchange.response(), body);
  }

  void ok(Exchange exchange) {
    Http.ok(cors, exchange.origin(), exchange.response());
  }

  void error(Exchange exchange, EngineError error) {
    Http.error(cors, exchange.origin(), exchange.response(), error);
  }

  void tooLarge(Exchange exchange) {
    Http.status(cors, exchange.origin(), exchange.response(), 413, "{\"code\":3,\"message\":\"Payload too large\"}");
  }
}
