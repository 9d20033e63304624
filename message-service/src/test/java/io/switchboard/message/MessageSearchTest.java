package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.SearchHit;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.switchboard.common.ServiceException;
import io.switchboard.message.store.PgMessageSearch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Message search (docs/protocol.md, "Search") in message-service on a real Postgres, on the event bus
 * as the gateways ask: what is found and in which order, whose rooms, pages, and what edits, deletes
 * and blocks change. Each test has users and rooms of its own, with words no other test uses.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Message search in message-service")
class MessageSearchTest {

  private static Config config;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    BusCodecs.register(vertx);
    config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0);
    await(vertx.deployVerticle(new MessageServiceVerticle(MessageServiceConfig.from(config))));
  }

  private static String word() {
    return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private static Sender user(String tenant, String name) {
    return new Sender(tenant, name + "-" + UUID.randomUUID().toString().substring(0, 8), name);
  }

  private static Room room(Vertx vertx, Sender owner, String kind, Sender... members) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(owner, "team", kind, "optimistic",
        java.util.Arrays.stream(members).map(Sender::userId).toList()));
  }

  private static String send(Vertx vertx, Room room, Sender sender, String body) throws Exception {
    PersistResult stored = ask(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(sender, room.id(), UUID.randomUUID().toString(), body, null, null, "s1", "t"));
    return stored.message().id();
  }

  private static MessageSearchPage search(Vertx vertx, Sender user, String query, String roomId, String after, Integer limit)
      throws Exception {
    return ask(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(user, query, roomId, after, limit));
  }

  private static List<String> bodies(MessageSearchPage page) {
    return page.hits().stream().map(h -> h.message().body()).toList();
  }

  @Test
  @DisplayName("finds the messages of the user's rooms that have every word, best first: more matches rank higher, then newer; case and punctuation do not matter")
  void ranked(Vertx vertx) throws Exception {
    String deploy = word();
    String friday = word();
    Sender alice = user("acme", "alice");
    Sender bob = user("acme", "bob");
    Room team = room(vertx, alice, "group", bob);
    Room other = room(vertx, bob, "group", alice);
    send(vertx, team, alice, "We " + deploy + " on " + friday);
    send(vertx, team, bob, deploy + "! " + deploy + " again, " + friday.toUpperCase() + ".");
    send(vertx, other, bob, "only " + deploy + " here");
    send(vertx, team, alice, "nothing to see");

    MessageSearchPage both = search(vertx, alice, deploy + " " + friday, null, null, null);
    assertEquals(List.of(deploy + "! " + deploy + " again, " + friday.toUpperCase() + ".", "We " + deploy + " on " + friday),
        bodies(both), "every word, the denser match first");
    assertNull(both.next());
    assertEquals(3, search(vertx, bob, deploy, null, null, null).hits().size(), "across the user's rooms");
    assertEquals(List.of("only " + deploy + " here"), bodies(search(vertx, bob, deploy, other.id(), null, null)), "one room");
    assertEquals(List.of("We " + deploy + " on " + friday), bodies(search(vertx, alice, "\"" + deploy + " on\"", null, null, null)),
        "a quoted phrase");
    assertEquals(List.of("only " + deploy + " here"), bodies(search(vertx, alice, deploy + " -" + friday, null, null, null)),
        "a word excluded");
    SearchHit hit = both.hits().get(0);
    assertEquals(team.id(), hit.message().roomId());
    assertEquals(2, hit.message().seq());
  }

  @Test
  @DisplayName("only the user's rooms of the user's tenant: not a room they are not in, nor another tenant's with the same user id; a room named must be theirs")
  void scoped(Vertx vertx) throws Exception {
    String secret = word();
    Sender alice = user("acme", "alice");
    Sender bob = user("acme", "bob");
    Sender eve = user("acme", "eve");
    Room team = room(vertx, alice, "group", bob);
    send(vertx, team, alice, "the " + secret + " plan");
    Sender aliceElsewhere = new Sender("globex", alice.userId(), "alice");
    Room theirs = room(vertx, aliceElsewhere, "group");
    send(vertx, theirs, aliceElsewhere, "their " + secret + " plan");
    Room open = room(vertx, bob, "public");
    send(vertx, open, bob, "a public " + secret);

    assertEquals(List.of("the " + secret + " plan"), bodies(search(vertx, alice, secret, null, null, null)),
        "not globex's room, nor a public room alice never joined");
    assertEquals(List.of(), bodies(search(vertx, eve, secret, null, null, null)));
    assertEquals("FORBIDDEN", codeOf(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(eve, secret, team.id(), null, null)));
    assertEquals("NOT_FOUND", codeOf(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(aliceElsewhere, secret, team.id(), null, null)));
  }

  @Test
  @DisplayName("an edit is found by its new words only, a deleted message and the messages of a user one blocks not at all")
  void editsDeletesBlocks(Vertx vertx) throws Exception {
    String before = word();
    String after = word();
    Sender alice = user("acme", "alice");
    Sender bob = user("acme", "bob");
    Room team = room(vertx, alice, "group", bob);
    String edited = send(vertx, team, alice, "draft " + before);
    String gone = send(vertx, team, alice, "oops " + after);
    send(vertx, team, bob, "bob says " + after);

    ask(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(alice, team.id(), edited, "final " + after, null));
    assertEquals(List.of(), bodies(search(vertx, bob, before, null, null, null)));
    ask(vertx, Addresses.MESSAGE_DELETE, new MessageDelete(alice, team.id(), gone, null));
    List<String> found = new ArrayList<>(bodies(search(vertx, bob, after, null, null, null)));
    found.sort(null);
    assertEquals(List.of("bob says " + after, "final " + after), found);

    ask(vertx, Addresses.USER_BLOCK, new BlockChange(alice, BlockChange.Action.BLOCK, bob.userId()));
    assertEquals(List.of("final " + after), bodies(search(vertx, alice, after, null, null, null)));
  }

  @Test
  @DisplayName("a search Postgres cannot rank within SEARCH_TIMEOUT_MS is cancelled there and answered VALIDATION_ERROR on query (too broad)")
  void tooBroad(Vertx vertx) throws Exception {
    String common = word();
    Sender alice = user("acme", "alice");
    Room team = room(vertx, alice, "group");
    Pool db = PgBuilder.pool().connectingTo(MessageServiceConfig.from(config).postgres()).using(vertx).build();
    // Many matches, written in one statement: each search then ranks them all.
    await(db.preparedQuery("INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body) "
        + "SELECT $1, n, gen_random_uuid(), 'c' || n, $2, 'alice', $3 || ' ' || n FROM generate_series(1, 20000) n")
        .execute(Tuple.of(team.id(), alice.userId(), common)));
    PgMessageSearch impatient = new PgMessageSearch(db, db, 1);
    Throwable refused = await(impatient.search(MessageSearchRequest.of(alice, common, null, null, null))
        .map(page -> (Throwable) new AssertionError("found " + page.hits().size())).recover(Future::succeededFuture));
    assertEquals("VALIDATION_ERROR", ServiceException.codeOf(refused).name(), String.valueOf(refused));
    assertEquals("query", ServiceException.extraOf(refused).getJsonArray("details").getJsonObject(0).getString("field"));
    assertEquals(20, search(vertx, alice, common, null, null, null).hits().size(), "the service's own timeout ranks them");
    await(db.close());
  }

  @Test
  @DisplayName("pages follow one another without repeats or gaps; a bad cursor, an empty or wordless query, a query too long are VALIDATION_ERROR")
  void pagesAndBadInput(Vertx vertx) throws Exception {
    String common = word();
    Sender alice = user("acme", "alice");
    Room team = room(vertx, alice, "group");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String body = common + " number " + i + (i % 3 == 0 ? " " + common : "");
      send(vertx, team, alice, body);
      sent.add(body);
    }
    List<String> paged = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      MessageSearchPage page = search(vertx, alice, common, null, after, 3);
      paged.addAll(bodies(page));
      after = page.next();
      pages++;
    } while (after != null);
    assertEquals(3, pages);
    assertEquals(bodies(search(vertx, alice, common, null, null, 50)), paged, "the same order as one page");
    assertEquals(List.of(sent.get(6), sent.get(3), sent.get(0)), paged.subList(0, 3), "the denser first, newest first");

    for (String bad : List.of("", "   ", "!!! ???", "x".repeat(201))) {
      assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(alice, bad, null, null, null)), bad);
    }
    assertEquals("VALIDATION_ERROR", codeOf(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(alice, common, null, null, 51)));
    assertNotNull(MessageSearchRequest.queryProblem("  "));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> MessageSearchRequest.of(alice, common, null, "not-a-cursor", null));
  }
}
