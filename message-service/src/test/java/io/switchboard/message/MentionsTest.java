package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.codeOf;
import static io.switchboard.message.ServiceFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.MentionListRequest;
import io.switchboard.common.chat.MentionPage;
import io.switchboard.common.chat.Mentions;
import io.switchboard.common.chat.MessageChange;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.RoomSummary;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mentions (docs/protocol.md, "Mentions") in message-service on a real Postgres, on the event bus as
 * the gateways ask: parsed when stored and on edit, members only, on the message wherever it is read,
 * counted unread, listed per user.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Mentions in message-service")
class MentionsTest {
  private static ServiceFixture service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    service = ServiceFixture.deploy(vertx);
  }

  private static MentionPage mentions(Vertx vertx, Sender user, String roomId, String after, Integer limit) throws Exception {
    return ask(vertx, Addresses.MENTION_LIST, MentionListRequest.of(user, roomId, after, limit));
  }

  private static List<String> bodies(MentionPage page) {
    return page.mentions().stream().map(m -> m.message().body()).toList();
  }

  private static RoomSummary summary(Vertx vertx, Sender user, Room room) throws Exception {
    RoomList list = ask(vertx, Addresses.ROOM_LIST, new RoomListRequest(user, 100));
    return list.rooms().stream().filter(r -> r.id().equals(room.id())).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("@user of members only, never the sender; with trailing punctuation; on the stored message, its confirmation and in history")
  void membersOnly(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Sender carol = user("carol");
    Sender dave = user("dave");
    Room room = service.room(alice, bob, carol);
    String body = "hi @" + bob.userId() + ", @" + dave.userId() + " and @" + alice.userId() + "! cc @" + carol.userId()
        + ". mail@" + bob.userId();
    ChatMessage sent = service.send(alice, room, body);
    assertEquals(new Mentions(List.of(bob.userId(), carol.userId()).stream().sorted().toList(), false), sent.mentions(),
        "bob and carol are members; dave is not, alice sent it, mail@bob is no mention");

    RoomEvent confirmed = service.next(e -> ClientEvents.MESSAGE_CONFIRMED.equals(e.event())
        && ((JsonObject) e.data()).getString("id").equals(sent.id()));
    JsonObject told = ((JsonObject) confirmed.data()).getJsonObject("mentions");
    assertNotNull(told, "the confirmation carries the mentions");
    assertEquals(2, told.getJsonArray("users").size());
    assertFalse(told.containsKey("room"), "room is written only when true");

    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(bob, room.id(), null, null, 10));
    assertEquals(sent.mentions(), history.messages().get(0).mentions());
    ChatMessage plain = service.send(bob, room, "no mention here, @ alone, email bob@example.com");
    assertNull(plain.mentions());

    assertEquals(List.of(body), bodies(mentions(vertx, bob, null, null, null)));
    assertEquals(List.of(), bodies(mentions(vertx, dave, null, null, null)), "dave is no member: not mentioned");
    assertEquals(List.of(), bodies(mentions(vertx, alice, null, null, null)), "the sender is not mentioned by their own message");
  }

  @Test
  @DisplayName("@room mentions every member but the sender; counted in list-rooms and join until read")
  void roomMentionsAndUnread(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Sender carol = user("carol");
    Room room = service.room(alice, bob, carol);
    service.send(alice, room, "morning all");
    ChatMessage everyone = service.send(alice, room, "@room standup in 5");
    assertEquals(new Mentions(List.of(), true), everyone.mentions());
    ChatMessage toBob = service.send(carol, room, "@" + bob.userId() + " can you review?");

    assertEquals(2, summary(vertx, bob, room).unreadMentions());
    assertEquals(3, summary(vertx, bob, room).unread());
    assertEquals(1, summary(vertx, carol, room).unreadMentions(), "carol's own message does not count for her");
    assertEquals(0, summary(vertx, alice, room).unreadMentions());
    JoinResult joined = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(bob, room.id(), null, 100));
    assertEquals(2, joined.unreadMentions());

    MentionPage bobs = mentions(vertx, bob, room.id(), null, null);
    assertEquals(List.of(toBob.id(), everyone.id()), bobs.mentions().stream().map(m -> m.message().id()).toList(), "newest first");
    assertTrue(bobs.mentions().stream().allMatch(MentionPage.Mention::unread));

    ask(vertx, Addresses.ROOM_MARK_READ, new MarkRead(bob, room.id(), everyone.seq()));
    assertEquals(1, summary(vertx, bob, room).unreadMentions());
    bobs = mentions(vertx, bob, room.id(), null, null);
    assertEquals(List.of(true, false), bobs.mentions().stream().map(MentionPage.Mention::unread).toList());
    ask(vertx, Addresses.ROOM_MARK_READ, new MarkRead(bob, room.id(), toBob.seq()));
    assertEquals(0, summary(vertx, bob, room).unreadMentions());
    assertEquals(2, mentions(vertx, bob, null, null, null).mentions().size(), "read mentions are still listed");
  }

  @Test
  @DisplayName("an edit decides the mentions again; a delete clears them; search carries them")
  void edits(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Sender carol = user("carol");
    Room room = service.room(alice, bob, carol);
    ChatMessage sent = service.send(alice, room, "ping @" + bob.userId() + " about zebrafish");
    MessageChange edited = ask(vertx, Addresses.MESSAGE_EDIT,
        new MessageEdit(alice, room.id(), sent.id(), "ping @" + carol.userId() + " about zebrafish", null));
    assertEquals(new Mentions(List.of(carol.userId()), false), edited.after().mentions());
    assertEquals(List.of(), bodies(mentions(vertx, bob, null, null, null)), "bob is no longer mentioned");
    assertEquals(1, mentions(vertx, carol, null, null, null).mentions().size());
    assertEquals(1, summary(vertx, carol, room).unreadMentions());

    MessageSearchPage found = ask(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(bob, "zebrafish", null, null, null));
    assertEquals(edited.after().mentions(), found.hits().get(0).message().mentions());

    MessageChange deleted = ask(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(alice, room.id(), sent.id(), null));
    assertNull(deleted.after().mentions());
    assertEquals(List.of(), bodies(mentions(vertx, carol, null, null, null)));
    assertEquals(0, summary(vertx, carol, room).unreadMentions());
  }

  @Test
  @DisplayName("listed in pages, in the user's tenant and rooms only")
  void pagesAndScope(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Sender eve = user("eve");
    Room room = service.room(alice, bob);
    Room other = service.room(eve);
    for (int i = 1; i <= 3; i++) {
      service.send(alice, room, "@" + bob.userId() + " number " + i);
    }
    MentionPage first = mentions(vertx, bob, null, null, 2);
    assertEquals(List.of("@" + bob.userId() + " number 3", "@" + bob.userId() + " number 2"), bodies(first));
    assertNotNull(first.next());
    MentionPage second = mentions(vertx, bob, null, first.next(), 2);
    assertEquals(List.of("@" + bob.userId() + " number 1"), bodies(second));
    assertNull(second.next());

    Sender bobElsewhere = new Sender("globex", bob.userId(), "bob");
    assertEquals(List.of(), bodies(mentions(vertx, bobElsewhere, null, null, null)), "the same id in another tenant is someone else");
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.MENTION_LIST, MentionListRequest.of(bob, other.id(), null, null)));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.MENTION_LIST, MentionListRequest.of(bobElsewhere, room.id(), null, null)));
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.MENTION_LIST, MentionListRequest.of(bob, null, null, 101)));
  }

  private static JsonObject digest(Vertx vertx, Sender user, String since) throws Exception {
    return ask(vertx, Addresses.CHAT_DIGEST, new JsonObject().put("tenant", user.tenant()).put("userId", user.userId())
        .put("since", since));
  }

  @Test
  @DisplayName("the digest: a user's rooms with unread messages since a time, and their mentions since it")
  void digest(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room quiet = service.room(alice, bob);
    Room busy = service.room(alice, bob);
    Room read = service.room(alice, bob);
    service.send(alice, quiet, "old news @" + bob.userId());
    ChatMessage seen = service.send(alice, read, "read already");
    ask(vertx, Addresses.ROOM_MARK_READ, new MarkRead(bob, read.id(), seen.seq()));
    // Since the last message stored before (exactly: created_at keeps microseconds), so that the next ones are after it.
    String since = seen.createdAt();
    service.send(alice, busy, "new one");
    ChatMessage mention = service.send(alice, busy, "@" + bob.userId() + " look");
    service.send(bob, read, "bob's own message counts as unread only in seqs, as list-rooms does");

    JsonObject d = digest(vertx, bob, since);
    assertEquals(bob.userId(), d.getString("userId"));
    List<String> rooms = d.getJsonArray("rooms").stream().map(r -> ((JsonObject) r).getString("id")).toList();
    assertTrue(rooms.contains(busy.id()));
    assertFalse(rooms.contains(quiet.id()), "nothing new there since");
    JsonObject busyRoom = d.getJsonArray("rooms").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("id").equals(busy.id())).findFirst().orElseThrow();
    assertEquals(2, busyRoom.getLong("unread"));
    assertEquals(2, busyRoom.getLong("unreadSince"));
    assertEquals(1, busyRoom.getLong("unreadMentions"));
    assertEquals(mention.createdAt(), busyRoom.getString("lastMessageAt"));
    assertEquals(List.of(mention.id()), d.getJsonArray("mentions").stream()
        .map(m -> ((JsonObject) m).getJsonObject("message").getString("id")).toList(), "not the mention from before");
    assertTrue(d.getJsonArray("mentions").getJsonObject(0).getBoolean("unread"));

    JsonObject all = digest(vertx, bob, "2000-01-01T00:00:00Z");
    assertEquals(2, all.getJsonArray("mentions").size());
    assertTrue(all.getJsonArray("rooms").stream().anyMatch(r -> ((JsonObject) r).getString("id").equals(quiet.id())));
    assertEquals(0, digest(vertx, new Sender("globex", bob.userId(), "bob"), "2000-01-01T00:00:00Z").getJsonArray("rooms").size(),
        "another tenant's bob");
    for (JsonObject bad : List.of(new JsonObject().put("tenant", "acme").put("userId", bob.userId()),
        new JsonObject().put("tenant", "acme").put("userId", bob.userId()).put("since", "yesterday"),
        new JsonObject().put("tenant", "acme").put("since", since),
        new JsonObject().put("tenant", "acme").put("userId", bob.userId()).put("since", since).put("limit", 0),
        new JsonObject().put("userId", bob.userId()).put("since", since))) {
      assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.CHAT_DIGEST, bad), bad.encode());
    }
  }
}
