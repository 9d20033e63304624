package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static io.switchboard.message.ServiceFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.Reaction;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.ReactionResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reactions (docs/protocol.md, "Reactions") in message-service on a real Postgres, on the event bus as
 * the gateways ask: idempotent changes, what the message carries for each reader, the room's events,
 * the rights and the limits. Each test has a room and users of its own.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Reactions in message-service")
class ReactionsTest {
  private static final int KINDS = 3;
  private static ServiceFixture service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    service = ServiceFixture.deploy(vertx, config -> config.with(ConfigKey.MAX_REACTION_KINDS, String.valueOf(KINDS)), 1);
  }

  private static ReactionChange add(Sender user, Room room, String messageId, String emoji) {
    return new ReactionChange(user, room.id(), messageId, emoji, true, "socket-" + user.userId());
  }

  private static ReactionChange remove(Sender user, Room room, String messageId, String emoji) {
    return new ReactionChange(user, room.id(), messageId, emoji, false, "socket-" + user.userId());
  }

  private static ReactionResult react(Vertx vertx, ReactionChange change) throws Exception {
    return ask(vertx, Addresses.MESSAGE_REACT, change);
  }

  private static String codeOfReaction(Vertx vertx, ReactionChange change) throws Exception {
    return codeOf(vertx, Addresses.MESSAGE_REACT, change);
  }

  private static String summary(List<Reaction> reactions) {
    return String.join(" ", reactions.stream().map(r -> r.emoji() + r.count() + (Boolean.TRUE.equals(r.me()) ? "*" : "")).toList());
  }

  private static ChatMessage latest(Vertx vertx, Sender reader, Room room) throws Exception {
    HistoryPage page = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(reader, room.id(), null, null, 10));
    return page.messages().get(page.messages().size() - 1);
  }

  private static List<RoomEvent> reactionEvents(String roomId, int expected) throws InterruptedException {
    List<RoomEvent> events = new ArrayList<>();
    Predicate<RoomEvent> wanted = e -> ClientEvents.MESSAGE_REACTION.equals(e.event()) && ClientEvents.chatRoom(roomId).equals(e.room());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (events.size() < expected) {
      long left = deadline - System.nanoTime();
      RoomEvent e = left > 0 ? service.fanout.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("got " + events.size() + " of " + expected + " reaction events");
      }
      if (wanted.test(e)) {
        events.add(e);
      }
    }
    return events;
  }

  @Test
  @DisplayName("adding and removing are idempotent; the answer is the message's reactions as the reactor sees them, each change counted")
  void addAndRemove(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = service.room(alice, bob);
    String id = service.send(alice, room, "hello").id();

    ReactionResult first = react(vertx, add(bob, room, id, "👍"));
    assertTrue(first.changed());
    assertEquals("👍1*", summary(first.reactions()));
    assertEquals(List.of(bob.userId()), first.reactions().get(0).users());
    assertEquals(1, first.version());

    ReactionResult again = react(vertx, add(bob, room, id, "👍"));
    assertFalse(again.changed(), "one reaction of a kind per user per message");
    assertEquals("👍1*", summary(again.reactions()));
    assertEquals(1, again.version(), "no change, no count");

    assertEquals("👍2*", summary(react(vertx, add(alice, room, id, "👍")).reactions()));
    ReactionResult party = react(vertx, add(alice, room, id, "🎉"));
    assertEquals("👍2* 🎉1*", summary(party.reactions()), "kinds in the order of their first use");
    assertEquals(List.of(bob.userId(), alice.userId()), party.reactions().get(0).users(), "users in the order they reacted");
    assertEquals(3, party.version());

    ReactionResult removed = react(vertx, remove(bob, room, id, "👍"));
    assertTrue(removed.changed());
    assertEquals("👍1 🎉1", summary(removed.reactions()), "me: bob has neither any more");
    assertFalse(react(vertx, remove(bob, room, id, "👍")).changed());
    ReactionResult none = react(vertx, remove(bob, room, id, "🦄"));
    assertFalse(none.changed());
    assertEquals(4, none.version(), "removing what is not there changes nothing");
  }

  @Test
  @DisplayName("each change is told to the room but the reacting socket, with the reactions after it (no reader's me) and its version; no change, no event")
  void events(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = service.room(alice, bob);
    String id = service.send(alice, room, "hello").id();

    react(vertx, add(bob, room, id, "👍"));
    react(vertx, add(bob, room, id, "👍"));
    react(vertx, add(alice, room, id, "👍"));
    react(vertx, remove(bob, room, id, "👍"));
    List<RoomEvent> events = reactionEvents(room.id(), 3);
    RoomEvent first = events.get(0);
    assertEquals("socket-" + bob.userId(), first.exceptSocketId());
    JsonObject data = (JsonObject) first.data();
    assertEquals(room.id(), data.getString("roomId"));
    assertEquals(id, data.getString("messageId"));
    assertEquals(bob.userId(), data.getString("userId"));
    assertEquals("👍", data.getString("emoji"));
    assertTrue(data.getBoolean("added"));
    assertEquals(1, data.getInteger("version"));
    assertEquals(new JsonArray().add(new JsonObject().put("emoji", "👍").put("count", 1).put("users", new JsonArray().add(bob.userId()))),
        data.getJsonArray("reactions"));
    assertEquals(List.of(1, 2, 3), events.stream().map(e -> ((JsonObject) e.data()).getInteger("version")).toList(),
        "the repeated add was not announced");
    JsonObject last = (JsonObject) events.get(2).data();
    assertFalse(last.getBoolean("added"));
    assertEquals(List.of(alice.userId()), last.getJsonArray("reactions").getJsonObject(0).getJsonArray("users").getList());
  }

  @Test
  @DisplayName("history and a join's missed carry each message's reactions with the reader's own marked; a deleted message shows none and takes none")
  void readersSeeReactions(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = service.room(alice, bob);
    String plain = service.send(alice, room, "hello").id();
    String liked = service.send(alice, room, "hello").id();
    react(vertx, add(bob, room, liked, "👍"));
    react(vertx, add(alice, room, liked, "❤️"));

    ChatMessage bobs = latest(vertx, bob, room);
    assertEquals(liked, bobs.id());
    assertEquals("👍1* ❤️1", summary(bobs.reactions()));
    assertEquals(2, bobs.reactionsVersion());
    assertEquals("👍1 ❤️1*", summary(latest(vertx, alice, room).reactions()));

    JoinResult joined = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(bob, room.id(), 0L, 10));
    assertEquals(List.of(plain, liked), joined.missed().stream().map(ChatMessage::id).toList());
    assertEquals(List.of(), joined.missed().get(0).reactions());
    assertEquals("👍1* ❤️1", summary(joined.missed().get(1).reactions()));

    assertEquals("no error", codeOf(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(alice, room.id(), liked, null)));
    assertEquals(List.of(), latest(vertx, bob, room).reactions(), "a deleted message's reactions are hidden");
    assertEquals("NOT_FOUND", codeOfReaction(vertx, add(bob, room, liked, "👍")));
  }

  @Test
  @DisplayName("only members react: another tenant's room is not found; muted members only remove theirs; an archived room takes none")
  void rights(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = service.room(alice, bob);
    String id = service.send(alice, room, "hello").id();

    assertEquals("FORBIDDEN", codeOfReaction(vertx, add(user("eve"), room, id, "👍")));
    Sender stranger = new Sender("other", bob.userId(), "bob");
    assertEquals("NOT_FOUND", codeOfReaction(vertx, add(stranger, room, id, "👍")), "another tenant's room looks missing");
    assertEquals("NOT_FOUND", codeOfReaction(vertx, add(bob, room, UUID.randomUUID().toString(), "👍")));

    react(vertx, add(bob, room, id, "👍"));
    ask(vertx, Addresses.ROOM_MEMBER_CHANGE, MemberChange.mute(alice, room.id(), bob.userId(), 600));
    assertEquals("FORBIDDEN", codeOfReaction(vertx, add(bob, room, id, "🎉")), "muted: adds nothing");
    assertTrue(react(vertx, remove(bob, room, id, "👍")).changed(), "but removes");

    ask(vertx, Addresses.ROOM_CHANGE, new RoomChange(alice, room.id(), RoomChange.Action.ARCHIVE, null, null));
    assertEquals("ROOM_ARCHIVED", codeOfReaction(vertx, add(alice, room, id, "👍")));
  }

  @Test
  @DisplayName("a message takes MAX_REACTION_KINDS kinds: a new one past it is REACTION_LIMIT, an existing one is still fine; emoji are checked")
  void limits(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = service.room(alice, bob);
    String id = service.send(alice, room, "hello").id();
    for (String emoji : List.of("a", "b", "c")) {
      react(vertx, add(alice, room, id, emoji));
    }
    assertEquals("REACTION_LIMIT", codeOfReaction(vertx, add(bob, room, id, "d")));
    assertEquals("a1 b2* c1", summary(react(vertx, add(bob, room, id, "b")).reactions()), "a kind the message has");

    for (String bad : List.of("", " ", "a b", "x".repeat(33), "\u0007", "\n")) {
      assertEquals("VALIDATION_ERROR", codeOfReaction(vertx, add(bob, room, id, bad)), "emoji " + JsonObject.of("e", bad));
    }
    String other = service.send(alice, room, "hello").id();
    assertEquals("👩‍👩‍👧1*", summary(react(vertx, add(bob, room, other, "👩‍👩‍👧")).reactions()), "a sequence with joiners is one emoji");
    assertEquals("VALIDATION_ERROR", codeOfReaction(vertx, add(bob, room, "not-a-uuid", "a")));
    assertNull(Reaction.emojiProblem(":shipit:"));
  }

  @Test
  @DisplayName("reactions of many users at once on one message are all counted, each change with its own version")
  void concurrent(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    List<Sender> others = IntStream.range(0, 20).mapToObj(i -> user("u" + i)).toList();
    Room room = service.room(alice, others.toArray(Sender[]::new));
    String id = service.send(alice, room, "hello").id();

    List<Future<ReactionResult>> all = others.stream()
        .map(u -> vertx.eventBus().<ReactionResult>request(Addresses.MESSAGE_REACT, add(u, room, id, "🔥")).map(m -> m.body()))
        .toList();
    List<ReactionResult> results = await(Future.all(all)).list();
    assertEquals(IntStream.rangeClosed(1, 20).boxed().toList(), results.stream().map(ReactionResult::version).sorted().toList());
    Reaction fire = latest(vertx, alice, room).reactions().get(0);
    assertEquals(20, fire.count());
    assertEquals(10, fire.users().size(), "the first 10 users");
    assertFalse(fire.me());
  }
}
