package io.switchboard.common.chat;

import java.util.List;

/** A room as clients see it. {@code kind} is one of {@link RoomKind}'s wire names. */
public record Room(
    String id, String name, String kind, String tenant, List<String> members, String createdBy, String createdAt) {}
