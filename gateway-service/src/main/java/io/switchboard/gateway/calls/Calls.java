package io.switchboard.gateway.calls;

import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.fanout.Fanout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call signaling (docs/protocol.md, "Calls"). A call is owned by the gateway node whose socket
 * started it: its state (who rings, who answered with which socket, the ring timer) lives there, on
 * one event loop, and every request about it, from a socket on any node, is sent to that node's
 * address {@code gateway.calls.<key>}, the key being the first part of the call's id. Events go
 * out through the fan-out: to the private rooms of everyone in the call, and a signal to the one
 * socket it is for (every socket is in a room named by its id).
 *
 * <p>Whether a user is in a call already (busy) must be known across calls owned by different
 * nodes: that is the cluster-wide map {@value #BUSY_MAP} (Hazelcast's when clustered), user to
 * call id, set when a user starts or answers a call and removed when they leave it. Its entries
 * live {@value #BUSY_TTL_MS} ms and the owner renews them while the call lasts, so a node that dies
 * leaves its users busy for at most that long. What a node dying costs otherwise is in
 * docs/architecture.md ("Calls").
 *
 * <p>Each node also remembers which of its own sockets are parties of which calls (whatever node
 * owns them), to tell the owners when such a socket disconnects.
 */
public final class Calls {
  private static final Logger LOG = LoggerFactory.getLogger(Calls.class);
  static final String BUSY_MAP = "switchboard.calls.busy";
  static final long BUSY_TTL_MS = 30_000;
  private static final long BUSY_RENEW_MS = 10_000;

  private final Vertx vertx;
  private final Fanout fanout;
  private final CallSettings settings;
  private final DeliveryOptions options;
  /** This node's part of the ids of the calls it owns. */
  private final String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
  /** The calls this node owns, by id; touched on the consumer's event loop only. */
  private final Map<String, Call> owned = new HashMap<>();
  /** Socket of this node to the calls it is a party of. */
  private final Map<String, Set<String>> parties = new ConcurrentHashMap<>();
  private AsyncMap<String, String> busy;
  private MessageConsumer<JsonObject> consumer;
  private long renewTimer = -1;

  public Calls(Vertx vertx, Fanout fanout, CallSettings settings, long requestTimeoutMs) {
    this.vertx = vertx;
    this.fanout = fanout;
    this.settings = settings;
    this.options = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
  }

  public CallSettings settings() {
    return settings;
  }

  /** Starts taking the requests about this node's calls; on the context that is to own them. */
  public Future<Void> listen() {
    return vertx.sharedData().<String, String>getAsyncMap(BUSY_MAP).compose(map -> {
      busy = map;
      renewTimer = vertx.setPeriodic(BUSY_RENEW_MS, id -> renew());
      consumer = vertx.eventBus().consumer(address(key), this::handle);
      return consumer.completion();
    });
  }

  /** Ends the calls this node owns (their signaling would be gone) and stops taking requests. */
  public Future<Void> close() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(renewTimer);
    new ArrayList<>(owned.values()).forEach(call -> end(call, "failed"));
    return consumer.unregister();
  }

  static String address(String nodeKey) {
    return Addresses.GATEWAY_CALLS + "." + nodeKey;
  }

  // ---- the side of the socket's node

  /** {@code call-start}: this node owns the call; {@code callees} are the room's other members. */
  public Future<JsonObject> start(Sender user, String socketId, String roomId, JsonArray media, List<String> callees) {
    JsonObject request = request("start", null, user, socketId).put("roomId", roomId).put("media", media)
        .put("callees", new JsonArray(List.copyOf(callees)));
    return send(key, request).onSuccess(ack -> remember(socketId, ack.getString("callId")));
  }

  /** {@code accept}, {@code decline}, {@code signal}, {@code hangup}, sent to the call's owner. */
  public Future<JsonObject> request(String op, String callId, Sender user, String socketId, JsonObject fields) {
    JsonObject request = request(op, callId, user, socketId);
    if (fields != null) {
      request.mergeIn(fields);
    }
    Future<JsonObject> answer = send(ownerOf(callId), request);
    return "accept".equals(op) ? answer.onSuccess(ack -> remember(socketId, callId)) : answer;
  }

  /** A socket of this node closed: each call it was a party of loses it. */
  public void disconnected(Sender user, String socketId) {
    Set<String> calls = parties.remove(socketId);
    if (calls != null) {
      calls.forEach(callId -> send(ownerOf(callId), request("leave", callId, user, socketId))
          .onFailure(failure -> LOG.debug("call leave not told callId={} failure={}", callId, failure.toString())));
    }
  }

  /** A {@code call-ended} this node delivers: its sockets are no longer parties of that call. */
  public void ended(RoomEvent event) {
    Object data = event.data();
    JsonObject body = data instanceof JsonObject json ? json
        : data instanceof RawValue raw ? new JsonObject(String.valueOf(raw.rawValue())) : null;
    String callId = body == null ? null : body.getString("callId");
    if (callId != null) {
      parties.values().forEach(calls -> calls.remove(callId));
      parties.values().removeIf(Set::isEmpty);
    }
  }

  private void remember(String socketId, String callId) {
    parties.computeIfAbsent(socketId, s -> ConcurrentHashMap.newKeySet()).add(callId);
  }

  private static JsonObject request(String op, String callId, Sender user, String socketId) {
    return new JsonObject().put("op", op).put("callId", callId).put("tenant", user.tenant()).put("userId", user.userId())
        .put("name", user.name()).put("socketId", socketId);
  }

  private static String ownerOf(String callId) {
    int dot = callId.indexOf('.');
    return dot < 0 ? "" : callId.substring(0, dot);
  }

  /** A node that is gone took its calls with it: for the client, the call is no more. */
  private Future<JsonObject> send(String owner, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(address(owner), request, options).map(Message::body)
        .recover(failure -> Future.failedFuture(failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? ServiceException.of(ErrorCode.NOT_FOUND, "no such call") : failure));
  }

  // ---- the owner's side, on the consumer's event loop

  /** One call: its members (the caller and the callees it rang), who still rings, who is in it with which socket. */
  private static final class Call {
    final String id;
    final String tenant;
    final String roomId;
    final JsonArray media;
    final Set<String> members = new LinkedHashSet<>();
    final Set<String> ringing = new LinkedHashSet<>();
    final Map<String, String> parties = new LinkedHashMap<>();
    long timer = -1;

    Call(String id, String tenant, String roomId, JsonArray media) {
      this.id = id;
      this.tenant = tenant;
      this.roomId = roomId;
      this.media = media;
    }

    JsonObject event() {
      return new JsonObject().put("callId", id).put("roomId", roomId);
    }
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject req = msg.body();
    Future<JsonObject> answer;
    try {
      answer = switch (req.getString("op", "")) {
        case "start" -> start(req);
        case "accept" -> accept(req);
        case "decline" -> decline(req);
        case "signal" -> signal(req);
        case "hangup" -> leave(req, "hangup", true);
        case "leave" -> leave(req, "disconnected", false);
        default -> Future.failedFuture(ServiceException.of(ErrorCode.INTERNAL, "unknown call operation"));
      };
    } catch (ServiceException refusal) {
      answer = Future.failedFuture(refusal);
    }
    answer.onComplete(msg::reply, failure -> msg.fail(ServiceException.codeOf(failure).busCode(),
        failure.getMessage() == null ? failure.toString() : failure.getMessage()));
  }

  private static String busyKey(String tenant, String userId) {
    return tenant + "\u0000" + userId;
  }

  private Future<JsonObject> start(JsonObject req) {
    String tenant = req.getString("tenant");
    String caller = req.getString("userId");
    String callId = key + "." + UUID.randomUUID();
    List<String> callees = req.getJsonArray("callees").stream().map(String::valueOf).toList();
    return busy.putIfAbsent(busyKey(tenant, caller), callId, BUSY_TTL_MS).compose(existing -> {
      if (existing != null) {
        return Future.failedFuture(ServiceException.of(ErrorCode.BUSY, "you are in a call already: hang up first"));
      }
      List<Future<String>> lookups = callees.stream().map(callee -> busy.get(busyKey(tenant, callee))).toList();
      return Future.all(lookups).compose(done -> {
        List<String> free = new ArrayList<>();
        List<String> busyOnes = new ArrayList<>();
        for (int i = 0; i < callees.size(); i++) {
          (lookups.get(i).result() == null ? free : busyOnes).add(callees.get(i));
        }
        if (free.isEmpty()) {
          busy.removeIfPresent(busyKey(tenant, caller), callId);
          return Future.failedFuture(ServiceException.of(ErrorCode.BUSY, "everyone you call is in a call"));
        }
        Call call = new Call(callId, tenant, req.getString("roomId"), req.getJsonArray("media"));
        call.members.add(caller);
        call.members.addAll(free);
        call.ringing.addAll(free);
        call.parties.put(caller, req.getString("socketId"));
        owned.put(callId, call);
        long now = System.currentTimeMillis() / 1000;
        for (String callee : free) {
          fanout.publish(RoomEvent.toRoom(ClientEvents.userRoom(tenant, callee), ClientEvents.CALL_RING, call.event()
              .put("from", caller).put("fromName", req.getString("name")).put("fromSocketId", req.getString("socketId"))
              .put("media", call.media).put("iceServers", settings.iceServersFor(callee, now))));
        }
        call.timer = vertx.setTimer(settings.ringTimeoutMs(), id -> ringOut(callId));
        return Future.succeededFuture(new JsonObject().put("ok", true).put("callId", callId)
            .put("iceServers", settings.iceServersFor(caller, now))
            .put("ringing", new JsonArray(free)).put("busy", new JsonArray(busyOnes)));
      }, failure -> {
        busy.removeIfPresent(busyKey(tenant, caller), callId);
        return Future.failedFuture(failure);
      });
    });
  }

  private Call find(JsonObject req) {
    Call call = owned.get(req.getString("callId"));
    if (call == null || !call.tenant.equals(req.getString("tenant")) || !call.members.contains(req.getString("userId"))) {
      throw ServiceException.of(ErrorCode.NOT_FOUND, "no such call");
    }
    return call;
  }

  private Future<JsonObject> accept(JsonObject req) {
    Call call = find(req);
    String user = req.getString("userId");
    String socketId = req.getString("socketId");
    if (call.parties.containsKey(user)) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "you are in this call already, on another device");
    }
    if (!call.ringing.contains(user)) {
      throw ServiceException.of(ErrorCode.NOT_FOUND, "the call no longer rings for you");
    }
    String busyKey = busyKey(call.tenant, user);
    return busy.putIfAbsent(busyKey, call.id, BUSY_TTL_MS).compose(existing -> {
      if (existing != null && !existing.equals(call.id)) {
        return Future.failedFuture(ServiceException.of(ErrorCode.BUSY, "you are in another call: hang up first"));
      }
      // The map answered later: another device of theirs may have answered, or the call ended, meanwhile.
      if (owned.get(call.id) != call || !call.ringing.remove(user)) {
        if (existing == null && !call.parties.containsKey(user)) {
          busy.removeIfPresent(busyKey, call.id);
        }
        return Future.failedFuture(call.parties.containsKey(user)
            ? ServiceException.of(ErrorCode.FORBIDDEN, "you are in this call already, on another device")
            : ServiceException.of(ErrorCode.NOT_FOUND, "the call no longer rings for you"));
      }
      JsonArray others = new JsonArray();
      call.parties.forEach((userId, socket) -> others.add(new JsonObject().put("userId", userId).put("socketId", socket)));
      call.parties.put(user, socketId);
      if (call.ringing.isEmpty()) {
        vertx.cancelTimer(call.timer);
      }
      publish(call, ClientEvents.CALL_ACCEPTED, call.event().put("userId", user).put("socketId", socketId));
      return Future.succeededFuture(new JsonObject().put("ok", true).put("callId", call.id).put("roomId", call.roomId)
          .put("media", call.media).put("parties", others)
          .put("iceServers", settings.iceServersFor(user, System.currentTimeMillis() / 1000)));
    });
  }

  private Future<JsonObject> decline(JsonObject req) {
    Call call = find(req);
    String user = req.getString("userId");
    if (!call.ringing.remove(user)) {
      throw ServiceException.of(ErrorCode.NOT_FOUND, "the call does not ring for you");
    }
    declined(call, user, "declined");
    endIfOver(call, "declined");
    return Future.succeededFuture(new JsonObject().put("ok", true));
  }

  private Future<JsonObject> signal(JsonObject req) {
    Call call = find(req);
    String from = req.getString("socketId");
    String to = req.getString("toSocketId");
    if (!from.equals(call.parties.get(req.getString("userId")))) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "this socket is not in the call");
    }
    if (to.equals(from) || !call.parties.containsValue(to)) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "no other socket of the call has that id");
    }
    fanout.publish(RoomEvent.toRoom(to, ClientEvents.CALL_SIGNAL, new JsonObject().put("callId", call.id)
        .put("fromUserId", req.getString("userId")).put("fromSocketId", from)
        .put("type", req.getString("type")).put("payload", req.getJsonObject("payload"))));
    return Future.succeededFuture(new JsonObject().put("ok", true));
  }

  /**
   * A party's socket leaves (hangs up, or disconnected: {@code reason}); a callee whose call still
   * rings and who hangs up declines it. Whoever is not in the call gets {@code NOT_FOUND} for a
   * hang-up; a disconnect that concerns nothing is no error.
   */
  private Future<JsonObject> leave(JsonObject req, String reason, boolean strict) {
    Call call = owned.get(req.getString("callId"));
    String user = req.getString("userId");
    String socketId = req.getString("socketId");
    if (call != null && call.tenant.equals(req.getString("tenant")) && socketId.equals(call.parties.get(user))) {
      call.parties.remove(user);
      busy.removeIfPresent(busyKey(call.tenant, user), call.id);
      if (!endIfOver(call, reason)) {
        publish(call, ClientEvents.CALL_LEFT, call.event().put("userId", user).put("reason", reason));
      }
    } else if (strict && call != null && call.tenant.equals(req.getString("tenant")) && call.ringing.remove(user)) {
      declined(call, user, "declined");
      endIfOver(call, "declined");
    } else if (strict) {
      throw ServiceException.of(ErrorCode.NOT_FOUND, "you are not in this call");
    }
    return Future.succeededFuture(new JsonObject().put("ok", true));
  }

  /** The ring timeout: whoever still rings did not answer. */
  private void ringOut(String callId) {
    Call call = owned.get(callId);
    if (call == null) {
      return;
    }
    call.timer = -1;
    List<String> unanswered = List.copyOf(call.ringing);
    call.ringing.clear();
    unanswered.forEach(user -> declined(call, user, "timeout"));
    endIfOver(call, "timeout");
  }

  private void declined(Call call, String user, String reason) {
    publish(call, ClientEvents.CALL_DECLINED, call.event().put("userId", user).put("reason", reason));
  }

  /** Ends the call when nobody is left to talk to: no party, or one and nobody ringing. */
  private boolean endIfOver(Call call, String reason) {
    if (call.parties.isEmpty() || call.parties.size() + call.ringing.size() < 2) {
      end(call, reason);
      return true;
    }
    return false;
  }

  private void end(Call call, String reason) {
    if (owned.remove(call.id) == null) {
      return;
    }
    vertx.cancelTimer(call.timer);
    call.parties.keySet().forEach(user -> busy.removeIfPresent(busyKey(call.tenant, user), call.id));
    publish(call, ClientEvents.CALL_ENDED, call.event().put("reason", reason));
  }

  private void publish(Call call, String event, JsonObject data) {
    fanout.publish(RoomEvent.toRooms(call.members.stream().map(user -> ClientEvents.userRoom(call.tenant, user)).toList(),
        event, data));
  }

  /** Keeps the busy entries of the users in this node's calls alive. */
  private void renew() {
    owned.values().forEach(call -> call.parties.keySet()
        .forEach(user -> busy.put(busyKey(call.tenant, user), call.id, BUSY_TTL_MS)));
  }
}
