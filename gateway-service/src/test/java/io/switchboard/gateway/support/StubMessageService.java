package io.switchboard.gateway.support;

import static io.switchboard.gateway.support.Await.await;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.ServiceFailure;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.Member;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.MessageChange;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.ReadState;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.RoomSummary;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * message-service as a gateway sees it, on the gateway's event bus: by default it answers every
 * request as a healthy service would, for a room of three members; a test makes an address refuse
 * with a code (as message-service does for another tenant's room, a non-member, ...) or stay silent
 * (a service that does not answer in time), and reads what the gateway asked.
 */
public final class StubMessageService {
  public static final String CREATED_AT = "2024-05-01T12:00:00Z";
  /** The end of the mute of carol, the member of the room's member list. */
  public static final String MUTED_UNTIL = "2099-01-01T00:00:00Z";

  private final Map<String, Consumer<Message<Object>>> scripted = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<Object>> asked = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();

  public StubMessageService(Vertx vertx) {
    Map<String, Function<Object, Object>> answers = Map.of(
        Addresses.ROOM_JOIN, req -> join((JoinRequest) req),
        Addresses.MESSAGE_PERSIST, req -> persist((PersistRequest) req),
        Addresses.MESSAGE_EDIT, req -> edit((MessageEdit) req),
        Addresses.MESSAGE_DELETE, req -> delete((MessageDelete) req),
        Addresses.MESSAGE_HISTORY, req -> history((HistoryRequest) req),
        Addresses.ROOM_MARK_READ, req -> new ReadState(((MarkRead) req).roomId(), ((MarkRead) req).seq(), 0),
        Addresses.ROOM_CREATE, req -> room((CreateRoomRequest) req),
        Addresses.ROOM_LIST, req -> rooms((RoomListRequest) req),
        Addresses.ROOM_MEMBER_CHANGE, req -> members((MemberChange) req),
        Addresses.ROOM_MEMBER_LIST, req -> new MemberList(((MemberListRequest) req).roomId(), List.of(
            Member.of("alice", "owner"), Member.of("bob", "admin"), new Member("carol", "member", null, MUTED_UNTIL))));
    answers = new java.util.HashMap<>(answers);
    answers.put(Addresses.USER_BLOCK, req -> blocks((BlockChange) req));
    answers.put(Addresses.ROOM_CHANGE, req -> new RoomChangeResult(((RoomChange) req).roomId(), ((RoomChange) req).actor().tenant(),
        ((RoomChange) req).action(), ((RoomChange) req).actor().userId(), 42,
        message(((RoomChange) req).roomId(), "m42", null, 42, "system", "a change")));
    answers.forEach((address, answer) -> await(vertx.eventBus().consumer(address, msg -> {
      asked(address).add(msg.body());
      scripted.getOrDefault(address, m -> m.reply(answer.apply(m.body()))).accept(msg);
    }).completion()));
  }

  /** From now on, requests to {@code address} fail with {@code code}, as message-service refuses them. */
  public void refuse(String address, ErrorCode code) {
    scripted.put(address, msg -> msg.fail(code.busCode(), "refused by the test: " + code));
  }

  /** From now on, requests to {@code address} are refused as message-service refuses with more to say (a mute's end, ...). */
  public void refuse(String address, ServiceException refusal) {
    scripted.put(address, msg -> msg.reply(ServiceFailure.of(refusal)));
  }

  /** From now on, requests to {@code address} are answered by {@code answer}. */
  public void answer(String address, Function<Object, Object> answer) {
    scripted.put(address, msg -> msg.reply(answer.apply(msg.body())));
  }

  /** Requests to {@code address} are answered as by default again. */
  public void reset(String address) {
    scripted.remove(address);
  }

  /** From now on, requests to {@code address} get no answer: the gateway's request timeout runs out. */
  public void silence(String address) {
    scripted.put(address, msg -> { });
  }

  /** The next request the gateway sent to {@code address}. */
  @SuppressWarnings("unchecked")
  public <T> T nextRequest(String address) {
    try {
      Object request = asked(address).poll(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (request == null) {
        throw new AssertionError("the gateway sent nothing to " + address);
      }
      return (T) request;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** How many requests to {@code address} the gateway sent that the test has not read. */
  public int unread(String address) {
    return asked(address).size();
  }

  private BlockingQueue<Object> asked(String address) {
    return asked.computeIfAbsent(address, a -> new LinkedBlockingQueue<>());
  }

  private static JoinResult join(JoinRequest req) {
    return new JoinResult(req.roomId(), 41, 2, 3, "optimistic", List.of(), false, null, 0, List.of(), 0, 1);
  }

  private PersistResult persist(PersistRequest req) {
    long next = 41 + seq.incrementAndGet();
    return new PersistResult(message(req.roomId(), "m" + next, req.clientMsgId(), next, req.sender().userId(),
        req.body()), false);
  }

  private static MessageChange edit(MessageEdit req) {
    ChatMessage before = message(req.roomId(), req.messageId(), null, 7, req.user().userId(), "before");
    return new MessageChange(before, message(req.roomId(), req.messageId(), null, 7, req.user().userId(), req.body()));
  }

  private static MessageChange delete(MessageDelete req) {
    ChatMessage before = message(req.roomId(), req.messageId(), null, 7, req.user().userId(), "gone soon");
    return new MessageChange(before, message(req.roomId(), req.messageId(), null, 7, req.user().userId(), ""));
  }

  private static HistoryPage history(HistoryRequest req) {
    return new HistoryPage(List.of(message(req.roomId(), "m40", null, 40, "bob", "hello"),
        message(req.roomId(), "m41", null, 41, "bob", "again")), false);
  }

  private static Room room(CreateRoomRequest req) {
    return new Room("r-new", req.name(), req.kind(), req.creator().tenant(), req.members(), req.creator().userId(), CREATED_AT);
  }

  private static RoomList rooms(RoomListRequest req) {
    return new RoomList(List.of(new RoomSummary("r1", "General", "public", 41, 2, 3, true, null, false)));
  }

  /** Blocks as a user who blocked "mallory" long ago and changes nothing else but what is asked. */
  private static BlockList blocks(BlockChange req) {
    List<BlockList.Blocked> blocks = new java.util.ArrayList<>(List.of(new BlockList.Blocked("mallory", CREATED_AT)));
    if (req.action() == BlockChange.Action.BLOCK) {
      blocks.add(new BlockList.Blocked(req.userId(), CREATED_AT));
    }
    return new BlockList(blocks, req.action() != BlockChange.Action.LIST);
  }

  /** Every change applied, with seq 42: the users named become members, are removed, or get the role. */
  private static MemberChangeResult members(MemberChange req) {
    List<Member> members = switch (req.action()) {
      case ADD -> req.userIds().stream().map(u -> Member.of(u, "member")).toList();
      case REMOVE -> List.of(new Member(req.userIds().get(0), null, "member"));
      case LEAVE -> List.of(new Member(req.actor().userId(), null, "member"));
      case SET_ROLE -> List.of(new Member(req.userIds().get(0), req.role(), "member"));
      case BAN -> List.of(new Member(req.userIds().get(0), null, "member"));
      case UNBAN -> List.of(new Member(req.userIds().get(0), null, null));
      case MUTE, UNMUTE -> List.of(Member.of(req.userIds().get(0), "member"));
    };
    ChatMessage change = message(req.roomId(), "m42", null, 42, "system", "a change");
    if (req.action() == MemberChange.Action.MUTE) {
      // The end as message-service tells it: in the system message's meta.
      change = new ChatMessage(change.id(), null, change.roomId(), 42, "system", "System", "a mute", null,
          new io.vertx.core.json.JsonObject().put("event", "room-member-muted").put("userId", req.userIds().get(0))
              .put("mutedUntil", mutedUntil(req.durationSeconds())), CREATED_AT, null, false);
    }
    return new MemberChangeResult(req.roomId(), req.actor().tenant(), req.action(), req.actor().userId(), 42, change, members);
  }

  /** A mute's end {@code seconds} from now, as message-service writes it. */
  public static String mutedUntil(long seconds) {
    return java.time.Instant.now().plusSeconds(seconds).toString();
  }

  public static ChatMessage message(String roomId, String id, String clientMsgId, long seq, String sender, String body) {
    return new ChatMessage(id, clientMsgId, roomId, seq, sender, sender, body, null, null, CREATED_AT, null, false);
  }
}
