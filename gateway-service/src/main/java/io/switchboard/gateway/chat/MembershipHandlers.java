package io.switchboard.gateway.chat;

import io.switchboard.common.chat.InviteChange;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.RoomChange;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The membership requests of docs/protocol.md section 3 ("Membership and roles"): the members and
 * their roles, adding, removing, banning, leaving for good, a room's settings, archive and deletion,
 * and invitations. Message-service checks the rights where the data lives and announces each change
 * to the room in its seq order; these only shape the requests and the acks.
 */
final class MembershipHandlers {
  /** An invitation's life when the request names none: a week. */
  private static final long DEFAULT_INVITE_SECONDS = 7 * 24 * 3600;

  private final ChatServices services;
  private final io.switchboard.gateway.moderation.RoomModeration moderation;

  MembershipHandlers(ChatServices services, io.switchboard.gateway.moderation.RoomModeration moderation) {
    this.moderation = moderation;
    this.services = services;
  }

  /** {@code list-members {roomId}}: the members and their roles, owner first. */
  Future<JsonObject> listMembers(Connection c, Requests.ListMembers req) {
    return services.members(new MemberListRequest(c.user(), req.roomId()))
        .map(list -> Replies.ok().put("members", Member.toJson(list.members())));
  }

  /**
   * The membership requests: message-service checks the rights and announces the change to the
   * room in its seq order; the removed users' sockets leave the room when each node gets that far
   * ({@link MembershipEvictions}), so the ack may come first.
   */
  Future<JsonObject> addMembers(Connection c, Requests.AddMembers req) {
    return services.changeMembers(MemberChange.add(c.user(), req.roomId(), req.userIds())).map(result -> {
      JsonObject ack = Replies.ok().put("added", new JsonArray(result.members().stream().map(Member::userId).toList()));
      return result.changed() ? ack.put("seq", result.seq()) : ack;
    });
  }

  Future<JsonObject> removeMember(Connection c, Requests.RemoveMember req) {
    if (req.userId().equals(c.user().userId())) {
      throw Replies.invalid("userId", "to remove yourself, quit the room");
    }
    return services.changeMembers(MemberChange.remove(c.user(), req.roomId(), req.userId()))
        .map(result -> Replies.ok().put("seq", result.seq()));
  }

  Future<JsonObject> setMemberRole(Connection c, Requests.SetMemberRole req) {
    return services.changeMembers(MemberChange.setRole(c.user(), req.roomId(), req.userId(), req.role())).map(result -> {
      JsonObject ack = Replies.ok().put("changes", Member.toJson(result.members()));
      return result.changed() ? ack.put("seq", result.seq()) : ack;
    });
  }

  /** {@code ban-member}: removed if a member, kept out until {@code unban-member}; no {@code seq} when nothing changed. */
  Future<JsonObject> banMember(Connection c, Requests.BanMember req) {
    if (req.userId().equals(c.user().userId())) {
      throw Replies.invalid("userId", "to leave the room, quit it");
    }
    return services.changeMembers(MemberChange.ban(c.user(), req.roomId(), req.userId()))
        .map(result -> result.changed() ? Replies.ok().put("seq", result.seq()) : Replies.ok());
  }

  Future<JsonObject> unbanMember(Connection c, Requests.UnbanMember req) {
    return services.changeMembers(MemberChange.unban(c.user(), req.roomId(), req.userId()))
        .map(result -> result.changed() ? Replies.ok().put("seq", result.seq()) : Replies.ok());
  }

  Future<JsonObject> quitRoom(Connection c, Requests.QuitRoom req) {
    return services.changeMembers(MemberChange.leave(c.user(), req.roomId()))
        .map(result -> Replies.ok().put("seq", result.seq()));
  }

  /** {@code update-room}, {@code archive-room}, {@code unarchive-room}: owners and admins, checked by message-service. */
  Future<JsonObject> updateRoom(Connection c, Requests.UpdateRoom req) {
    return changeRoom(new RoomChange(c.user(), req.roomId(), RoomChange.Action.UPDATE, req.name(), req.topic(), req.slowMode(),
        req.retentionDays())).onSuccess(ack -> {
          // This node's sockets see the new slow mode once the ack is out, not only when the room's
          // room-updated event comes back over the bus: a member told "slow mode off" may send at once.
          if (req.slowMode() != null) {
            moderation.slowModeChanged(req.roomId(), req.slowMode());
          }
        });
  }

  Future<JsonObject> archiveRoom(Connection c, Requests.ArchiveRoom req) {
    return changeRoom(new RoomChange(c.user(), req.roomId(), RoomChange.Action.ARCHIVE, null, null));
  }

  Future<JsonObject> unarchiveRoom(Connection c, Requests.UnarchiveRoom req) {
    return changeRoom(new RoomChange(c.user(), req.roomId(), RoomChange.Action.UNARCHIVE, null, null));
  }

  /** {@code delete-room}: the owner only; the room and its messages are gone, its sockets leave it everywhere. */
  Future<JsonObject> deleteRoom(Connection c, Requests.DeleteRoom req) {
    return changeRoom(new RoomChange(c.user(), req.roomId(), RoomChange.Action.DELETE, null, null));
  }

  /** {@code create-invite}: a token shown once, living a week unless said otherwise. */
  Future<JsonObject> createInvite(Connection c, Requests.CreateInvite req) {
    long ttl = req.expiresInSeconds() == null ? DEFAULT_INVITE_SECONDS : req.expiresInSeconds();
    return services.invite(new InviteChange(c.user(), InviteChange.Action.CREATE, req.roomId(), null, ttl, req.maxUses()))
        .map(r -> Replies.ok().put("token", r.token()).put("expiresAt", r.expiresAt()).put("maxUses", r.maxUses()));
  }

  Future<JsonObject> revokeInvite(Connection c, Requests.RevokeInvite req) {
    return services.invite(new InviteChange(c.user(), InviteChange.Action.REVOKE, req.roomId(), req.token(), 0, null))
        .map(r -> Replies.ok());
  }

  /** {@code accept-invite}: the user becomes a member of the token's room; they join it as usual after. */
  Future<JsonObject> acceptInvite(Connection c, Requests.AcceptInvite req) {
    return services.invite(new InviteChange(c.user(), InviteChange.Action.ACCEPT, null, req.token(), 0, null)).map(r -> {
      JsonObject ack = Replies.ok().put("roomId", r.roomId());
      return r.joined().changed() ? ack.put("seq", r.joined().seq()) : ack;
    });
  }

  private Future<JsonObject> changeRoom(RoomChange change) {
    return services.changeRoom(change).map(result -> result.changed() ? Replies.ok().put("seq", result.seq()) : Replies.ok());
  }
}
