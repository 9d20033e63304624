package io.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.chat.RoomRole;
import io.switchboard.sdk.Transport.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The rooms of one tenant, run by the system ({@link SwitchboardClient#rooms}) or, after
 * {@link #as}, by a user, whose role is checked exactly as if they had sent the request from a
 * socket. The requests and their refusals are those of docs/protocol.md ("Membership and roles"):
 * {@code NOT_FOUND} for a room of another tenant, {@code FORBIDDEN} without the role, ...
 */
public final class Rooms {
  private final SwitchboardClient client;
  private final String tenant;
  private final String actor;

  Rooms(SwitchboardClient client, String tenant, String actor) {
    this.client = client;
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.actor = actor;
  }

  /** The same rooms, run by user {@code userId}. */
  public Rooms as(String userId) {
    return new Rooms(client, tenant, Objects.requireNonNull(userId, "userId"));
  }

  /**
   * Creates a room owned by the user of {@link #as} (a room needs an owner; the system is none), who
   * is a member with the others; its members' devices are told ({@code room-created}). Tried once:
   * a second attempt after a lost answer would make a second room (a direct room excepted).
   */
  public CompletableFuture<Room> create(NewRoom room) {
    ObjectNode body = request("create-room").put("name", room.name()).put("kind", room.kind().wire())
        .put("delivery", room.delivery().wire());
    room.members().forEach(body.putArray("members")::add);
    return client.call(Operation.MANAGE_ROOM, body, false)
        .thenApply(reply -> SwitchboardClient.as(reply.get("room"), Room.class));
  }

  /** The members with their roles: owner first, then admins, then members. */
  public CompletableFuture<List<Member>> members(String roomId) {
    return manage(room("list-members", roomId), true).thenApply(reply -> {
      List<Member> members = new ArrayList<>();
      reply.get("members").forEach(m -> members.add(new Member(m.get("userId").asText(),
          RoomRole.fromWire(m.get("role").asText()).orElseThrow(), m.hasNonNull("mutedUntil") ? m.get("mutedUntil").asText() : null)));
      return members;
    });
  }

  /** Adds users; completes with those who were not members yet. */
  public CompletableFuture<List<String>> addMembers(String roomId, List<String> userIds) {
    ObjectNode body = room("add-members", roomId);
    userIds.forEach(body.putArray("userIds")::add);
    return manage(body, true).thenApply(reply -> {
      List<String> added = new ArrayList<>();
      reply.get("added").forEach(id -> added.add(id.asText()));
      return added;
    });
  }

  /** Removes a member (tried once: again, it would be {@code NOT_FOUND}). */
  public CompletableFuture<Change> removeMember(String roomId, String userId) {
    return change(room("remove-member", roomId).put("userId", userId), false);
  }

  /** Sets a member's role; {@code OWNER} transfers the ownership (tried once, as it changes who may). */
  public CompletableFuture<Change> setRole(String roomId, String userId, RoomRole role) {
    return change(room("set-member-role", roomId).put("userId", userId).put("role", role.wire()), role != RoomRole.OWNER);
  }

  public CompletableFuture<Change> ban(String roomId, String userId) {
    return change(room("ban-member", roomId).put("userId", userId), true);
  }

  public CompletableFuture<Change> unban(String roomId, String userId) {
    return change(room("unban-member", roomId).put("userId", userId), true);
  }

  /** Mutes a member for {@code duration} (whole seconds, 1 s to a year). */
  public CompletableFuture<Change> mute(String roomId, String userId, Duration duration) {
    return change(room("mute-member", roomId).put("userId", userId).put("durationSeconds", duration.toSeconds()), true);
  }

  public CompletableFuture<Change> unmute(String roomId, String userId) {
    return change(room("unmute-member", roomId).put("userId", userId), true);
  }

  /** Renames the room, sets its topic or its slow mode (seconds; 0 turns it off): null leaves a field as it is. */
  public CompletableFuture<Change> update(String roomId, String name, String topic, Integer slowModeSeconds) {
    ObjectNode body = room("update-room", roomId);
    if (name != null) {
      body.put("name", name);
    }
    if (topic != null) {
      body.put("topic", topic);
    }
    if (slowModeSeconds != null) {
      body.put("slowMode", slowModeSeconds);
    }
    return change(body, true);
  }

  public CompletableFuture<Change> archive(String roomId) {
    return change(room("archive-room", roomId), true);
  }

  public CompletableFuture<Change> unarchive(String roomId) {
    return change(room("unarchive-room", roomId), true);
  }

  /** Deletes the room with its messages (tried once). */
  public CompletableFuture<Change> delete(String roomId) {
    return change(room("delete-room", roomId), false);
  }

  /**
   * Any action of {@code chat.room.manage} (create-invite, revoke-invite, search-rooms, ...) with its
   * fields, answered with its raw reply; tried once.
   */
  public CompletableFuture<JsonNode> manage(String action, ObjectNode fields) {
    ObjectNode body = request(action);
    fields.fields().forEachRemaining(field -> body.set(field.getKey(), field.getValue()));
    return manage(body, false);
  }

  private CompletableFuture<JsonNode> manage(ObjectNode body, boolean retrySafe) {
    return client.call(Operation.MANAGE_ROOM, body, retrySafe);
  }

  private CompletableFuture<Change> change(ObjectNode body, boolean retrySafe) {
    return manage(body, retrySafe).thenApply(reply -> new Change(reply.hasNonNull("seq")
        ? OptionalLong.of(reply.get("seq").asLong()) : OptionalLong.empty()));
  }

  private ObjectNode room(String action, String roomId) {
    return request(action).put("roomId", roomId);
  }

  private ObjectNode request(String action) {
    ObjectNode body = SwitchboardClient.JSON.createObjectNode().put("action", action).put("tenant", tenant);
    if (actor != null) {
      body.put("actor", actor);
    }
    return body;
  }
}
