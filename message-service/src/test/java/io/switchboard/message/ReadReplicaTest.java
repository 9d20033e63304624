package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.ThreadPage;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.runtime.Node;
import io.switchboard.embedded.EmbeddedPostgresReplica;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * message-service with PG_READ_URL on a real streaming replica (docs/architecture.md, "Reads and the
 * replica"). Where a read was served is seen from what it holds: the replica's replay is paused, so
 * the replica keeps the room as it was, and a change made on the primary since tells the two apart.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Reads from a Postgres read replica")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaTest {
  private static EmbeddedPostgresReplica servers;
  private static Vertx service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    servers = EmbeddedPostgresReplica.start("chat");
    BusCodecs.register(vertx);
    service = vertx;
    Config config = Config.defaults()
        .with(ConfigKey.PG_URL, servers.primary().uri("chat"))
        .with(ConfigKey.PG_READ_URL, servers.replica().uri("chat"))
        .with(ConfigKey.MESSAGE_OPS_PORT, 0);
    BusRequests.await(vertx.deployVerticle(new MessageServiceVerticle(MessageServiceConfig.from(config))));
  }

  @AfterAll
  static void stop() throws Exception {
    BusRequests.await(service.close());
    servers.close();
  }

  private static Sender user(String name) {
    return new Sender("acme", name + "-" + UUID.randomUUID().toString().substring(0, 8), name);
  }

  private static String word() {
    return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private static Room room(Vertx vertx, Sender owner, Sender member) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(owner, "team", "group", "optimistic", List.of(member.userId())));
  }

  private static ChatMessage send(Vertx vertx, Room room, Sender sender, String body) throws Exception {
    PersistResult stored = ask(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(sender, room.id(), UUID.randomUUID().toString(), body, null, null, "s1", "t"));
    return stored.message();
  }

  private static List<String> history(Vertx vertx, Sender reader, Room room) throws Exception {
    HistoryPage page = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(reader, room.id(), null, null, 50));
    return page.messages().stream().map(ChatMessage::body).toList();
  }

  private static List<String> search(Vertx vertx, Sender user, String query) throws Exception {
    MessageSearchPage page = ask(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(user, query, null, null, null));
    return page.hits().stream().map(h -> h.message().body()).toList();
  }

  private static double reads(String pool) {
    Counter counter = Node.meters(service).find("switchboard.pg.reads").tag("pool", pool).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @Order(1)
  @DisplayName("history comes from the replica when it has the room; a sender's history right after the ack holds the message")
  void historyFromTheReplicaWithReadYourWrites(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room team = room(vertx, alice, bob);
    ChatMessage first = send(vertx, team, alice, "first");
    servers.awaitReplayed();
    servers.pauseReplay();
    try {
      // An edit does not move the room's last seq: the replica still has the room, with the old body.
      ask(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(alice, team.id(), first.id(), "first, edited", null));
      double fromReplica = reads("replica");
      assertEquals(List.of("first"), history(vertx, bob, team), "the replica's copy: served by the replica");
      assertEquals(fromReplica + 1, reads("replica"), 0.0);

      send(vertx, team, alice, "second");
      assertEquals(List.of("first, edited", "second"), history(vertx, alice, team),
          "the sender's history right after the ack: from the primary, the replica lacks the message");
      assertEquals(List.of("first, edited", "second"), history(vertx, bob, team), "so does anyone's");
    } finally {
      servers.resumeReplay();
    }
    servers.awaitReplayed();
    double fromReplica = reads("replica");
    assertEquals(List.of("first, edited", "second"), history(vertx, bob, team));
    assertEquals(fromReplica + 1, reads("replica"), 0.0, "caught up: the replica serves the room again");
  }

  @Test
  @Order(2)
  @DisplayName("a thread comes from the replica too, and a reply is in its thread right after its ack")
  void threadWithReadYourWrites(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room team = room(vertx, alice, bob);
    ChatMessage root = send(vertx, team, alice, "lunch?");
    PersistResult yes = ask(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(bob, team.id(), UUID.randomUUID().toString(), "yes", root.id(), null, "s1", "t"));
    servers.awaitReplayed();
    servers.pauseReplay();
    try {
      ask(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(bob, team.id(), yes.message().id(), "yes, at noon", null));
      assertEquals(List.of("yes"), thread(vertx, alice, team, root), "the replica's copy");
      ask(vertx, Addresses.MESSAGE_PERSIST,
          new PersistRequest(alice, team.id(), UUID.randomUUID().toString(), "great", root.id(), null, "s1", "t"));
      assertEquals(List.of("yes, at noon", "great"), thread(vertx, alice, team, root), "the primary's, with the reply just sent");
    } finally {
      servers.resumeReplay();
    }
  }

  private static List<String> thread(Vertx vertx, Sender reader, Room room, ChatMessage root) throws Exception {
    ThreadPage page = ask(vertx, Addresses.MESSAGE_THREAD, new ThreadRequest(reader, room.id(), root.id(), null, null, 50));
    return page.messages().stream().map(ChatMessage::body).toList();
  }

  @Test
  @Order(3)
  @DisplayName("search runs on the replica: what it has replayed is found, the rest once it has")
  void searchOnTheReplica(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room team = room(vertx, alice, bob);
    String early = word();
    String late = word();
    send(vertx, team, alice, "deploy " + early);
    servers.awaitReplayed();
    servers.pauseReplay();
    try {
      send(vertx, team, alice, "deploy " + late);
      assertEquals(List.of("deploy " + early), search(vertx, bob, early));
      assertEquals(List.of(), search(vertx, bob, late), "the replica has not replayed it: a replication lag late");
    } finally {
      servers.resumeReplay();
    }
    servers.awaitReplayed();
    assertEquals(List.of("deploy " + late), search(vertx, bob, late));
  }

  @Test
  @Order(4)
  @DisplayName("the replica down: history and search come from the primary, without an error")
  void replicaDown(Vertx vertx) throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room team = room(vertx, alice, bob);
    String secret = word();
    send(vertx, team, alice, "before " + secret);
    servers.awaitReplayed();
    servers.replica().kill();
    try {
      send(vertx, team, alice, "after " + secret);
      double fromPrimary = reads("primary");
      assertEquals(List.of("before " + secret, "after " + secret), history(vertx, bob, team));
      assertEquals(List.of("after " + secret, "before " + secret), search(vertx, bob, secret));
      assertEquals(List.of("before " + secret, "after " + secret), history(vertx, alice, team));
      assertTrue(reads("primary") >= fromPrimary + 3, "served by the primary");
    } finally {
      servers.replica().restart();
    }
  }
}
