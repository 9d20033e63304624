package io.switchboard.socketio;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * What the client sent when it connected: the CONNECT packet's auth payload (empty object when none),
 * the HTTP headers and query of the first request, the remote address, and the time (epoch ms).
 * Headers and query are read-only (the session keeps them for its life, compactly); the headers of
 * the WebSocket upgrade itself (Upgrade, Connection, Sec-WebSocket-*) are not among them.
 */
public record Handshake(JsonObject auth, MultiMap headers, MultiMap query, String address, long issuedAt) {}
