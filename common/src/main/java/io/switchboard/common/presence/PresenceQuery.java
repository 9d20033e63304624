package io.switchboard.common.presence;

/** Who is online in a room of a tenant. */
public record PresenceQuery(String tenant, String roomId) {}
