package io.switchboard.socketio.engine;

import io.vertx.core.MultiMap;

/** The HTTP request that opened a session: copied headers and query, remote address, time (epoch ms). */
public record EngineRequest(MultiMap headers, MultiMap query, String address, long issuedAt) {}
