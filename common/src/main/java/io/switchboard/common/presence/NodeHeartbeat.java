package io.switchboard.common.presence;

/**
 * A gateway node renewing its lease: presence keeps the node's connections for {@code leaseMs} more
 * milliseconds. The reply is a {@code Boolean}: whether presence knows the node (false after Redis
 * lost its data or the node was reaped; the node then sends a sync).
 */
public record NodeHeartbeat(String nodeId, long leaseMs) {}
