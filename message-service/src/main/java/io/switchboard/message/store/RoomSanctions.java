package io.switchboard.message.store;

import static io.switchboard.message.store.PgRoomMembers.banned;
import static io.switchboard.message.store.PgRoomMembers.meta;
import static io.switchboard.message.store.PgRoomMembers.record;
import static io.switchboard.message.store.PgRoomMembers.refused;
import static io.switchboard.message.store.PgRoomMembers.roles;
import static io.switchboard.message.store.PgRoomMembers.unchanged;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.RoomRole;
import io.switchboard.message.store.PgRoomMembers.Locked;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * The sanctions among the changes of members ({@link PgRoomMembers}, in its transaction, the room
 * locked): bans (kept out of the room) and mutes (no sends nor edits until a time). Rights, for both:
 * an owner or admin acts; nobody targets the owner; an admin targets members, the owner admins too.
 * The batched write of messages enforces a mute (R__persist_messages.sql), edits too ({@code Sql#MESSAGE_FOR_EDIT}).
 */
final class RoomSanctions {
  /** The longest mute: a year (a longer silence is a ban). */
  static final long MAX_MUTE_SECONDS = 365L * 24 * 3600;

  private RoomSanctions() {}

  /**
   * Bans a user: a member is removed (same rights as removing them), anyone is kept out (no join of
   * a public room, no add) until unbanned. Banning again changes nothing.
   */
  static Future<MemberChangeResult> ban(Locked room) {
    if (!room.actorRole().manages()) {
      return refused(ErrorCode.FORBIDDEN, "only the owner or an admin may ban");
    }
    String target = room.change().userIds().get(0);
    return roles(room, List.of(target)).compose(existing -> banned(room, List.of(target)).compose(banned -> {
      RoomRole role = existing.get(target);
      return mayTarget(room, role, "banned").compose(v -> {
        if (role == null && !banned.isEmpty()) {
          return Future.succeededFuture(unchanged(room));
        }
        List<Member> members = List.of(new Member(target, null, role == null ? null : role.wire()));
        JsonObject meta = meta(ClientEvents.MEMBER_BANNED, room).put("userId", target).put("wasMember", role != null);
        Future<MemberChangeResult> recorded = record(room, meta, room.actor().userId() + " banned " + target, members)
            .compose(result -> room.conn().preparedQuery(Sql.BAN)
                .execute(Tuple.of(room.roomId(), target, room.actor().userId())).map(result));
        return role == null ? recorded : recorded.compose(result -> room.conn().preparedQuery(Sql.REMOVE_MEMBER)
            .execute(Tuple.of(room.roomId(), target)).map(result));
      });
    }));
  }

  static Future<MemberChangeResult> unban(Locked room) {
    if (!room.actorRole().manages()) {
      return refused(ErrorCode.FORBIDDEN, "only the owner or an admin may unban");
    }
    String target = room.change().userIds().get(0);
    return banned(room, List.of(target)).compose(banned -> {
      if (banned.isEmpty()) {
        return Future.succeededFuture(unchanged(room));
      }
      List<Member> members = List.of(new Member(target, null, null));
      JsonObject meta = meta(ClientEvents.MEMBER_UNBANNED, room).put("userId", target);
      return record(room, meta, room.actor().userId() + " unbanned " + target, members)
          .compose(result -> room.conn().preparedQuery(Sql.UNBAN).execute(Tuple.of(room.roomId(), target)).map(result));
    });
  }

  /**
   * Mutes a member for the change's {@code durationSeconds}, from now: a new end replaces the one
   * before, longer or shorter. Always a change (the end moves with the time).
   */
  static Future<MemberChangeResult> mute(Locked room) {
    if (!room.actorRole().manages()) {
      return refused(ErrorCode.FORBIDDEN, "only the owner or an admin may mute");
    }
    String target = room.change().userIds().get(0);
    long seconds = room.change().durationSeconds();
    return roles(room, List.of(target)).compose(existing -> {
      RoomRole role = existing.get(target);
      if (role == null) {
        return refused(ErrorCode.NOT_FOUND, "not a member of this room: " + target);
      }
      return mayTarget(room, role, "muted")
          .compose(v -> room.conn().preparedQuery(Sql.MUTE).execute(Tuple.of(room.roomId(), target, seconds)))
          .compose(rows -> {
            String until = Rows.iso(rows.iterator().next().getOffsetDateTime("muted_until"));
            JsonObject meta = meta(ClientEvents.MEMBER_MUTED, room).put("userId", target).put("mutedUntil", until)
                .put("durationSeconds", seconds);
            return record(room, meta, room.actor().userId() + " muted " + target + " until " + until,
                List.of(Member.of(target, role.wire())), new JsonObject().put("mutedUntil", until).put("durationSeconds", seconds));
          });
    });
  }

  /** Lifts a member's mute before its end, with the rights muting them needs; no change when not muted. */
  static Future<MemberChangeResult> unmute(Locked room) {
    if (!room.actorRole().manages()) {
      return refused(ErrorCode.FORBIDDEN, "only the owner or an admin may unmute");
    }
    String target = room.change().userIds().get(0);
    return room.conn().preparedQuery(Sql.MUTE_OF).execute(Tuple.of(room.roomId(), target)).compose(rows -> {
      if (rows.size() == 0) {
        return refused(ErrorCode.NOT_FOUND, "not a member of this room: " + target);
      }
      RoomRole role = RoomRole.fromWire(rows.iterator().next().getString("role")).orElse(RoomRole.MEMBER);
      boolean muted = rows.iterator().next().getBoolean("muted");
      return mayTarget(room, role, "unmuted").compose(v -> {
        if (!muted) {
          return Future.succeededFuture(unchanged(room));
        }
        JsonObject meta = meta(ClientEvents.MEMBER_UNMUTED, room).put("userId", target);
        return record(room, meta, room.actor().userId() + " unmuted " + target, List.of(Member.of(target, role.wire())))
            .compose(result -> room.conn().preparedQuery(Sql.UNMUTE).execute(Tuple.of(room.roomId(), target)).map(result));
      });
    });
  }

  /** Whom a sanction may target: never the owner; an admin only by the owner. {@code role} null: not a member. */
  private static Future<Void> mayTarget(Locked room, RoomRole role, String done) {
    if (role == RoomRole.OWNER) {
      return refused(ErrorCode.FORBIDDEN, "the owner cannot be " + done);
    }
    if (role == RoomRole.ADMIN && room.actorRole() != RoomRole.OWNER) {
      return refused(ErrorCode.FORBIDDEN, "only the owner may sanction an admin");
    }
    return Future.succeededFuture();
  }
}
