package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.Sender;
import io.switchboard.gateway.calls.Calls;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The call requests of docs/protocol.md section 3 ("Calls"): what the socket's own node checks (the
 * room joined, its members, the size of a signal) before {@link Calls} takes the request to the
 * call's owner.
 */
final class CallHandlers {
  private final ChatServices services;
  private final Calls calls;

  CallHandlers(ChatServices services, Calls calls) {
    this.services = services;
    this.calls = calls;
  }

  /**
   * {@code call-start}: rings the room's other members; at most {@code CALL_MAX_MEMBERS} in the room.
   * A block stands in the way of a call as of a direct room: a member who blocks the caller, or whom
   * the caller blocks, is not rung (their lists come from message-service, one request each: a call
   * starts rarely, and in a small room).
   */
  Future<JsonObject> start(Connection c, Requests.CallStart req) {
    if (!c.inRoom(req.roomId())) {
      throw ServiceException.of(ErrorCode.FORBIDDEN, "join the room first");
    }
    return services.members(new MemberListRequest(c.user(), req.roomId())).compose(list -> {
      int max = calls.settings().maxMembers();
      if (list.members().size() > max) {
        return Future.failedFuture(ServiceException.of(ErrorCode.MEMBER_LIMIT,
            "a call may be started in a room of at most " + max + " members"));
      }
      List<String> others = list.members().stream().map(m -> m.userId()).filter(u -> !u.equals(c.user().userId())).toList();
      if (others.isEmpty()) {
        return Future.failedFuture(Replies.invalid("roomId", "nobody else is a member of the room"));
      }
      return unblocked(c.user(), others).compose(callees -> callees.isEmpty()
          ? Future.failedFuture(ServiceException.of(ErrorCode.BLOCKED, "a block stands between you and everyone you call"))
          : calls.start(c.user(), c.id(), req.roomId(), new JsonArray(List.copyOf(req.media())), callees));
    });
  }

  /** Those of {@code others} with no block between them and {@code caller}, either way. */
  private Future<List<String>> unblocked(Sender caller, List<String> others) {
    Future<BlockList> mine = services.block(new BlockChange(caller, BlockChange.Action.LIST, null));
    List<Future<BlockList>> theirs = others.stream()
        .map(u -> services.block(new BlockChange(new Sender(caller.tenant(), u, u), BlockChange.Action.LIST, null))).toList();
    List<Future<BlockList>> all = new java.util.ArrayList<>(theirs);
    all.add(mine);
    return Future.all(all).map(done -> {
      List<String> blockedByMe = mine.result().userIds();
      List<String> callees = new java.util.ArrayList<>();
      for (int i = 0; i < others.size(); i++) {
        if (!blockedByMe.contains(others.get(i)) && !theirs.get(i).result().userIds().contains(caller.userId())) {
          callees.add(others.get(i));
        }
      }
      return callees;
    });
  }

  Future<JsonObject> accept(Connection c, Requests.CallId req) {
    return calls.request("accept", req.callId(), c.user(), c.id(), null);
  }

  Future<JsonObject> decline(Connection c, Requests.CallId req) {
    return calls.request("decline", req.callId(), c.user(), c.id(), null);
  }

  Future<JsonObject> hangup(Connection c, Requests.CallId req) {
    return calls.request("hangup", req.callId(), c.user(), c.id(), null);
  }

  /** {@code call-signal}: relayed to one other socket of the call, which the owner checks; at most {@code CALL_SIGNAL_MAX_BYTES}. */
  Future<JsonObject> signal(Connection c, Requests.CallSignal req) {
    int max = calls.settings().signalMaxBytes();
    if (req.payload().toBuffer().length() > max) {
      throw Replies.invalid("payload", "must be at most " + max + " bytes as JSON");
    }
    return calls.request("signal", req.callId(), c.user(), c.id(), new JsonObject().put("toSocketId", req.toSocketId())
        .put("type", req.type()).put("payload", req.payload()));
  }

  void disconnected(Connection c) {
    calls.disconnected(c.user(), c.id());
  }
}
