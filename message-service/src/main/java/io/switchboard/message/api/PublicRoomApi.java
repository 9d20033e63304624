package io.switchboard.message.api;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.Identities;
import io.switchboard.common.chat.InviteChange;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.MessageRules;
import io.switchboard.common.bus.Json;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.Tenants;
import io.switchboard.message.store.MessageStore;
import io.switchboard.message.store.PgRoomInvites;
import io.switchboard.message.store.RoomMembers;
import io.switchboard.message.store.RoomSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code chat.room.manage} (docs/protocol.md section 6): another backend service runs a room as
 * sockets do, with plain JSON both ways so that services in any language can use it.
 *
 * <pre>{ action, roomId, tenant?, actor?, userIds?, userId?, role?, name?, topic?, slowMode?, durationSeconds? }</pre>
 *
 * <p>{@code action} is a request name of the client contract: {@code list-members},
 * {@code add-members}, {@code remove-member}, {@code set-member-role}, {@code quit-room},
 * {@code ban-member}, {@code unban-member}, {@code mute-member}, {@code unmute-member},
 * {@code update-room}, {@code archive-room}, {@code unarchive-room}, {@code delete-room},
 * {@code create-invite}, {@code revoke-invite}, {@code search-rooms} (no {@code roomId}; its
 * {@code query}, {@code after}, {@code limit}), and {@code create-room} (no {@code roomId}; only with
 * an {@code actor}, who owns the room: a room needs an owner, and the system is never a member). The room is looked up in
 * {@code tenant} (the default tenant when absent), never another. With {@code actor} (a user id) the
 * change is checked against that user's role, exactly as if they had sent it; without, the system
 * acts, with the owner's rights and without being a member. Changes are announced to the room as
 * those of sockets are, and audited with the actor ({@code system} for the system).
 */
public final class PublicRoomApi {
  /** The bounds of search-rooms' schema (gateway-service's schemas/search-rooms.json). */
  private static final int MAX_SEARCH_QUERY = 100;
  private static final int MAX_SEARCH_PAGE = 100;
  /** The bounds of create-room's schema (gateway-service's schemas/create-room.json). */
  private static final int MAX_ROOM_NAME = 200;
  private static final int MAX_ROOM_MEMBERS = 1000;

  private final Vertx vertx;
  private final MessageStore store;
  private final RoomMembers members;
  private final RoomSettings settings;
  private final PgRoomInvites invites;
  private final RoomAnnouncer announcer;

  public PublicRoomApi(Vertx vertx, MessageStore store, RoomMembers members, RoomSettings settings, PgRoomInvites invites) {
    this.vertx = vertx;
    this.store = store;
    this.members = members;
    this.settings = settings;
    this.invites = invites;
    this.announcer = new RoomAnnouncer(vertx.eventBus());
  }

  public Future<MessageConsumer<JsonObject>> register() {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.CHAT_ROOM_MANAGE,
        msg -> MessageBusApi.answer(msg, this::manage));
    return consumer.completion().map(v -> consumer);
  }

  Future<JsonObject> manage(JsonObject json) {
    try {
      return dispatch(json == null ? new JsonObject() : json);
    } catch (ServiceException invalid) {
      return Future.failedFuture(invalid);
    } catch (ClassCastException wrongType) {
      return Future.failedFuture(invalid("a field has the wrong type: " + wrongType.getMessage()));
    }
  }

  private Future<JsonObject> dispatch(JsonObject json) {
    String tenant = json.getString("tenant");
    if (tenant != null && Identities.tenantProblem(tenant) != null) {
      throw invalid(Identities.tenantProblem(tenant));
    }
    String actorId = json.getString("actor");
    if (actorId != null && Identities.userIdProblem(actorId) != null) {
      throw invalid("actor: " + Identities.userIdProblem(actorId));
    }
    boolean system = actorId == null;
    Sender actor = new Sender(Tenants.orDefault(tenant), system ? Sender.SYSTEM_ID : actorId, null);
    String action = json.getString("action");
    if ("search-rooms".equals(action)) {
      return searchRooms(actor, json);
    }
    if ("create-room".equals(action)) {
      if (system) {
        throw invalid("create-room needs an actor: the user who creates the room and owns it");
      }
      return createRoom(actor, json);
    }
    String roomId = json.getString("roomId");
    if (!MessageRules.validRoomId(roomId)) {
      throw invalid("roomId must match " + MessageRules.ROOM_ID.pattern());
    }
    return switch (action == null ? "" : action) {
      case "list-members" -> members.members(new MemberListRequest(actor, roomId), system)
          .map(list -> ok().put("members", Member.toJson(list.members())));
      case "add-members" -> members(MemberChange.add(actor, roomId, userIds(json)), system)
          .map(r -> (r.changed() ? ok().put("seq", r.seq()) : ok())
              .put("added", new JsonArray(r.members().stream().map(Member::userId).toList())));
      case "remove-member" -> members(MemberChange.remove(actor, roomId, required(json, "userId")), system)
          .map(r -> ok().put("seq", r.seq()));
      case "set-member-role" -> members(MemberChange.setRole(actor, roomId, required(json, "userId"),
              required(json, "role")), system)
          .map(r -> (r.changed() ? ok().put("seq", r.seq()) : ok()).put("changes", Member.toJson(r.members())));
      case "quit-room" -> members(MemberChange.leave(actor, roomId), system).map(r -> ok().put("seq", r.seq()));
      case "ban-member" -> members(MemberChange.ban(actor, roomId, required(json, "userId")), system)
          .map(r -> r.changed() ? ok().put("seq", r.seq()) : ok());
      case "unban-member" -> members(MemberChange.unban(actor, roomId, required(json, "userId")), system)
          .map(r -> r.changed() ? ok().put("seq", r.seq()) : ok());
      case "mute-member" -> members(MemberChange.mute(actor, roomId, required(json, "userId"),
              requiredLong(json, "durationSeconds")), system)
          .map(r -> ok().put("seq", r.seq()).put("mutedUntil", r.message().meta().getString("mutedUntil")));
      case "unmute-member" -> members(MemberChange.unmute(actor, roomId, required(json, "userId")), system)
          .map(r -> r.changed() ? ok().put("seq", r.seq()) : ok());
      case "update-room" -> room(new RoomChange(actor, roomId, RoomChange.Action.UPDATE, json.getString("name"),
          json.getString("topic"), json.getInteger("slowMode"), json.getInteger("retentionDays")), system);
      case "archive-room" -> room(new RoomChange(actor, roomId, RoomChange.Action.ARCHIVE, null, null), system);
      case "unarchive-room" -> room(new RoomChange(actor, roomId, RoomChange.Action.UNARCHIVE, null, null), system);
      case "delete-room" -> room(new RoomChange(actor, roomId, RoomChange.Action.DELETE, null, null), system);
      case "create-invite" -> invites.change(new InviteChange(actor, InviteChange.Action.CREATE, roomId, null,
              json.getLong("expiresInSeconds", 7L * 24 * 3600), json.getInteger("maxUses")), system)
          .map(r -> ok().put("token", r.token()).put("expiresAt", r.expiresAt()).put("maxUses", r.maxUses()));
      case "revoke-invite" -> invites.change(new InviteChange(actor, InviteChange.Action.REVOKE, roomId,
              required(json, "token"), 0, null), system)
          .map(r -> ok());
      default -> throw invalid("action must be one of list-members, add-members, remove-member, set-member-role, "
          + "quit-room, ban-member, unban-member, mute-member, unmute-member, update-room, archive-room, unarchive-room, delete-room, "
          + "create-invite, revoke-invite, search-rooms, create-room");
    };
  }

  /**
   * {@code search-rooms {query?, after?, limit?}}: the tenant's public rooms, as a socket's request
   * finds them ({@code member} is whether {@code actor} is one; false for the system), with the same
   * bounds as its schema.
   */
  private Future<JsonObject> searchRooms(Sender actor, JsonObject json) {
    String query = json.getString("query");
    if (query != null && (query.isEmpty() || query.length() > MAX_SEARCH_QUERY)) {
      throw invalid("query: 1 to " + MAX_SEARCH_QUERY + " characters");
    }
    Integer limit = json.getInteger("limit");
    if (limit != null && (limit < 1 || limit > MAX_SEARCH_PAGE)) {
      throw invalid("limit: 1 to " + MAX_SEARCH_PAGE);
    }
    RoomSearchRequest request;
    try {
      request = RoomSearchRequest.of(actor, query, json.getString("after"), limit);
    } catch (IllegalArgumentException notACursor) {
      throw invalid("after: " + notACursor.getMessage());
    }
    return store.searchRooms(request).map(page -> {
      JsonObject reply = ok().put("rooms", new JsonArray(page.rooms().stream().map(Json::toJson).toList()));
      if (page.more()) {
        reply.put("next", RoomSearchRequest.next(page.rooms().get(page.rooms().size() - 1)));
      }
      return reply;
    });
  }

  /**
   * {@code create-room {name, kind, members?, delivery?}} as {@code actor} would send it, with the
   * bounds of its schema (gateway-service's schemas/create-room.json): the actor owns the room, a
   * direct room has exactly one other member and is created once, and the members are told.
   */
  private Future<JsonObject> createRoom(Sender actor, JsonObject json) {
    String name = json.getString("name");
    if (name == null || name.isEmpty() || name.length() > MAX_ROOM_NAME) {
      throw invalid("name: 1 to " + MAX_ROOM_NAME + " characters");
    }
    String kind = json.getString("kind");
    if (RoomKind.fromWire(kind).isEmpty()) {
      throw invalid("kind: group, direct or public");
    }
    String delivery = json.getString("delivery", Delivery.OPTIMISTIC.wire());
    if (Delivery.fromWire(delivery).isEmpty()) {
      throw invalid("delivery: optimistic or persist_first");
    }
    JsonArray given = json.getJsonArray("members", new JsonArray());
    if (given.size() > MAX_ROOM_MEMBERS || given.stream().anyMatch(id -> !(id instanceof String s) || Identities.userIdProblem(s) != null)
        || given.stream().distinct().count() != given.size()) {
      throw invalid("members: at most " + MAX_ROOM_MEMBERS + " distinct user ids");
    }
    List<String> others = given.stream().map(String.class::cast).filter(m -> !m.equals(actor.userId())).toList();
    if (RoomKind.DIRECT.wire().equals(kind) && others.size() != 1) {
      throw invalid("members: a direct room has exactly one other member");
    }
    return store.createRoom(new CreateRoomRequest(actor, name, kind, delivery, others)).onSuccess(announcer::created)
        .map(created -> ok().put("room", Json.toJson(created.room())));
  }

  private Future<MemberChangeResult> members(MemberChange change, boolean system) {
    return members.change(change, system).onSuccess(announcer::membership);
  }

  private Future<JsonObject> room(RoomChange change, boolean system) {
    return settings.change(change, system).onSuccess(announcer::roomChanged)
        .map(r -> r.changed() ? ok().put("seq", r.seq()) : ok());
  }

  private static List<String> userIds(JsonObject json) {
    JsonArray ids = json.getJsonArray("userIds");
    if (ids == null) {
      throw invalid("userIds: a list of user ids");
    }
    if (ids.stream().anyMatch(id -> !(id instanceof String))) {
      throw invalid("userIds: user ids are strings");
    }
    return ids.stream().map(String.class::cast).toList();
  }

  private static String required(JsonObject json, String field) {
    String value = json.getString(field);
    if (value == null) {
      throw invalid(field + " is required");
    }
    return value;
  }

  private static long requiredLong(JsonObject json, String field) {
    Long value = json.getLong(field);
    if (value == null) {
      throw invalid(field + " is required");
    }
    return value;
  }

  private static JsonObject ok() {
    return new JsonObject().put("ok", true);
  }

  private static ServiceException invalid(String message) {
    return ServiceException.of(ErrorCode.VALIDATION_ERROR, message);
  }
}
