package io.switchboard.common.presence;

/**
 * May this connection of a user be opened, with at most {@code limit} connections per user across
 * the cluster? Admitted: an empty reply, and the connection holds a place for a few seconds until
 * the node reports it connected. Refused: failure {@code USER_CONNECTION_LIMIT}.
 */
public record AdmitRequest(String tenant, String userId, String connectionId, int limit) {}
