package io.switchboard.gateway.chat;

import io.switchboard.common.chat.MemberChange;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The moderation requests of docs/protocol.md section 3 ({@code mute-member}, {@code unmute-member}):
 * message-service checks the rights and announces the change to the room in its seq order; this
 * node, like every node, learns it from that announcement ({@link io.switchboard.gateway.moderation.RoomModeration}).
 */
final class ModerationHandlers {
  private final ChatServices services;

  ModerationHandlers(ChatServices services) {
    this.services = services;
  }

  /** {@code mute-member}: acked with the mute's end, as message-service set it. */
  Future<JsonObject> muteMember(Connection c, Requests.MuteMember req) {
    if (req.userId().equals(c.user().userId())) {
      throw Replies.invalid("userId", "you cannot mute yourself");
    }
    return services.changeMembers(MemberChange.mute(c.user(), req.roomId(), req.userId(), req.durationSeconds()))
        .map(result -> Replies.ok().put("seq", result.seq()).put("mutedUntil", result.message().meta().getString("mutedUntil")));
  }

  /** {@code unmute-member}: no {@code seq} when the member was not muted. */
  Future<JsonObject> unmuteMember(Connection c, Requests.UnmuteMember req) {
    return services.changeMembers(MemberChange.unmute(c.user(), req.roomId(), req.userId()))
        .map(result -> result.changed() ? Replies.ok().put("seq", result.seq()) : Replies.ok());
  }
}
