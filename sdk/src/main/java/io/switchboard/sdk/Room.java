package io.switchboard.sdk;

import java.util.List;

/** A room as created: {@code kind} is group, direct or public; {@code createdBy} its owner. */
public record Room(String id, String name, String kind, String tenant, List<String> members, String createdBy,
    String createdAt) {}
