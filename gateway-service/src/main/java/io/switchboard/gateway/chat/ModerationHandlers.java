package io.switchboard.gateway.chat;

import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.MemberChange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The moderation requests of docs/protocol.md section 3: {@code mute-member}, {@code unmute-member}
 * (message-service checks the rights and announces the change to the room in its seq order; this
 * node, like every node, learns it from that announcement: {@link io.switchboard.gateway.moderation.RoomModeration}),
 * and a user's blocks ({@code block-user}, {@code unblock-user}, {@code list-blocks}; every node learns
 * a change from {@code user-blocks-changed}: {@link io.switchboard.gateway.moderation.BlockLists}).
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

  /** {@code block-user}: message-service tells the user's devices, and every gateway, whom they block now. */
  Future<JsonObject> blockUser(Connection c, Requests.BlockUser req) {
    if (req.userId().equals(c.user().userId())) {
      throw Replies.invalid("userId", "you cannot block yourself");
    }
    return services.block(new BlockChange(c.user(), BlockChange.Action.BLOCK, req.userId())).map(list -> Replies.ok());
  }

  Future<JsonObject> unblockUser(Connection c, Requests.UnblockUser req) {
    return services.block(new BlockChange(c.user(), BlockChange.Action.UNBLOCK, req.userId())).map(list -> Replies.ok());
  }

  /** {@code list-blocks}: whom the user blocks, by user id, with since when. */
  Future<JsonObject> listBlocks(Connection c, Requests.ListBlocks req) {
    return services.block(new BlockChange(c.user(), BlockChange.Action.LIST, null)).map(list -> {
      JsonArray blocks = new JsonArray();
      list.blocks().forEach(b -> blocks.add(new JsonObject().put("userId", b.userId()).put("blockedAt", b.blockedAt())));
      return Replies.ok().put("blocks", blocks);
    });
  }

  /** {@code unmute-member}: no {@code seq} when the member was not muted. */
  Future<JsonObject> unmuteMember(Connection c, Requests.UnmuteMember req) {
    return services.changeMembers(MemberChange.unmute(c.user(), req.roomId(), req.userId()))
        .map(result -> result.changed() ? Replies.ok().put("seq", result.seq()) : Replies.ok());
  }
}
