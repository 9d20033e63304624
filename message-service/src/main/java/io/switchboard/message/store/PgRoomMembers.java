package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Identities;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.chat.RoomRole;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.ops.Audit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RoomMembers} on Postgres: each change a transaction of a few statements on a connection of
 * the pool, starting with the lock of the room's row ({@link ChangeLog#lock}); a persist of
 * the room waits for it like any writer of the room's seq. The system message's {@code meta} is the
 * change as its event tells it ({@code event}, {@code actorId} and the event's fields), so the
 * announcer and a client reading history see the same.
 */
public final class PgRoomMembers implements RoomMembers {
  private static final Logger LOG = LoggerFactory.getLogger(PgRoomMembers.class);
  /** Most users one add-members names (the gateway's schema says the same). */
  public static final int MAX_ADDED_PER_CHANGE = 100;

  private final Pool pool;
  private final SqlClient statements;
  private final int maxMembers;

  public PgRoomMembers(Pool pool, SqlClient statements, int maxMembers) {
    this.pool = pool;
    this.statements = statements;
    this.maxMembers = maxMembers;
  }

  /** The room locked for one change, as its actor (with {@code actorRole}: the system's is the owner's) sees it. */
  record Locked(SqlConnection conn, MemberChange change, RoomRole actorRole, long members) {
    String roomId() {
      return change.roomId();
    }

    Sender actor() {
      return change.actor();
    }
  }

  @Override
  public Future<MemberChangeResult> change(MemberChange change, boolean system) {
    String problem = problem(change);
    if (problem == null && system && change.action() == MemberChange.Action.LEAVE) {
      problem = "the system is no member: it cannot quit a room";
    }
    if (problem != null) {
      return Future.failedFuture(ServiceException.of(ErrorCode.VALIDATION_ERROR, problem));
    }
    Sender actor = change.actor();
    return pool.withTransaction(conn -> ChangeLog.lock(conn, change.roomId(), actor)
            .compose(room -> {
              String role = system ? RoomRole.OWNER.wire() : room.getString("actor_role");
              if (role == null) {
                return refused(ErrorCode.FORBIDDEN, "not a member of this room");
              }
              if (RoomKind.DIRECT.wire().equals(room.getString("kind"))) {
                return refused(ErrorCode.FORBIDDEN, "a direct room keeps its two members and their roles");
              }
              Locked locked = new Locked(conn, change, RoomRole.fromWire(role).orElse(RoomRole.MEMBER), room.getLong("members"));
              return switch (change.action()) {
                case ADD -> add(locked);
                case REMOVE -> remove(locked);
                case LEAVE -> leave(locked);
                case SET_ROLE -> setRole(locked);
                case BAN -> RoomSanctions.ban(locked);
                case UNBAN -> RoomSanctions.unban(locked);
                case MUTE -> RoomSanctions.mute(locked);
                case UNMUTE -> RoomSanctions.unmute(locked);
              };
            }))
        .onSuccess(PgRoomMembers::audit)
        .recover(failure -> failed("member change", failure));
  }

  /** What the store refuses whoever sent it: ids and roles of the contract, one user where one is meant. */
  private static String problem(MemberChange change) {
    if (change.actor() == null || change.actor().userId() == null || change.actor().tenant() == null
        || change.roomId() == null || change.action() == null) {
      return "a member change needs an actor with a tenant, a room and an action";
    }
    int users = change.userIds().size();
    switch (change.action()) {
      case ADD -> {
        if (users < 1 || users > MAX_ADDED_PER_CHANGE) {
          return "userIds: 1 to " + MAX_ADDED_PER_CHANGE + " users";
        }
      }
      case REMOVE, SET_ROLE, BAN, UNBAN, MUTE, UNMUTE -> {
        if (users != 1) {
          return "userId: exactly one user";
        }
        if ((change.action() == MemberChange.Action.REMOVE || change.action() == MemberChange.Action.BAN)
            && change.userIds().get(0).equals(change.actor().userId())) {
          return "userId: to remove yourself, quit the room";
        }
        if (change.action() == MemberChange.Action.MUTE) {
          if (change.userIds().get(0).equals(change.actor().userId())) {
            return "userId: you cannot mute yourself";
          }
          if (change.durationSeconds() < 1 || change.durationSeconds() > RoomSanctions.MAX_MUTE_SECONDS) {
            return "durationSeconds: 1 to " + RoomSanctions.MAX_MUTE_SECONDS;
          }
        }
        if (change.action() == MemberChange.Action.SET_ROLE && RoomRole.fromWire(change.role()).isEmpty()) {
          return "role: owner, admin or member";
        }
      }
      case LEAVE -> {
        return null;
      }
    }
    for (String userId : change.userIds()) {
      String problem = Identities.userIdProblem(userId);
      if (problem != null) {
        return "userIds: " + problem;
      }
    }
    return null;
  }

  private Future<MemberChangeResult> add(Locked room) {
    if (!room.actorRole().manages()) {
      return refused(ErrorCode.FORBIDDEN, "only the owner or an admin may add members");
    }
    List<String> wanted = List.copyOf(new LinkedHashSet<>(room.change().userIds()));
    return roles(room, wanted).compose(existing -> banned(room, wanted).map(banned -> {
      if (!banned.isEmpty()) {
        throw ServiceException.of(ErrorCode.FORBIDDEN, "banned from this room (unban first): " + String.join(", ", banned));
      }
      return existing;
    })).compose(existing -> {
      List<String> added = wanted.stream().filter(u -> !existing.containsKey(u)).toList();
      if (added.isEmpty()) {
        return Future.succeededFuture(unchanged(room));
      }
      if (room.members() + added.size() > maxMembers) {
        return refused(ErrorCode.MEMBER_LIMIT, "a room has at most " + maxMembers + " members; this one has "
            + room.members() + " and " + added.size() + " would be added");
      }
      List<Member> members = added.stream().map(u -> Member.of(u, RoomRole.MEMBER.wire())).toList();
      JsonObject meta = meta(ClientEvents.MEMBER_ADDED, room).put("members", Member.toJson(members));
      String body = room.actor().userId() + " added " + String.join(", ", added);
      return record(room, meta, body, members).compose(result -> room.conn().preparedQuery(Sql.ADD_MEMBERS)
          .execute(Tuple.of(room.roomId()).addArrayOfString(added.toArray(String[]::new)).addLong(result.seq()))
          .map(result));
    });
  }

  private Future<MemberChangeResult> remove(Locked room) {
    if (!room.actorRole().manages()) {
      return refused(ErrorCode.FORBIDDEN, "only the owner or an admin may remove members");
    }
    String target = room.change().userIds().get(0);
    return roles(room, List.of(target)).compose(existing -> {
      RoomRole role = existing.get(target);
      if (role == null) {
        return refused(ErrorCode.NOT_FOUND, "not a member of this room: " + target);
      }
      if (role == RoomRole.OWNER) {
        return refused(ErrorCode.FORBIDDEN, "the owner cannot be removed");
      }
      if (role == RoomRole.ADMIN && room.actorRole() != RoomRole.OWNER) {
        return refused(ErrorCode.FORBIDDEN, "only the owner may remove an admin");
      }
      return removal(room, target, role, "removed", room.actor().userId() + " removed " + target);
    });
  }

  /** Which of these users are banned from the locked room. */
  static Future<List<String>> banned(Locked room, List<String> userIds) {
    return room.conn().preparedQuery(Sql.BANNED).execute(Tuple.of(room.roomId()).addArrayOfString(userIds.toArray(String[]::new)))
        .map(rows -> {
          List<String> banned = new ArrayList<>();
          rows.forEach(r -> banned.add(r.getString("user_id")));
          return banned;
        });
  }

  private Future<MemberChangeResult> leave(Locked room) {
    if (room.actorRole() == RoomRole.OWNER) {
      return refused(ErrorCode.LAST_OWNER, "the owner cannot quit the room: transfer the ownership first");
    }
    return removal(room, room.actor().userId(), room.actorRole(), "left", room.actor().userId() + " left");
  }

  private Future<MemberChangeResult> removal(Locked room, String userId, RoomRole role, String reason, String body) {
    List<Member> members = List.of(new Member(userId, null, role.wire()));
    JsonObject meta = meta(ClientEvents.MEMBER_REMOVED, room).put("userId", userId).put("reason", reason);
    return record(room, meta, body, members).compose(result -> room.conn().preparedQuery(Sql.REMOVE_MEMBER)
        .execute(Tuple.of(room.roomId(), userId)).map(result));
  }

  private Future<MemberChangeResult> setRole(Locked room) {
    if (room.actorRole() != RoomRole.OWNER) {
      return refused(ErrorCode.FORBIDDEN, "only the owner may change roles");
    }
    String target = room.change().userIds().get(0);
    RoomRole wanted = RoomRole.fromWire(room.change().role()).orElseThrow();
    return room.conn().preparedQuery(Sql.OWNER_OF).execute(Tuple.of(room.roomId())).compose(owners -> {
      String owner = owners.size() == 0 ? null : owners.iterator().next().getString("user_id");
      return roles(room, List.of(target)).map(existing -> new Object[] {owner, existing.get(target)});
    }).compose(found -> {
      String owner = (String) found[0];
      RoomRole current = (RoomRole) found[1];
      if (current == null) {
        return refused(ErrorCode.NOT_FOUND, "not a member of this room: " + target);
      }
      if (current == wanted) {
        return Future.succeededFuture(unchanged(room));
      }
      if (target.equals(owner)) {
        return refused(ErrorCode.LAST_OWNER, "the owner keeps the role until the ownership is transferred");
      }
      List<Member> changes = new ArrayList<>();
      changes.add(new Member(target, wanted.wire(), current.wire()));
      if (wanted == RoomRole.OWNER && owner != null) {
        changes.add(new Member(owner, RoomRole.ADMIN.wire(), RoomRole.OWNER.wire()));
      }
      JsonObject meta = meta(ClientEvents.MEMBER_ROLE_CHANGED, room).put("changes", Member.toJson(changes));
      String body = room.actor().userId() + (wanted == RoomRole.OWNER ? " transferred the ownership to " + target
          : " made " + target + " " + wanted.wire());
      // The old owner steps down before the new one steps up: a room has at most one owner at any time.
      Future<MemberChangeResult> recorded = record(room, meta, body, changes);
      for (Member change : changes.size() == 2 ? List.of(changes.get(1), changes.get(0)) : changes) {
        recorded = recorded.compose(result -> room.conn().preparedQuery(Sql.SET_ROLE)
            .execute(Tuple.of(room.roomId(), change.userId(), change.role())).map(result));
      }
      return recorded;
    });
  }

  /** The roles of these users in the locked room; a user who is not a member is absent. */
  static Future<Map<String, RoomRole>> roles(Locked room, List<String> userIds) {
    return room.conn().preparedQuery(Sql.ROLES_OF).execute(Tuple.of(room.roomId()).addArrayOfString(userIds.toArray(String[]::new)))
        .map(rows -> {
          Map<String, RoomRole> roles = new HashMap<>();
          rows.forEach(r -> roles.put(r.getString("user_id"), RoomRole.fromWire(r.getString("role")).orElse(RoomRole.MEMBER)));
          return roles;
        });
  }

  /** Records the change (system message and audit) in the same transaction. */
  static Future<MemberChangeResult> record(Locked room, JsonObject meta, String body, List<Member> members) {
    return record(room, meta, body, members, null);
  }

  /** The same, with {@code detail} for the audit (a mute's end). */
  static Future<MemberChangeResult> record(Locked room, JsonObject meta, String body, List<Member> members,
      JsonObject detail) {
    return ChangeLog.record(room.conn(), room.roomId(), room.actor(), room.change().action().name().toLowerCase(), meta,
            body, Member.toJson(members), detail)
        .map(message -> new MemberChangeResult(room.roomId(), room.actor().tenant(), room.change().action(),
            room.actor().userId(), message.seq(), message, members));
  }

  static JsonObject meta(String event, Locked room) {
    return new JsonObject().put("event", event).put("actorId", room.actor().userId());
  }

  static MemberChangeResult unchanged(Locked room) {
    return new MemberChangeResult(room.roomId(), room.actor().tenant(), room.change().action(), room.actor().userId(), 0,
        null, List.of());
  }

  private static void audit(MemberChangeResult result) {
    if (!result.changed()) {
      return;
    }
    String type = switch (result.action()) {
      case ADD -> "room.member-added";
      case REMOVE -> "room.member-removed";
      case LEAVE -> "room.member-left";
      case SET_ROLE -> "room.role-changed";
      case BAN -> "room.member-banned";
      case UNBAN -> "room.member-unbanned";
      case MUTE -> "room.member-muted";
      case UNMUTE -> "room.member-unmuted";
    };
    Audit.roomChange(type, result.actorId(), result.tenant(), result.roomId(), result.seq(), Member.toJson(result.members()).encode());
  }

  @Override
  public Future<MemberList> members(MemberListRequest request) {
    return members(request, false);
  }

  @Override
  public Future<MemberList> members(MemberListRequest request, boolean system) {
    Sender user = request.user();
    return statements.preparedQuery(Sql.ROOM_FOR_USER).execute(Tuple.of(request.roomId(), user.userId(), user.tenant()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return refused(ErrorCode.NOT_FOUND, "no such room");
          }
          Row room = rows.iterator().next();
          if (!system && !room.getBoolean("member") && !RoomKind.PUBLIC.wire().equals(room.getString("kind"))) {
            return refused(ErrorCode.FORBIDDEN, "not a member of this room");
          }
          return statements.preparedQuery(Sql.MEMBERS).execute(Tuple.of(request.roomId()));
        })
        .map(rows -> {
          List<Member> members = new ArrayList<>(rows.size());
          rows.forEach(r -> members.add(new Member(r.getString("user_id"), r.getString("role"), null,
              Rows.iso(r.getOffsetDateTime("muted_until")))));
          return new MemberList(request.roomId(), members);
        })
        .recover(failure -> failed("list members", failure));
  }

  static <T> Future<T> refused(ErrorCode code, String message) {
    return Future.failedFuture(ServiceException.of(code, message));
  }

  private static <T> Future<T> failed(String what, Throwable failure) {
    if (failure instanceof ServiceException) {
      return Future.failedFuture(failure);
    }
    LOG.warn("postgres: {} failed: {}", what, failure.toString());
    return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
  }
}
