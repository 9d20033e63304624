package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.InviteChange;
import io.switchboard.common.chat.InviteResult;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.chat.RoomRole;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.ops.Audit;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invitations (docs/protocol.md, "Invitations") on Postgres. A token is 32 random bytes, shown once
 * to its creator; only its SHA-256 is stored. Every path locks the room's row first (an acceptance
 * finds the room of its token without a lock, then locks the room, then the invitation), so an
 * acceptance and a revocation or a change of the room never wait on each other in opposite orders.
 * Accepting is joining: one transaction that checks the invitation, bans and the member limit, takes
 * the room's next seq for its system message, and uses the invitation up by one.
 */
public final class PgRoomInvites {
  private static final Logger LOG = LoggerFactory.getLogger(PgRoomInvites.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final long MIN_TTL_SECONDS = 60;
  static final long MAX_TTL_SECONDS = 30L * 24 * 3600;

  private final Pool pool;
  private final int maxMembers;

  public PgRoomInvites(Pool pool, int maxMembers) {
    this.pool = pool;
    this.maxMembers = maxMembers;
  }

  public Future<InviteResult> change(InviteChange change) {
    return change(change, false);
  }

  /** With {@code system}, the system acts (see {@link RoomMembers}): it manages invitations, accepts none. */
  public Future<InviteResult> change(InviteChange change, boolean system) {
    Sender actor = change.actor();
    if (system && change.action() == InviteChange.Action.ACCEPT) {
      return refused(ErrorCode.VALIDATION_ERROR, "the system is no member: it accepts no invitation");
    }
    if (actor == null || actor.userId() == null || actor.tenant() == null || change.action() == null) {
      return refused(ErrorCode.VALIDATION_ERROR, "an invitation needs an actor with a tenant and an action");
    }
    Future<InviteResult> result = switch (change.action()) {
      case CREATE -> create(change, system);
      case REVOKE -> revoke(change, system);
      case ACCEPT -> accept(change);
    };
    return result.recover(PgRoomInvites::failed);
  }

  private Future<InviteResult> create(InviteChange change, boolean system) {
    if (change.roomId() == null || change.ttlSeconds() < MIN_TTL_SECONDS || change.ttlSeconds() > MAX_TTL_SECONDS
        || (change.maxUses() != null && change.maxUses() < 1)) {
      return refused(ErrorCode.VALIDATION_ERROR, "an invitation lives " + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS
          + " seconds, for at least one use");
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return pool.withTransaction(conn -> manager(conn, change, system).compose(v -> conn.preparedQuery(Sql.CREATE_INVITE)
            .execute(Tuple.of(Buffer.buffer(hash(token)), change.roomId(), change.actor().userId(),
                (double) change.ttlSeconds(), change.maxUses()))))
        .map(rows -> {
          String expiresAt = Rows.iso(rows.iterator().next().getOffsetDateTime("expires_at"));
          Audit.roomChange("room.invite-created", change.actor().userId(), change.actor().tenant(), change.roomId(), 0,
              "[]");
          return new InviteResult(change.roomId(), token, expiresAt, change.maxUses(), null);
        });
  }

  private Future<InviteResult> revoke(InviteChange change, boolean system) {
    if (change.roomId() == null || change.token() == null) {
      return refused(ErrorCode.VALIDATION_ERROR, "revoking needs the room and the token");
    }
    return pool.withTransaction(conn -> manager(conn, change, system).compose(v -> conn.preparedQuery(Sql.REVOKE_INVITE)
            .execute(Tuple.of(Buffer.buffer(hash(change.token())), change.roomId()))))
        .compose(rows -> rows.rowCount() == 0 ? refused(ErrorCode.NOT_FOUND, "no such invitation")
            : Future.succeededFuture(new InviteResult(change.roomId(), null, null, null, null)))
        .onSuccess(r -> Audit.roomChange("room.invite-revoked", change.actor().userId(), change.actor().tenant(),
            change.roomId(), 0, "[]"));
  }

  /** The locked room, if the actor is its owner or an admin and it is not a direct room. */
  private static Future<Void> manager(SqlConnection conn, InviteChange change, boolean system) {
    return ChangeLog.lock(conn, change.roomId(), change.actor()).compose(room -> {
      RoomRole role = system ? RoomRole.OWNER : RoomRole.fromWire(room.getString("actor_role")).orElse(null);
      if (role == null || !role.manages()) {
        return refused(ErrorCode.FORBIDDEN, "only the owner or an admin manages invitations");
      }
      if (RoomKind.DIRECT.wire().equals(room.getString("kind"))) {
        return refused(ErrorCode.FORBIDDEN, "a direct room keeps its two members");
      }
      return Future.succeededFuture();
    });
  }

  private Future<InviteResult> accept(InviteChange change) {
    if (change.token() == null) {
      return refused(ErrorCode.VALIDATION_ERROR, "accepting needs the token");
    }
    Sender user = change.actor();
    Buffer tokenHash = Buffer.buffer(hash(change.token()));
    return pool.withTransaction(conn -> conn.preparedQuery(Sql.INVITE_ROOM).execute(Tuple.of(tokenHash, user.tenant()))
        .compose(rows -> rows.size() == 0 ? refused(ErrorCode.NOT_FOUND, "no such invitation")
            : joinWith(conn, user, tokenHash, rows.iterator().next().getString("room_id"))));
  }

  private Future<InviteResult> joinWith(SqlConnection conn, Sender user, Buffer tokenHash, String roomId) {
    return ChangeLog.lock(conn, roomId, user).compose(room -> conn.preparedQuery(Sql.LIVE_INVITE)
        .execute(Tuple.of(tokenHash, roomId)).compose(invites -> {
          if (invites.size() == 0) {
            return refused(ErrorCode.NOT_FOUND, "no such invitation: expired, used up or revoked");
          }
          String inviter = invites.iterator().next().getString("created_by");
          if (room.getString("actor_role") != null) {
            return Future.succeededFuture(joined(roomId, user, 0, null, List.of()));
          }
          return conn.preparedQuery(Sql.BANNED).execute(Tuple.of(roomId).addArrayOfString(new String[] {user.userId()}))
              .compose(bans -> {
                if (bans.size() > 0) {
                  return refused(ErrorCode.FORBIDDEN, "banned from this room");
                }
                if (room.getLong("members") >= maxMembers) {
                  return refused(ErrorCode.MEMBER_LIMIT, "the room has its " + maxMembers + " members already");
                }
                return admit(conn, user, tokenHash, roomId, inviter);
              });
        }));
  }

  private static Future<InviteResult> admit(SqlConnection conn, Sender user, Buffer tokenHash, String roomId,
      String inviter) {
    List<Member> members = List.of(Member.of(user.userId(), RoomRole.MEMBER.wire()));
    JsonArray json = new JsonArray().add(new JsonObject().put("userId", user.userId()).put("role", RoomRole.MEMBER.wire()));
    JsonObject meta = new JsonObject().put("event", ClientEvents.MEMBER_ADDED).put("actorId", user.userId())
        .put("members", json).put("invitedBy", inviter);
    return ChangeLog.record(conn, roomId, user, "accept_invite", meta, user.userId() + " joined with an invitation from "
            + inviter, json, new JsonObject().put("invitedBy", inviter))
        .compose(message -> conn.preparedQuery(Sql.ADD_MEMBERS)
            .execute(Tuple.of(roomId).addArrayOfString(new String[] {user.userId()}).addLong(message.seq()))
            .compose(v -> conn.preparedQuery(Sql.USE_INVITE).execute(Tuple.of(tokenHash)))
            .map(v -> joined(roomId, user, message.seq(), message, members)))
        .onSuccess(r -> Audit.roomChange("room.invite-accepted", user.userId(), user.tenant(), roomId,
            r.joined().seq(), json.encode()));
  }

  private static InviteResult joined(String roomId, Sender user, long seq, io.switchboard.common.chat.ChatMessage message,
      List<Member> members) {
    return new InviteResult(roomId, null, null, null, new MemberChangeResult(roomId, user.tenant(), MemberChange.Action.ADD,
        user.userId(), seq, message, members));
  }

  private static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> Future<T> refused(ErrorCode code, String message) {
    return Future.failedFuture(ServiceException.of(code, message));
  }

  private static <T> Future<T> failed(Throwable failure) {
    if (failure instanceof ServiceException) {
      return Future.failedFuture(failure);
    }
    LOG.warn("postgres: invitation failed: {}", failure.toString());
    return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
  }
}
