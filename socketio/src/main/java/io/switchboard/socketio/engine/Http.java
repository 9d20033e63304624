package io.switchboard.socketio.engine;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writes polling responses, on the request's thread (see {@link PollingChannel.Exchange#write}). */
final class Http {
  private Http() {}

  static void text(Cors cors, String origin, HttpServerResponse resp, String body) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    cors.apply(origin, resp);
    resp.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=UTF-8");
    resp.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    resp.end(body);
  }

  static void ok(Cors cors, String origin, HttpServerResponse resp) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    cors.apply(origin, resp);
    resp.putHeader(HttpHeaders.CONTENT_TYPE, "text/html");
    resp.end("ok");
  }

  static void error(Cors cors, String origin, HttpServerResponse resp, EngineError error) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    cors.apply(origin, resp);
    resp.setStatusCode(error.status);
    resp.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    resp.end(error.json());
  }

  static void status(Cors cors, String origin, HttpServerResponse resp, int status, String body) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    cors.apply(origin, resp);
    resp.setStatusCode(status);
    resp.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    resp.end(body);
  }
}
