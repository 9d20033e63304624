package io.switchboard.socketio.engine;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;

/**
 * CORS for the polling transport. With {@code "*"} every origin is allowed and echoed back (so that
 * credentials keep working); with an allow-list other browser origins are refused with 403.
 * Requests without an Origin header (non-browser clients) are always allowed.
 */
final class Cors {
  private final boolean any;
  private final Set<String> origins;
  private final boolean credentials;

  Cors(List<String> origins, boolean credentials) {
    this.any = origins.contains("*");
    this.origins = Set.copyOf(origins);
    this.credentials = credentials;
  }

  boolean allowed(HttpServerRequest req) {
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    return origin == null || any || origins.contains(origin);
  }

  void apply(String origin, HttpServerResponse resp) {
    if (origin == null) {
      if (any) {
        resp.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
      }
      return;
    }
    if (any || origins.contains(origin)) {
      resp.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      resp.putHeader(HttpHeaders.VARY, "Origin");
      if (credentials) {
        resp.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
      }
    }
  }

  void preflight(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    apply(req.getHeader(HttpHeaders.ORIGIN), resp);
    String requested = req.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
    resp.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET,POST,OPTIONS");
    resp.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, requested != null ? requested : "Content-Type");
    resp.putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "86400");
    resp.setStatusCode(204).end();
  }
}
