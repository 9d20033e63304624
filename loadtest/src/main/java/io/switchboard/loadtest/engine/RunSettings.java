package io.switchboard.loadtest.engine;

import io.switchboard.loadtest.protocol.Endpoint;
import java.util.List;

/**
 * What every scenario shares: where to connect, from which source addresses, how to authenticate,
 * and the limits that keep connection storms and setup bounded.
 *
 * @param endpoints gateway URLs; socket i uses endpoint i modulo their number
 * @param sourceIps local addresses; socket i binds source address i modulo their number (empty: any)
 * @param jwtSecret the HS256 secret the servers verify tokens with
 * @param userPrefix prefix of the simulated user ids (unique per run)
 * @param connectRate connections started per second at most (0: no limit)
 * @param maxPendingConnects connections in their handshake at once, at most
 * @param connectTimeoutMs how long one connection may take to reach the Socket.IO connected state
 * @param requestTimeoutMs how long setup requests (create-room, join-room, leave-room) may wait for their ack
 * @param setupConcurrency setup requests outstanding at once, at most
 * @param receive the CONNECT auth's {@code receive} ("durable" or "optimistic"), or null to leave it out
 * @param compression whether the WebSockets offer permessage-deflate
 */
public record RunSettings(List<Endpoint> endpoints, List<String> sourceIps, String jwtSecret, String userPrefix,
    double connectRate, int maxPendingConnects, long connectTimeoutMs, long requestTimeoutMs, int setupConcurrency,
    String receive, boolean compression) {

  public RunSettings {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one --url is required");
    }
    endpoints = List.copyOf(endpoints);
    sourceIps = List.copyOf(sourceIps);
    if (maxPendingConnects < 1 || setupConcurrency < 1) {
      throw new IllegalArgumentException("--max-pending-connects and --setup-concurrency must be at least 1");
    }
  }
}
