package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.codeOf;
import static io.switchboard.message.BusRequests.failure;
import static io.switchboard.message.ServiceFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.ThreadPage;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Threads (docs/protocol.md, "Threads") in message-service on a real Postgres, on the event bus as the
 * gateways ask: replies, the root's summary in history, the thread's pages, its events, bad replies.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Threads in message-service")
class ThreadsTest {
  private static ServiceFixture service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    service = ServiceFixture.deploy(vertx);
  }

  private static ThreadPage thread(Vertx vertx, Sender reader, Room room, String rootId, Long beforeSeq, Long afterSeq, int limit)
      throws Exception {
    return ask(vertx, Addresses.MESSAGE_THREAD, new ThreadRequest(reader, room.id(), rootId, beforeSeq, afterSeq, limit));
  }

  @Test
  @DisplayName("replies are messages of the room with seqs; the root carries its thread in history, each reply is announced with the thread as it is then")
  void replies(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = service.room(alice, bob);
    ChatMessage root = service.send(alice, room, "lunch?", null);
    ChatMessage first = service.send(bob, room, "yes", root.id());
    RoomEvent told = service.next(e -> ClientEvents.THREAD_UPDATED.equals(e.event()) && ((JsonObject) e.data()).getString("replyId").equals(first.id()));
    JsonObject data = (JsonObject) told.data();
    assertEquals(ClientEvents.chatRoom(room.id()), told.room());
    assertEquals(root.id(), data.getString("messageId"));
    assertEquals(bob.userId(), data.getString("replySenderId"));
    assertEquals(1, data.getJsonObject("thread").getLong("replies"));
    assertEquals(2, data.getJsonObject("thread").getLong("lastReplySeq"));
    service.send(alice, room, "not in the thread", null);
    ChatMessage second = service.send(alice, room, "at noon", root.id());

    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(bob, room.id(), null, null, 10));
    assertEquals(List.of("lunch?", "yes", "not in the thread", "at noon"), history.messages().stream().map(ChatMessage::body).toList(),
        "replies are in the room's history too, with their seqs");
    ChatMessage rootRead = history.messages().get(0);
    assertEquals(2, rootRead.thread().replies());
    assertEquals(second.seq(), rootRead.thread().lastReplySeq());
    assertEquals(second.createdAt(), rootRead.thread().lastReplyAt());
    assertNull(history.messages().get(2).thread(), "no replies, no thread");
    assertEquals(root.id(), history.messages().get(1).replyTo());

    ask(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(bob, room.id(), first.id(), null));
    ThreadPage page = thread(vertx, bob, room, root.id(), null, null, 50);
    assertEquals(1, page.root().thread().replies(), "a deleted reply is not counted");
    assertEquals(List.of("", "at noon"), page.messages().stream().map(ChatMessage::body).toList(), "but keeps its place");
  }

  @Test
  @DisplayName("a thread is paged like history: the latest replies, then before and after a seq")
  void pages(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Room room = service.room(alice);
    ChatMessage root = service.send(alice, room, "root", null);
    for (int i = 1; i <= 5; i++) {
      service.send(alice, room, "reply " + i, root.id());
      service.send(alice, room, "chatter " + i, null);
    }
    ThreadPage latest = thread(vertx, alice, room, root.id(), null, null, 2);
    assertEquals(List.of("reply 4", "reply 5"), latest.messages().stream().map(ChatMessage::body).toList());
    assertTrue(latest.hasMore());
    assertEquals("root", latest.root().body());
    ThreadPage older = thread(vertx, alice, room, root.id(), latest.messages().get(0).seq(), null, 10);
    assertEquals(List.of("reply 1", "reply 2", "reply 3"), older.messages().stream().map(ChatMessage::body).toList());
    assertFalse(older.hasMore());
    ThreadPage newer = thread(vertx, alice, room, root.id(), null, older.messages().get(0).seq(), 2);
    assertEquals(List.of("reply 2", "reply 3"), newer.messages().stream().map(ChatMessage::body).toList());
    assertTrue(newer.hasMore());
  }

  @Test
  @DisplayName("a reply to another room's message, to no message or to a deleted one is VALIDATION_ERROR on replyTo, stored nowhere, its optimistic copy failed; a thread of no message is NOT_FOUND, of a room not yours FORBIDDEN")
  void badReplies(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Room room = service.room(alice);
    Room other = service.room(alice);
    ChatMessage elsewhere = service.send(alice, other, "elsewhere", null);
    ChatMessage gone = service.send(alice, room, "gone", null);
    ask(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(alice, room.id(), gone.id(), null));

    for (String replyTo : List.of(elsewhere.id(), UUID.randomUUID().toString(), gone.id())) {
      PersistRequest reply = ServiceFixture.message(alice, room, "a reply", replyTo);
      Throwable refused = failure(vertx, Addresses.MESSAGE_PERSIST, reply);
      assertEquals("VALIDATION_ERROR", ServiceException.codeOf(refused).name(), replyTo);
      assertEquals("replyTo", ServiceException.extraOf(refused).getJsonArray("details").getJsonObject(0).getString("field"));
      RoomEvent failed = service.next(e -> ClientEvents.MESSAGE_FAILED.equals(e.event())
          && reply.clientMsgId().equals(((JsonObject) e.data()).getString("tempId")));
      assertEquals("VALIDATION_ERROR", ((JsonObject) failed.data()).getString("code"), "the room saw its optimistic copy");
    }
    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(alice, room.id(), null, null, 10));
    assertEquals(1, history.messages().size(), "nothing stored");

    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.MESSAGE_THREAD, new ThreadRequest(alice, room.id(), UUID.randomUUID().toString(), null, null, 10)));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.MESSAGE_THREAD, new ThreadRequest(user("eve"), room.id(), gone.id(), null, null, 10)));
  }
}
