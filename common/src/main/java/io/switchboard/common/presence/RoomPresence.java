package io.switchboard.common.presence;

import java.util.List;

/** The users online in a room, cluster-wide. */
public record RoomPresence(String roomId, List<String> online) {}
