package io.switchboard.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.MessageChange;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.ReadState;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.embedded.TestServers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * message-service on the event bus, two instances (each with its own connections and writer) on a
 * real Postgres, driven the way gateways drive it.
 */
@ExtendWith(VertxExtension.class)
class MessageServiceTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");
  private static final Sender BOB = new Sender("acme", "bob", "Bob");
  private static final Sender CAROL = new Sender("acme", "carol", "Carol");
  private static final Sender EVE = new Sender("other", "eve", "Eve");

  @BeforeAll
  static void deploy(Vertx vertx, VertxTestContext ctx) {
    BusCodecs.register(vertx);
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0);
    MessageServiceConfig service = MessageServiceConfig.from(config);
    vertx.deployVerticle(() -> new MessageServiceVerticle(service), new DeploymentOptions().setInstances(2))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static <T> Future<T> ask(Vertx vertx, String address, Object body) {
    return vertx.eventBus().<T>request(address, body).map(m -> m.body());
  }

  private static Future<Room> createRoom(Vertx vertx, Sender creator, String kind, String delivery, List<String> members) {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(creator, "general", kind, delivery, members));
  }

  private static Future<PersistResult> send(Vertx vertx, String roomId, Sender sender, String clientMsgId, String body) {
    return ask(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(sender, roomId, clientMsgId, body, null, null, "socket-" + sender.userId(), "test"));
  }

  private static Future<List<PersistResult>> sendMany(Vertx vertx, String roomId, int n) {
    Future<List<PersistResult>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 1; i <= n; i++) {
      String body = "m" + i;
      chain = chain.compose(list -> send(vertx, roomId, ALICE, UUID.randomUUID().toString(), body).map(r -> {
        list.add(r);
        return list;
      }));
    }
    return chain;
  }

  /** The error code a failed request carried. */
  private static <T> Future<String> codeOf(Future<T> request) {
    return request.map(ok -> "no error").recover(f -> Future.succeededFuture(
        ErrorCode.fromBusCode(((ReplyException) f).failureCode()).name()));
  }

  /** The error codes of {@code requests}, sent one after the other, in {@code codes}. */
  private static Future<Void> codesOf(Vertx vertx, String address, List<JsonObject> requests, List<String> codes) {
    Future<Void> chain = Future.succeededFuture();
    for (JsonObject request : requests) {
      chain = chain.compose(v -> codeOf(ask(vertx, address, request)).map(code -> {
        codes.add(code);
        return null;
      }));
    }
    return chain;
  }

  private static List<Long> seqs(int n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  @DisplayName("messages of a room get seq 1, 2, 3 and a join with sinceSeq returns those after it")
  void seqAndRecovery(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", "optimistic", List.of("bob"))
        .compose(room -> sendMany(vertx, room.id(), 3)
            .compose(sent -> ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), 1L, 100))))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          JoinResult join = (JoinResult) result;
          assertEquals(3, join.lastSeq());
          assertEquals(List.of(2L, 3L), join.missed().stream().map(ChatMessage::seq).toList());
          assertEquals(List.of("m2", "m3"), join.missed().stream().map(ChatMessage::body).toList());
          assertFalse(join.truncated());
          assertEquals(2, join.members());
          assertEquals(3, join.unread());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a join returns at most the recovery maximum of missed messages and says truncated")
  void recoveryIsBounded(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", "optimistic", List.of())
        .compose(room -> sendMany(vertx, room.id(), 7)
            .compose(sent -> ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(ALICE, room.id(), 0L, 5))))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          JoinResult join = (JoinResult) result;
          assertEquals(seqs(5), join.missed().stream().map(ChatMessage::seq).toList());
          assertTrue(join.truncated());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the same clientMsgId sent five times at once, through both instances, makes one row with one seq")
  void concurrentRetriesMakeOneRow(Vertx vertx, VertxTestContext ctx) {
    String clientMsgId = UUID.randomUUID().toString();
    createRoom(vertx, ALICE, "group", "optimistic", List.of())
        .compose(room -> {
          List<Future<PersistResult>> sends = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            sends.add(send(vertx, room.id(), ALICE, clientMsgId, "hello"));
          }
          return Future.all(sends).map(all -> sends.stream().map(Future::result).toList())
              .compose(results -> ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(ALICE, room.id(), null, null, 100))
                  .map(page -> List.of(results, page)));
        })
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<PersistResult> results = (List<PersistResult>) both.get(0);
          HistoryPage page = (HistoryPage) both.get(1);
          assertEquals(1, page.messages().size(), "one row");
          assertEquals(1, results.stream().filter(r -> !r.duplicate()).count(), "one original, the rest duplicates");
          assertEquals(1, results.stream().map(r -> r.message().id()).distinct().count());
          assertTrue(results.stream().allMatch(r -> r.message().seq() == 1));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("200 concurrent sends from several senders into one room get seq 1..200 with no gap, each acked with its stored seq")
  void concurrentSendsAreGapless(Vertx vertx, VertxTestContext ctx) {
    int n = 200;
    Sender[] senders = {ALICE, BOB, CAROL};
    createRoom(vertx, ALICE, "public", "optimistic", List.of("bob", "carol"))
        .compose(room -> {
          List<Future<PersistResult>> sends = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            sends.add(send(vertx, room.id(), senders[i % 3], UUID.randomUUID().toString(), "m" + i));
          }
          return Future.all(sends).map(all -> sends.stream().map(Future::result).toList())
              .compose(results -> ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(ALICE, room.id(), null, 0L, 100))
                  .compose(p1 -> ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(ALICE, room.id(), null, 100L, 100))
                      .map(p2 -> List.of(results, p1, p2))));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<PersistResult> results = (List<PersistResult>) all.get(0);
          assertEquals(seqs(n), results.stream().map(r -> r.message().seq()).sorted().toList());
          List<ChatMessage> stored = new ArrayList<>(((HistoryPage) all.get(1)).messages());
          stored.addAll(((HistoryPage) all.get(2)).messages());
          assertEquals(seqs(n), stored.stream().map(ChatMessage::seq).toList());
          for (PersistResult r : results) {
            ChatMessage row = stored.get((int) r.message().seq() - 1);
            assertEquals(r.message().id(), row.id(), "the ack's seq is the stored seq of that message");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("history pages backwards and forwards return every message exactly once, in seq order")
  void historyPaging(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", "optimistic", List.of("bob"))
        .compose(room -> sendMany(vertx, room.id(), 25).compose(sent -> {
          Function<Long, Future<HistoryPage>> before = b -> ask(vertx, Addresses.MESSAGE_HISTORY,
              new HistoryRequest(BOB, room.id(), b, null, 10));
          Function<Long, Future<HistoryPage>> after = a -> ask(vertx, Addresses.MESSAGE_HISTORY,
              new HistoryRequest(BOB, room.id(), null, a, 10));
          List<HistoryPage> backward = new ArrayList<>();
          List<HistoryPage> forward = new ArrayList<>();
          return pageAll(before, null, backward, true).compose(v -> pageAll(after, 0L, forward, false))
              .map(v -> List.of(backward, forward));
        }))
        .onComplete(ctx.succeeding(pages -> ctx.verify(() -> {
          List<Long> backward = new ArrayList<>();
          pages.get(0).forEach(p -> backward.addAll(0, p.messages().stream().map(ChatMessage::seq).toList()));
          List<Long> forward = new ArrayList<>();
          pages.get(1).forEach(p -> forward.addAll(p.messages().stream().map(ChatMessage::seq).toList()));
          assertEquals(seqs(25), backward);
          assertEquals(seqs(25), forward);
          assertEquals(3, pages.get(0).size());
          assertFalse(pages.get(0).get(2).hasMore());
          assertTrue(pages.get(0).get(0).hasMore());
          ctx.completeNow();
        })));
  }

  private static Future<Void> pageAll(Function<Long, Future<HistoryPage>> fetch, Long cursor, List<HistoryPage> pages,
      boolean backwards) {
    return fetch.apply(cursor).compose(page -> {
      pages.add(page);
      if (!page.hasMore()) {
        return Future.succeededFuture();
      }
      List<ChatMessage> messages = page.messages();
      long next = backwards ? messages.get(0).seq() : messages.get(messages.size() - 1).seq();
      return pageAll(fetch, next, pages, backwards);
    });
  }

  @Test
  @DisplayName("only the sender or a room admin may edit or delete; the change keeps the old and the new message")
  void editAndDeleteRights(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", "optimistic", List.of("bob", "carol"))
        .compose(room -> send(vertx, room.id(), BOB, UUID.randomUUID().toString(), "bob's words")
            .compose(sent -> {
              String id = sent.message().id();
              Future<String> carolEdits = codeOf(ask(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(CAROL, room.id(), id, "carol's", null)));
              Future<String> eveDeletes = codeOf(ask(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(EVE, room.id(), id, null)));
              return carolEdits.compose(c -> eveDeletes.compose(e ->
                  ask(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(BOB, room.id(), id, "bob's better words", null))
                      .compose(edited -> ask(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(ALICE, room.id(), id, null))
                          .map(deleted -> List.of(c, e, edited, deleted)))));
            }))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          assertEquals("FORBIDDEN", results.get(0), "a member who is not the sender");
          assertEquals("NOT_FOUND", results.get(1), "a user of another tenant does not learn the message exists");
          MessageChange edited = (MessageChange) results.get(2);
          assertEquals("bob's words", edited.before().body());
          assertEquals("bob's better words", edited.after().body());
          assertTrue(edited.after().editedAt() != null);
          MessageChange deleted = (MessageChange) results.get(3);
          assertTrue(deleted.after().deleted(), "the room admin deleted it");
          assertEquals("", deleted.after().body());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("mark-read moves the read position forward only and the unread count follows")
  void markRead(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", "optimistic", List.of("bob"))
        .compose(room -> sendMany(vertx, room.id(), 5)
            .compose(sent -> ask(vertx, Addresses.ROOM_MARK_READ, new MarkRead(BOB, room.id(), 3)))
            .compose(first -> ask(vertx, Addresses.ROOM_MARK_READ, new MarkRead(BOB, room.id(), 1))
                .compose(second -> ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10))
                    .map(join -> List.of(first, second, join)))))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          assertEquals(2, ((ReadState) results.get(0)).unread());
          assertEquals(3, ((ReadState) results.get(1)).lastReadSeq(), "never moves back");
          assertEquals(2, ((JoinResult) results.get(2)).unread());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a group room refuses non-members with FORBIDDEN and hides itself from other tenants with NOT_FOUND")
  void accessRules(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "group", "optimistic", List.of())
        .compose(room -> codeOf(ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(BOB, room.id(), null, 10)))
            .compose(bob -> codeOf(ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(EVE, room.id(), null, 10)))
                .compose(eve -> codeOf(ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(EVE, room.id(), null, null, 10)))
                    .map(eveHistory -> List.of(bob, eve, eveHistory)))))
        .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
          assertEquals(List.of("FORBIDDEN", "NOT_FOUND", "NOT_FOUND"), codes);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a persist from a non-member, into another tenant's room, or by a service on behalf of a non-member is refused, whoever sends it on the bus; the member's message sent at the same time is stored, and the room hears nothing of the refusals")
  void persistChecksMembership(Vertx vertx, VertxTestContext ctx) {
    List<RoomEvent> seen = new ArrayList<>();
    createRoom(vertx, ALICE, "group", "optimistic", List.of("bob")).compose(room ->
        createRoom(vertx, EVE, "public", "optimistic", List.of()).compose(foreign -> {
          MessageConsumer<RoomEvent> consumer = vertx.eventBus().consumer(Addresses.GATEWAY_FANOUT, m -> {
            if (m.body().room().equals(ClientEvents.chatRoom(room.id())) || m.body().room().equals(ClientEvents.chatRoom(foreign.id()))) {
              seen.add(m.body());
            }
          });
          JsonObject carolViaService = new JsonObject().put("roomId", room.id()).put("body", "let me in")
              .put("sender", new JsonObject().put("userId", "carol").put("tenant", "acme"));
          return consumer.completion().compose(v -> {
            // Sent at once, so that the writer takes them into one batch.
            Future<String> carol = codeOf(send(vertx, room.id(), CAROL, UUID.randomUUID().toString(), "not a member"));
            Future<String> bob = codeOf(send(vertx, room.id(), BOB, UUID.randomUUID().toString(), "a member"));
            Future<String> alice = codeOf(send(vertx, foreign.id(), ALICE, UUID.randomUUID().toString(), "another tenant"));
            Future<String> service = codeOf(ask(vertx, Addresses.CHAT_MESSAGE_CREATE, carolViaService));
            Future<String> system = codeOf(ask(vertx, Addresses.CHAT_MESSAGE_CREATE, new JsonObject()
                .put("roomId", foreign.id()).put("body", "as the system, elsewhere")
                .put("sender", new JsonObject().put("userId", "system").put("tenant", "acme"))));
            return Future.all(carol, bob, alice, service, system).map(all -> List.of(carol.result(), bob.result(),
                alice.result(), service.result(), system.result()));
          }).compose(codes -> ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(BOB, room.id(), null, null, 100))
              .compose(history -> ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(EVE, foreign.id(), null, null, 100))
                  .map(foreignHistory -> List.of(codes, history, foreignHistory))))
              .compose(results -> consumer.unregister().map(v -> results));
        }))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          assertEquals(List.of("FORBIDDEN", "no error", "NOT_FOUND", "FORBIDDEN", "NOT_FOUND"), results.get(0));
          List<ChatMessage> stored = ((HistoryPage) results.get(1)).messages();
          assertEquals(List.of("bob"), stored.stream().map(ChatMessage::senderId).toList());
          assertEquals(1L, stored.get(0).seq());
          assertEquals(List.of(), ((HistoryPage) results.get(2)).messages());
          assertEquals(List.of(ClientEvents.MESSAGE_CONFIRMED), seen.stream().map(RoomEvent::event).toList(),
              "only the member's message was announced");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a message of an optimistic room is announced to both kinds of receivers: its confirmation to those that saw the optimistic copy, the stored message once to those that receive durable, neither to the sender's socket; a retry only confirms again")
  void announcedToBothReceivers(Vertx vertx, VertxTestContext ctx) {
    List<RoomEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    String clientMsgId = UUID.randomUUID().toString();
    createRoom(vertx, ALICE, "group", "optimistic", List.of("bob")).compose(room -> {
      MessageConsumer<RoomEvent> consumer = vertx.eventBus().consumer(Addresses.GATEWAY_FANOUT, m -> seen.add(m.body()));
      return consumer.completion()
          .compose(v -> send(vertx, room.id(), ALICE, clientMsgId, "hello"))
          .compose(first -> send(vertx, room.id(), ALICE, clientMsgId, "hello").map(first))
          .compose(first -> vertx.timer(200).map(first))
          .compose(first -> consumer.unregister().map(v -> List.of(room, first)));
    }).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      Room room = (Room) results.get(0);
      PersistResult stored = (PersistResult) results.get(1);
      List<RoomEvent> confirmed = seen.stream().filter(e -> e.event().equals(ClientEvents.MESSAGE_CONFIRMED)).toList();
      List<RoomEvent> created = seen.stream().filter(e -> e.event().equals(ClientEvents.MESSAGE_CREATED)).toList();
      assertEquals(2, confirmed.size(), "confirmed for the send and again for the retry");
      for (RoomEvent e : confirmed) {
        assertEquals(ClientEvents.chatRoom(room.id()), e.room());
        assertEquals(ClientEvents.durableRoom(room.id()), e.exceptRoom(), "not to the sockets that receive durable");
        assertEquals("socket-alice", e.exceptSocketId());
        assertEquals(stored.message().seq(), e.seq());
      }
      assertEquals(1, created.size(), "the stored message once, not again for the retry");
      RoomEvent durable = created.get(0);
      assertEquals(ClientEvents.durableRoom(room.id()), durable.room());
      assertEquals("socket-alice", durable.exceptSocketId());
      assertEquals(stored.message().seq(), durable.seq());
      JsonObject message = ((JsonObject) durable.data()).getJsonObject("new");
      assertEquals(false, message.getBoolean("optimistic"));
      assertEquals(clientMsgId, message.getString("tempId"));
      assertEquals("hello", message.getString("body"));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a direct room between two users is created once")
  void directRoomIsUnique(Vertx vertx, VertxTestContext ctx) {
    createRoom(vertx, ALICE, "direct", "optimistic", List.of("bob"))
        .compose(first -> createRoom(vertx, BOB, "direct", "optimistic", List.of("alice")).map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(rooms -> ctx.verify(() -> {
          assertEquals(rooms.get(0).id(), rooms.get(1).id());
          assertEquals(2, rooms.get(1).members().size());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("confirmations reach the room in seq order; a persist-first room gets each message once, with its seq")
  void announcements(Vertx vertx, VertxTestContext ctx) {
    List<RoomEvent> seen = new ArrayList<>();
    createRoom(vertx, ALICE, "group", "optimistic", List.of())
        .compose(optimistic -> createRoom(vertx, ALICE, "group", "persist_first", List.of()).compose(persistFirst -> {
          MessageConsumer<RoomEvent> consumer = vertx.eventBus().consumer(Addresses.GATEWAY_FANOUT, m -> seen.add(m.body()));
          return consumer.completion()
              .compose(v -> sendMany(vertx, optimistic.id(), 10))
              .compose(v -> send(vertx, persistFirst.id(), ALICE, UUID.randomUUID().toString(), "durable first"))
              .compose(v -> consumer.unregister())
              .map(v -> List.of(optimistic.id(), persistFirst.id()));
        }))
        .onComplete(ctx.succeeding(ids -> ctx.verify(() -> {
          List<Long> confirmed = seen.stream()
              .filter(e -> e.room().equals(ClientEvents.chatRoom(ids.get(0))) && e.event().equals(ClientEvents.MESSAGE_CONFIRMED))
              .map(e -> ((JsonObject) e.data()).getLong("seq")).toList();
          assertEquals(seqs(10), confirmed);
          List<RoomEvent> persistFirst = seen.stream().filter(e -> e.room().equals(ClientEvents.chatRoom(ids.get(1)))).toList();
          assertEquals(1, persistFirst.size());
          assertEquals(ClientEvents.MESSAGE_CREATED, persistFirst.get(0).event());
          JsonObject message = ((JsonObject) persistFirst.get(0).data()).getJsonObject("new");
          assertEquals(1L, message.getLong("seq"));
          assertEquals(false, message.getBoolean("optimistic"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("chat.message.create posts as the system or a user, once per clientMsgId; bad input is VALIDATION_ERROR and stores nothing")
  void servicesPostMessages(Vertx vertx, VertxTestContext ctx) {
    String cmid = UUID.randomUUID().toString();
    List<RoomEvent> seen = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    createRoom(vertx, ALICE, "group", "optimistic", List.of("bob")).compose(room -> {
      MessageConsumer<RoomEvent> consumer = vertx.eventBus().consumer(Addresses.GATEWAY_FANOUT, m -> {
        if (m.body().room().equals(ClientEvents.chatRoom(room.id()))) {
          seen.add(m.body());
        }
      });
      JsonObject fromSystem = new JsonObject().put("roomId", room.id()).put("body", "deploy at five").put("clientMsgId", cmid);
      JsonObject fromBob = new JsonObject().put("roomId", room.id()).put("body", "on it")
          .put("sender", new JsonObject().put("userId", "bob").put("name", "Bob").put("tenant", "acme"));
      List<JsonObject> bad = List.of(
          fromSystem.copy().put("clientMsgId", "not-a-uuid"),
          fromSystem.copy().put("clientMsgId", UUID.randomUUID().toString()).put("meta", new JsonObject().put("note", "x".repeat(5000))),
          fromSystem.copy().put("clientMsgId", UUID.randomUUID().toString()).put("meta", "a string"),
          fromSystem.copy().put("clientMsgId", UUID.randomUUID().toString()).put("replyTo", 5),
          fromSystem.copy().put("clientMsgId", UUID.randomUUID().toString()).put("body", "   "),
          fromBob.copy().put("sender", new JsonObject().put("userId", 7)),
          fromBob.copy().put("sender", "bob"),
          new JsonObject().put("roomId", "no spaces allowed").put("body", "hi"));
      return consumer.completion()
          .compose(v -> ask(vertx, Addresses.CHAT_MESSAGE_CREATE, fromSystem))
          .compose(first -> ask(vertx, Addresses.CHAT_MESSAGE_CREATE, fromSystem)
              .compose(again -> ask(vertx, Addresses.CHAT_MESSAGE_CREATE, fromBob)
                  .compose(bob -> codesOf(vertx, Addresses.CHAT_MESSAGE_CREATE, bad, codes))
                  .compose(v -> ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(BOB, room.id(), null, null, 100)))
                  .compose(history -> consumer.unregister().map(v -> List.<Object>of(first, again, history)))));
    }).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      JsonObject first = (JsonObject) results.get(0);
      JsonObject again = (JsonObject) results.get(1);
      assertEquals(1L, first.getLong("seq"));
      assertEquals(false, first.getBoolean("duplicate"));
      assertEquals(first.getString("id"), again.getString("id"));
      assertEquals(1L, again.getLong("seq"));
      assertEquals(true, again.getBoolean("duplicate"));
      assertEquals(Collections.nCopies(8, "VALIDATION_ERROR"), codes);
      List<ChatMessage> stored = ((HistoryPage) results.get(2)).messages();
      assertEquals(List.of(1L, 2L), stored.stream().map(ChatMessage::seq).toList());
      assertEquals(List.of("system", "bob"), stored.stream().map(ChatMessage::senderId).toList());
      // Members get each message once, with its seq: no optimistic copy went out, and the repeat is not announced.
      assertEquals(List.of(ClientEvents.MESSAGE_CREATED, ClientEvents.MESSAGE_CREATED), seen.stream().map(RoomEvent::event).toList());
      assertEquals(List.of(1L, 2L), seen.stream().map(e -> ((JsonObject) e.data()).getJsonObject("new").getLong("seq")).toList());
      ctx.completeNow();
    })));
  }
}
