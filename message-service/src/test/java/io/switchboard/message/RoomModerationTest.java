package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static io.switchboard.message.BusRequests.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Moderation (docs/protocol.md, "Membership and roles"): mutes and slow mode, on the event bus, two instances of
 * message-service on a real Postgres, driven the way gateways and services drive them; what they
 * announce is read from the gateways' fan-out address. The test thread blocks on the answers.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Moderation in message-service: mutes, slow mode")
class RoomModerationTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");
  private static final Sender BOB = new Sender("acme", "bob", "Bob");
  private static final Sender CAROL = new Sender("acme", "carol", "Carol");
  private static final Sender DAN = new Sender("acme", "dan", "Dan");

  private static ServiceFixture service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    service = ServiceFixture.deploy(vertx, config -> config, 2);
  }

  @AfterAll
  static void close() throws Exception {
    service.close();
  }

  private static Room room(Vertx vertx, String kind, String... members) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(ALICE, "team", kind, "optimistic", List.of(members)));
  }

  private static MemberChangeResult change(Vertx vertx, MemberChange change) throws Exception {
    return ask(vertx, Addresses.ROOM_MEMBER_CHANGE, change);
  }

  private static String refusal(Vertx vertx, MemberChange change) throws Exception {
    return codeOf(vertx, Addresses.ROOM_MEMBER_CHANGE, change);
  }

  private static PersistRequest message(String roomId, Sender sender, String clientMsgId, String body, String socketId) {
    return new PersistRequest(sender, roomId, clientMsgId, body, null, null, socketId, "test");
  }

  private static PersistResult send(Vertx vertx, String roomId, Sender sender, String body) throws Exception {
    return ask(vertx, Addresses.MESSAGE_PERSIST, message(roomId, sender, UUID.randomUUID().toString(), body, null));
  }

  /** The fan-out events of one room's change of {@code seq}, in publish order. */
  private static List<RoomEvent> eventsOf(String roomId, long seq, int count) throws InterruptedException {
    List<RoomEvent> events = new ArrayList<>();
    while (events.size() < count) {
      events.add(service.next(e -> e.data() instanceof JsonObject d && roomId.equals(d.getString("roomId"))
          && Long.valueOf(seq).equals(d.getLong("seq"))));
    }
    return events;
  }

  private static List<String> bodies(Vertx vertx, String roomId) throws Exception {
    HistoryPage page = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(ALICE, roomId, null, null, 100));
    return page.messages().stream().map(ChatMessage::body).toList();
  }

  @Test
  @DisplayName("a muted member's sends and edits are refused with the mute's end and the time left, nothing stored; they still delete; unmuted, they send again")
  void mute(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob", "carol");
    PersistResult before = send(vertx, room.id(), BOB, "before");
    MemberChangeResult muted = change(vertx, MemberChange.mute(ALICE, room.id(), "bob", 600));

    assertEquals(2, muted.seq(), "a change in the room's order");
    List<RoomEvent> events = eventsOf(room.id(), muted.seq(), 2);
    assertEquals(List.of(ClientEvents.MEMBER_MUTED, ClientEvents.MEMBER_MUTED), events.stream().map(RoomEvent::event).toList());
    assertEquals(ClientEvents.chatRoom(room.id()), events.get(0).room());
    assertEquals(muted.seq(), events.get(0).seq());
    assertEquals(ClientEvents.userRoom("acme", "bob"), events.get(1).room(), "bob's devices not in the room");
    assertEquals(ClientEvents.chatRoom(room.id()), events.get(1).exceptRoom(), "not twice to a socket in the room");
    JsonObject data = (JsonObject) events.get(0).data();
    assertEquals(List.of("alice", "bob", 600L), List.of(data.getString("actorId"), data.getString("userId"),
        data.getLong("durationSeconds")));
    Instant until = Instant.parse(data.getString("mutedUntil"));
    assertTrue(until.isAfter(Instant.now().plusSeconds(590)) && until.isBefore(Instant.now().plusSeconds(610)), until.toString());

    Throwable refused = failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, UUID.randomUUID().toString(), "spam", null));
    assertEquals(ErrorCode.FORBIDDEN, ServiceException.codeOf(refused));
    JsonObject extra = ServiceException.extraOf(refused);
    assertEquals(until.toString(), extra.getString("mutedUntil"));
    long left = extra.getLong("retryAfterMs");
    assertTrue(left > 590_000 && left <= 600_000, "the time left: " + left);
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.CHAT_MESSAGE_CREATE, new JsonObject().put("roomId", room.id())
        .put("body", "through a service").put("sender", new JsonObject().put("userId", "bob").put("tenant", "acme"))));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(BOB, room.id(), before.message().id(), "edited", null)));
    JoinResult joined = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10));
    assertEquals(until.toString(), joined.mutedUntil(), "the join tells the gateway");
    assertNull(((JoinResult) ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(CAROL, room.id(), null, 10))).mutedUntil());
    assertEquals("no error", codeOf(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(BOB, room.id(), before.message().id(), null)));
    assertEquals(3, send(vertx, room.id(), CAROL, "others talk").message().seq(), "no seq was taken by the refusals");
    assertEquals("no error", codeOf(vertx, Addresses.CHAT_MESSAGE_CREATE,
        new JsonObject().put("roomId", room.id()).put("body", "the system is never muted")));

    MemberChangeResult unmuted = change(vertx, MemberChange.unmute(ALICE, room.id(), "bob"));
    assertEquals(List.of(ClientEvents.MEMBER_UNMUTED, ClientEvents.MEMBER_UNMUTED),
        eventsOf(room.id(), unmuted.seq(), 2).stream().map(RoomEvent::event).toList(), "to the room and to bob's devices");
    assertFalse(change(vertx, MemberChange.unmute(ALICE, room.id(), "bob")).changed(), "not muted any more");
    assertEquals(6, send(vertx, room.id(), BOB, "back").message().seq());
    assertEquals(List.of("", "alice muted bob until " + until, "others talk", "the system is never muted", "alice unmuted bob", "back"),
        bodies(vertx, room.id()), "nothing of bob's while muted");
  }

  /** The end of the member's mute as list-members tells it to alice. */
  private static String mutedUntil(Vertx vertx, String roomId, String userId) throws Exception {
    MemberList list = ask(vertx, Addresses.ROOM_MEMBER_LIST, new MemberListRequest(ALICE, roomId));
    return list.members().stream().filter(m -> m.userId().equals(userId)).findFirst().orElseThrow().mutedUntil();
  }

  @Test
  @DisplayName("list-members tells every member, not only moderators, who is muted and until when, as the mute's ack; unmuted, no more")
  void listedMutes(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob", "carol", "dan");
    MemberChangeResult muted = change(vertx, MemberChange.mute(ALICE, room.id(), "bob", 600));
    String until = muted.message().meta().getString("mutedUntil");

    MemberList list = ask(vertx, Addresses.ROOM_MEMBER_LIST, new MemberListRequest(CAROL, room.id()));
    assertEquals(List.of("alice=owner=null", "bob=member=" + until, "carol=member=null", "dan=member=null"),
        list.members().stream().map(m -> m.userId() + "=" + m.role() + "=" + m.mutedUntil()).toList());
    assertEquals(Instant.parse(until), Instant.parse(mutedUntil(vertx, room.id(), "bob")));

    change(vertx, MemberChange.unmute(ALICE, room.id(), "bob"));
    assertNull(mutedUntil(vertx, room.id(), "bob"), "unmuted");
  }

  @Test
  @DisplayName("a mute ends by itself at its end, without an event: the send after the time left gets through")
  void muteEnds(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob");
    change(vertx, MemberChange.mute(ALICE, room.id(), "bob", 1));
    Throwable refused = failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, UUID.randomUUID().toString(), "early", null));
    long left = ServiceException.extraOf(refused).getLong("retryAfterMs");
    assertTrue(left > 0 && left <= 1000, "at most the second: " + left);

    Promise<Void> over = Promise.promise();
    vertx.setTimer(left, id -> over.complete());
    await(over.future());

    assertNull(mutedUntil(vertx, room.id(), "bob"), "list-members: the mute is over");
    assertEquals(2, send(vertx, room.id(), BOB, "on time").message().seq());
    assertFalse(change(vertx, MemberChange.unmute(ALICE, room.id(), "bob")).changed(), "nothing left to lift");
  }

  @Test
  @DisplayName("rights as for bans: owners and admins mute members, only the owner mutes admins, nobody the owner, nor themselves, nor a stranger, nor in a direct room")
  void whoMayMute(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob", "carol", "dan");
    change(vertx, MemberChange.setRole(ALICE, room.id(), "bob", "admin"));
    change(vertx, MemberChange.setRole(ALICE, room.id(), "carol", "admin"));
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.mute(DAN, room.id(), "bob", 60)), "a member");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.mute(BOB, room.id(), "alice", 60)), "the owner");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.mute(BOB, room.id(), "carol", 60)), "another admin");
    assertEquals("NOT_FOUND", refusal(vertx, MemberChange.mute(BOB, room.id(), "zed", 60)), "not a member");
    assertEquals("NOT_FOUND", refusal(vertx, MemberChange.mute(new Sender("other", "eve", null), room.id(), "dan", 60)),
        "another tenant's room");
    assertEquals("VALIDATION_ERROR", refusal(vertx, MemberChange.mute(BOB, room.id(), "bob", 60)), "yourself");
    assertEquals("VALIDATION_ERROR", refusal(vertx, MemberChange.mute(BOB, room.id(), "dan", 0)), "no duration");
    assertEquals("VALIDATION_ERROR", refusal(vertx, MemberChange.mute(BOB, room.id(), "dan", 366L * 24 * 3600)), "over a year");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.mute(ALICE, room(vertx, "direct", "bob").id(), "bob", 60)), "a direct room");

    assertTrue(change(vertx, MemberChange.mute(BOB, room.id(), "dan", 60)).changed(), "an admin mutes a member");
    assertTrue(change(vertx, MemberChange.mute(ALICE, room.id(), "carol", 60)).changed(), "the owner mutes an admin");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.unmute(BOB, room.id(), "carol")), "an admin lifts no admin's mute");
    assertEquals("FORBIDDEN", refusal(vertx, MemberChange.unmute(DAN, room.id(), "dan")), "nor a member their own");
    assertTrue(change(vertx, MemberChange.unmute(BOB, room.id(), "dan")).changed());
  }

  @Test
  @DisplayName("a muted send from a socket is told to the room as failed (others may have seen its optimistic copy); one without a socket is not")
  void refusalFromASocketIsTold(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob");
    change(vertx, MemberChange.mute(ALICE, room.id(), "bob", 60));
    String fromSocket = UUID.randomUUID().toString();
    failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, fromSocket, "shown optimistically", "socket-1"));
    RoomEvent told = service.next(e -> ClientEvents.MESSAGE_FAILED.equals(e.event()));
    assertEquals(new JsonObject().put("roomId", room.id()).put("tempId", fromSocket).put("code", "FORBIDDEN"), told.data());
    assertEquals("socket-1", told.exceptSocketId());

    failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, UUID.randomUUID().toString(), "no copy shown", null));
    failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), DAN, UUID.randomUUID().toString(), "not a member", "socket-2"));
    String marker = UUID.randomUUID().toString();
    failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, marker, "marker", "socket-1"));
    assertEquals(marker, ((JsonObject) service.next(e -> ClientEvents.MESSAGE_FAILED.equals(e.event())).data()).getString("tempId"),
        "nothing was told between the two");
  }

  @Test
  @DisplayName("a retry of a message stored before the mute is answered with it, as a duplicate, on the write's both paths; the others of its batch are written")
  void retriesOfEarlierSends(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob", "carol");
    String stored = UUID.randomUUID().toString();
    PersistResult first = ask(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, stored, "before the mute", null));
    change(vertx, MemberChange.mute(ALICE, room.id(), "bob", 600));

    PersistResult retried = ask(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, stored, "before the mute", null));
    assertTrue(retried.duplicate());
    assertEquals(first.message().id(), retried.message().id());

    // One batch: bob's retry, a new message of bob's, and carol's; through the function that tries all as new, and the one that looks first.
    for (String function : List.of("persist_messages", "persist_messages_checked")) {
      String carols = UUID.randomUUID().toString();
      List<Row> rows = batch(function, room.id(), List.of(stored, UUID.randomUUID().toString(), carols),
          List.of("bob", "bob", "carol"));
      assertEquals(first.message().seq(), rows.get(0).getLong("out_seq"), function + ": the retry, answered");
      assertTrue(rows.get(0).getBoolean("out_duplicate"));
      assertNull(rows.get(0).getValue("out_muted_until"));
      assertNull(rows.get(1).getValue("out_id"), function + ": the new one, refused");
      assertNotNull(rows.get(1).getOffsetDateTime("out_muted_until"));
      assertNotNull(rows.get(2).getValue("out_id"), function + ": carol's, written");
      assertNull(rows.get(2).getValue("out_muted_until"));
    }
  }

  /** One call of the write function with messages of these senders (client message ids), ordered by their place. */
  private static List<Row> batch(String function, String roomId, List<String> clientIds, List<String> senders) throws Exception {
    int n = clientIds.size();
    String[] rooms = new String[n];
    UUID[] ids = new UUID[n];
    String[] bodies = new String[n];
    String[] tenants = new String[n];
    Boolean[] system = new Boolean[n];
    for (int i = 0; i < n; i++) {
      rooms[i] = roomId;
      ids[i] = UUID.randomUUID();
      bodies[i] = "body " + i;
      tenants[i] = "acme";
      system[i] = false;
    }
    Tuple params = Tuple.tuple().addArrayOfString(rooms).addArrayOfString(clientIds.toArray(String[]::new)).addArrayOfUUID(ids)
        .addArrayOfString(senders.toArray(String[]::new)).addArrayOfString(senders.toArray(String[]::new))
        .addArrayOfString(bodies).addArrayOfUUID(new UUID[n]).addArrayOfString(new String[n]).addArrayOfString(tenants)
        .addArrayOfBoolean(system);
    List<Row> rows = new ArrayList<>();
    await(service.db().preparedQuery("SELECT * FROM " + function + "($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], "
        + "$6::text[], $7::uuid[], $8::text[], $9::text[], $10::boolean[]) ORDER BY out_ord").execute(params))
        .forEach(rows::add);
    return rows;
  }

  @Test
  @DisplayName("mutes are audited in room_audit with their end, and the audit log line names them")
  void audited(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob");
    MemberChangeResult muted = change(vertx, MemberChange.mute(ALICE, room.id(), "bob", 60));
    change(vertx, MemberChange.unmute(ALICE, room.id(), "bob"));
    List<List<Object>> audit = new ArrayList<>();
    for (Row row : await(service.db().preparedQuery("SELECT * FROM room_audit WHERE room_id = $1 ORDER BY id").execute(Tuple.of(room.id())))) {
      audit.add(List.of(row.getLong("seq"), row.getString("actor_id"), row.getString("action"), row.getJsonArray("members"),
          String.valueOf(row.getValue("detail"))));
    }
    String until = muted.message().meta().getString("mutedUntil");
    assertEquals(List.of(
        List.of(1L, "alice", "mute", new JsonArray().add(new JsonObject().put("userId", "bob").put("role", "member")),
            new JsonObject().put("mutedUntil", until).put("durationSeconds", 60).encode()),
        List.of(2L, "alice", "unmute", new JsonArray().add(new JsonObject().put("userId", "bob").put("role", "member")), "null")),
        audit);
  }

  @Test
  @DisplayName("services mute and unmute on chat.room.manage, as the system or as a user with that user's rights")
  void servicesMute(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob", "carol");
    JsonObject asSystem = new JsonObject().put("roomId", room.id()).put("tenant", "acme");
    JsonObject muted = ask(vertx, Addresses.CHAT_ROOM_MANAGE, asSystem.copy().put("action", "mute-member").put("userId", "bob")
        .put("durationSeconds", 60));
    assertEquals(1L, muted.getLong("seq"));
    assertNotNull(Instant.parse(muted.getString("mutedUntil")));
    assertEquals("system", ((JsonObject) eventsOf(room.id(), 1, 1).get(0).data()).getString("actorId"));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, asSystem.copy().put("actor", "carol")
        .put("action", "unmute-member").put("userId", "bob")), "carol is a member");
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_ROOM_MANAGE, asSystem.copy().put("action", "mute-member")
        .put("userId", "bob")), "no duration");
    assertEquals(new JsonObject().put("ok", true).put("seq", 2L), ask(vertx, Addresses.CHAT_ROOM_MANAGE,
        asSystem.copy().put("action", "unmute-member").put("userId", "bob")));
    assertEquals(new JsonObject().put("ok", true), ask(vertx, Addresses.CHAT_ROOM_MANAGE,
        asSystem.copy().put("action", "unmute-member").put("userId", "bob")), "nothing to lift");
  }

  private static RoomChangeResult slowMode(Vertx vertx, Sender actor, String roomId, int seconds) throws Exception {
    return ask(vertx, Addresses.ROOM_CHANGE, new RoomChange(actor, roomId, RoomChange.Action.UPDATE, null, null, seconds));
  }

  @Test
  @DisplayName("slow mode: a member's message too early is refused with the wait and the slow mode, nothing stored; owners, admins, the system and retries pass; turned off, members send freely")
  void slowModeMessages(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob", "carol");
    change(vertx, MemberChange.setRole(ALICE, room.id(), "carol", "admin"));
    RoomChangeResult set = slowMode(vertx, ALICE, room.id(), 60);
    RoomEvent updated = eventsOf(room.id(), set.seq(), 1).get(0);
    assertEquals(ClientEvents.ROOM_UPDATED, updated.event());
    assertEquals(60, ((JsonObject) updated.data()).getInteger("slowMode"));
    assertEquals("alice set slow mode to one message per 60 s", set.message().body());
    assertEquals(60, ((JoinResult) ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10))).slowMode());

    String firstId = UUID.randomUUID().toString();
    PersistResult first = ask(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, firstId, "first", null));
    assertEquals(60, first.slowMode(), "the gateway learns when bob's next may come");
    Throwable early = failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, UUID.randomUUID().toString(), "second", null));
    assertEquals(ErrorCode.SLOW_MODE, ServiceException.codeOf(early));
    long wait = ServiceException.extraOf(early).getLong("retryAfterMs");
    assertTrue(wait > 55_000 && wait <= 60_000, "the wait: " + wait);
    assertEquals(60, ServiceException.extraOf(early).getInteger("slowMode"));
    assertEquals("SLOW_MODE", codeOf(vertx, Addresses.CHAT_MESSAGE_CREATE, new JsonObject().put("roomId", room.id())
        .put("body", "through a service").put("sender", new JsonObject().put("userId", "bob").put("tenant", "acme"))));
    PersistResult retried = ask(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, firstId, "first", null));
    assertTrue(retried.duplicate(), "a retry of the first is answered with it");
    assertEquals(first.message().seq(), retried.message().seq());
    assertEquals("no error", codeOf(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(BOB, room.id(), first.message().id(), "edited", null)),
        "edits are not counted");

    PersistResult owners = send(vertx, room.id(), ALICE, "owner");
    assertEquals(0, owners.slowMode());
    send(vertx, room.id(), ALICE, "owner again");
    send(vertx, room.id(), CAROL, "admin");
    send(vertx, room.id(), CAROL, "admin again");
    assertEquals("no error", codeOf(vertx, Addresses.CHAT_MESSAGE_CREATE,
        new JsonObject().put("roomId", room.id()).put("body", "the system is exempt")));

    RoomChangeResult off = slowMode(vertx, CAROL, room.id(), 0);
    assertEquals("carol turned slow mode off", off.message().body());
    assertEquals(0, send(vertx, room.id(), BOB, "free again").slowMode());
    send(vertx, room.id(), BOB, "and again");
    assertEquals(List.of("alice made carol admin", "alice set slow mode to one message per 60 s", "edited", "owner",
        "owner again", "admin", "admin again", "the system is exempt", "carol turned slow mode off", "free again", "and again"),
        bodies(vertx, room.id()), "nothing of bob's too early; the seqs without a gap");
  }

  @Test
  @DisplayName("slow mode: after the wait the member's next message gets through")
  void slowModeWaits(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob");
    slowMode(vertx, ALICE, room.id(), 1);
    send(vertx, room.id(), BOB, "first");
    Throwable early = failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, UUID.randomUUID().toString(), "early", null));
    long wait = ServiceException.extraOf(early).getLong("retryAfterMs");
    assertTrue(wait > 0 && wait <= 1000, "at most the second: " + wait);

    Promise<Void> over = Promise.promise();
    vertx.setTimer(wait, id -> over.complete());
    await(over.future());

    assertEquals(3, send(vertx, room.id(), BOB, "on time").message().seq());
  }

  @Test
  @DisplayName("slow mode in one batch: a member's first new message is written, their next ones are too early, a retry of a stored one is answered; on both paths of the write")
  void slowModeInABatch(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob", "carol");
    slowMode(vertx, ALICE, room.id(), 60);
    for (String function : List.of("persist_messages", "persist_messages_checked")) {
      // The wait is counted from bob's last message: clear it, as if a minute had passed.
      await(service.db().preparedQuery("UPDATE room_members SET last_sent_at = NULL WHERE room_id = $1").execute(Tuple.of(room.id())));
      String stored = send(vertx, room.id(), CAROL, "carol's, stored before").message().clientMsgId();
      List<Row> rows = batch(function, room.id(), List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), stored),
          List.of("bob", "bob", "carol"));
      assertNotNull(rows.get(0).getValue("out_id"), function + ": bob's first, written");
      assertEquals(60, rows.get(0).getInteger("out_slow_mode"));
      assertNull(rows.get(1).getValue("out_id"), function + ": bob's second, too early");
      assertEquals(60_000L, rows.get(1).getLong("out_retry_after_ms"));
      assertTrue(rows.get(2).getBoolean("out_duplicate"), function + ": carol's retry, answered although her last message was just now");
      assertNull(rows.get(2).getValue("out_retry_after_ms"));
    }
  }

  @Test
  @DisplayName("slow mode is the owner's and admins' to set, 0 to 6 hours, never in a direct room; services set it on chat.room.manage; a refused send from a socket is told to the room")
  void slowModeRights(Vertx vertx) throws Exception {
    Room room = room(vertx, "group", "bob");
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_CHANGE,
        new RoomChange(BOB, room.id(), RoomChange.Action.UPDATE, null, null, 10)), "a member");
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.ROOM_CHANGE,
        new RoomChange(ALICE, room.id(), RoomChange.Action.UPDATE, null, null, 21601)));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.ROOM_CHANGE,
        new RoomChange(ALICE, room(vertx, "direct", "bob").id(), RoomChange.Action.UPDATE, null, null, 10)), "a direct room");
    JsonObject set = ask(vertx, Addresses.CHAT_ROOM_MANAGE, new JsonObject().put("action", "update-room").put("roomId", room.id())
        .put("tenant", "acme").put("slowMode", 30));
    assertEquals(1L, set.getLong("seq"));
    assertFalse(slowMode(vertx, ALICE, room.id(), 30).changed(), "the same again");

    send(vertx, room.id(), BOB, "first");
    String tempId = UUID.randomUUID().toString();
    failure(vertx, Addresses.MESSAGE_PERSIST, message(room.id(), BOB, tempId, "shown optimistically", "socket-1"));
    assertEquals(new JsonObject().put("roomId", room.id()).put("tempId", tempId).put("code", "SLOW_MODE"),
        service.next(e -> ClientEvents.MESSAGE_FAILED.equals(e.event())).data());
  }
}
