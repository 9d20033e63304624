package io.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.RoomRole;
import io.switchboard.sdk.example.WelcomeBot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Java SDK against a running Switchboard (in this JVM, on embedded Postgres and Redis)")
class SwitchboardClientTest {
  private static final String TENANT = "default";

  private static RunningSwitchboard switchboard;
  private static SwitchboardClient client;

  @BeforeAll
  static void start() {
    switchboard = RunningSwitchboard.start();
    client = switchboard.client().build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (switchboard != null) {
      switchboard.close();
    }
  }

  private static String user(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The code a call fails with. */
  private static ErrorCode refusal(Supplier<CompletableFuture<?>> call) {
    CompletionException failed = assertThrows(CompletionException.class, () -> call.get().join());
    return assertInstanceOf(SwitchboardException.class, failed.getCause()).code();
  }

  private static List<String> history(SocketUser user, String roomId) throws Exception {
    JsonNode ack = user.request("fetch-history", Map.of("roomId", roomId));
    assertTrue(ack.get("ok").asBoolean(), ack.toString());
    List<String> bodies = new ArrayList<>();
    ack.get("messages").forEach(m -> bodies.add(m.get("body").asText()));
    return bodies;
  }

  @Test
  @DisplayName("publish reaches the sockets of a room, every device of a user, and everyone; never a user of another tenant")
  void publish() throws Exception {
    String alice = user("alice");
    try (SocketUser socket = SocketUser.connect(switchboard.url, alice)) {
      Room room = client.rooms(TENANT).as(alice).create(NewRoom.group("Publishing", List.of())).join();
      assertTrue(socket.request("join-room", Map.of("roomId", room.id())).get("ok").asBoolean());

      client.publish(new Publish(Target.room(room.id()), "score", Map.of("home", 2))).join();
      assertEquals(2, socket.next("score").get("home").asInt());
      client.publish(new Publish(Target.user(TENANT, alice), "nudge", "hello")).join();
      assertEquals("hello", socket.next("nudge").asText());
      client.publish(new Publish(Target.user("other", alice), "nudge", "not you")).join();
      client.publish(new Publish(Target.all(), "nudge", "everyone")).join();
      assertEquals("everyone", socket.next("nudge").asText(), "the other tenant's alice got the one before");
      assertEquals(ErrorCode.VALIDATION_ERROR, refusal(() -> client.publish(new Publish(Target.all(), "no spaces", null))));
    }
  }

  @Test
  @DisplayName("a posted message is delivered, stored once however often it is posted, and in the room's history")
  void post() throws Exception {
    String alice = user("alice");
    String bob = user("bob");
    try (SocketUser socket = SocketUser.connect(switchboard.url, alice)) {
      Room room = client.rooms(TENANT).as(alice).create(NewRoom.group("Posting", List.of(bob))).join();
      socket.request("join-room", Map.of("roomId", room.id()));

      PostMessage notice = PostMessage.system(TENANT, room.id(), "The build is green");
      PostedMessage posted = client.post(notice).join();
      assertFalse(posted.duplicate());
      JsonNode delivered = socket.next("room-message-created").get("new");
      assertEquals(posted.id(), delivered.get("id").asText());
      assertEquals(posted.seq(), delivered.get("seq").asLong());
      PostedMessage again = client.post(notice).join();
      assertEquals(new PostedMessage(posted.id(), posted.seq(), posted.createdAt(), true), again, "the same clientMsgId");

      PostedMessage fromBob = client.post(PostMessage.from(TENANT, room.id(), new Sender(bob, "Bob"), "On it")
          .withReplyTo(posted.id()).withMeta(Map.of("source", "ci"))).join();
      assertEquals(posted.seq() + 1, fromBob.seq());
      assertEquals(List.of("The build is green", "On it"), history(socket, room.id()));
    }
  }

  @Test
  @DisplayName("refusals carry the contract's error code: VALIDATION_ERROR, FORBIDDEN, NOT_FOUND, ROOM_ARCHIVED, LAST_OWNER; a wrong service token FORBIDDEN")
  void errorCodes() {
    String alice = user("alice");
    Room room = client.rooms(TENANT).as(alice).create(NewRoom.group("Refusals", List.of())).join();

    assertEquals(ErrorCode.VALIDATION_ERROR, refusal(() -> client.post(PostMessage.system(TENANT, room.id(), "   "))));
    assertEquals(ErrorCode.VALIDATION_ERROR, refusal(() -> client.rooms(TENANT).create(NewRoom.publicRoom("no owner"))));
    assertEquals(ErrorCode.FORBIDDEN, refusal(() -> client.post(PostMessage.from(TENANT, room.id(), new Sender(user("carol"), null), "hi"))),
        "not a member");
    assertEquals(ErrorCode.NOT_FOUND, refusal(() -> client.post(PostMessage.system(TENANT, "no-such-room", "hi"))));
    assertEquals(ErrorCode.NOT_FOUND, refusal(() -> client.post(PostMessage.system("other", room.id(), "hi"))), "another tenant's room");
    assertEquals(ErrorCode.NOT_FOUND, refusal(() -> client.rooms("other").members(room.id())));
    assertEquals(ErrorCode.LAST_OWNER, refusal(() -> client.rooms(TENANT).as(alice).setRole(room.id(), alice, RoomRole.MEMBER)));
    client.rooms(TENANT).archive(room.id()).join();
    assertEquals(ErrorCode.ROOM_ARCHIVED, refusal(() -> client.post(PostMessage.system(TENANT, room.id(), "hi"))));

    try (SwitchboardClient wrong = SwitchboardClient.http(switchboard.url, "not-the-token").build()) {
      SwitchboardException refused = assertInstanceOf(SwitchboardException.class,
          assertThrows(CompletionException.class, () -> wrong.post(PostMessage.system(TENANT, room.id(), "hi")).join()).getCause());
      assertEquals(ErrorCode.FORBIDDEN, refused.code());
      assertEquals(403, refused.status());
    }
  }

  @Test
  @DisplayName("rooms are run as the system or as a user: members, roles, mutes, bans, renames, deletion; a member cannot add")
  void rooms() {
    String alice = user("alice");
    String bob = user("bob");
    String carol = user("carol");
    Rooms system = client.rooms(TENANT);
    Room room = system.as(alice).create(NewRoom.group("Team", List.of(bob))).join();
    assertEquals(List.of(alice, bob), room.members());

    assertEquals(List.of(carol), system.addMembers(room.id(), List.of(bob, carol)).join());
    assertEquals(ErrorCode.FORBIDDEN, refusal(() -> system.as(bob).addMembers(room.id(), List.of(user("dan")))));
    assertTrue(system.setRole(room.id(), bob, RoomRole.ADMIN).join().changed());
    assertTrue(system.as(bob).mute(room.id(), carol, Duration.ofMinutes(5)).join().changed());
    List<Member> members = system.members(room.id()).join();
    assertEquals(List.of(alice + "=OWNER", bob + "=ADMIN", carol + "=MEMBER"),
        members.stream().map(m -> m.userId() + "=" + m.role()).toList());
    assertTrue(members.get(2).mutedUntil() != null, "carol is muted");
    SwitchboardException muted = assertInstanceOf(SwitchboardException.class, assertThrows(CompletionException.class,
        () -> client.post(PostMessage.from(TENANT, room.id(), new Sender(carol, null), "hey")).join()).getCause());
    assertEquals(ErrorCode.FORBIDDEN, muted.code());
    assertTrue(muted.retryAfter().orElseThrow().compareTo(Duration.ofMinutes(5)) <= 0, "muted for 5 minutes at most");
    assertTrue(system.ban(room.id(), carol).join().changed());
    assertFalse(system.ban(room.id(), carol).join().changed(), "banned already");
    assertTrue(system.update(room.id(), "Team B", "topic", null).join().changed());
    assertTrue(system.as(alice).delete(room.id()).join().changed());
    assertEquals(ErrorCode.NOT_FOUND, refusal(() -> system.members(room.id())));
  }

  @Test
  @DisplayName("an attempt that gets no answer fails UNAVAILABLE after the timeout; a post is retried, creating a room is not")
  void timeouts() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      AtomicInteger connections = new AtomicInteger();
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket accepted = silent.accept();
            connections.incrementAndGet();
            held.add(accepted);
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      try (SwitchboardClient patient = SwitchboardClient.http("http://127.0.0.1:" + silent.getLocalPort(), "token")
          .timeout(Duration.ofMillis(300)).retries(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50))).build()) {
        long started = System.nanoTime();
        CompletionException failed = assertThrows(CompletionException.class,
            () -> patient.post(PostMessage.system(TENANT, "r1", "hi")).join());
        SwitchboardException refused = assertInstanceOf(SwitchboardException.class, failed.getCause());
        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 900, "three attempts of 300 ms");
        assertEquals(3, connections.get(), "each attempt on a connection of its own: the silent one is not reused");

        assertEquals(ErrorCode.UNAVAILABLE, refusal(() -> patient.rooms(TENANT).as("alice").create(NewRoom.publicRoom("once"))));
        assertEquals(4, connections.get(), "one attempt only");
      }
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName("the bus transport (a member of the cluster, here on Switchboard's own Vert.x) does what HTTP does, with the same codes")
  void bus() throws Exception {
    String alice = user("alice");
    try (SwitchboardClient member = SwitchboardClient.over(new BusTransport(switchboard.app.vertx().eventBus())).build();
        SocketUser socket = SocketUser.connect(switchboard.url, alice)) {
      Room room = member.rooms(TENANT).as(alice).create(NewRoom.group("On the bus", List.of())).join();
      socket.request("join-room", Map.of("roomId", room.id()));
      member.publish(new Publish(Target.room(room.id()), "ping", Map.of("n", 1))).join();
      assertEquals(1, socket.next("ping").get("n").asInt());

      PostMessage notice = PostMessage.system(TENANT, room.id(), "Over the bus");
      PostedMessage posted = member.post(notice).join();
      assertTrue(member.post(notice).join().duplicate());
      assertEquals(posted.id(), socket.next("room-message-created").get("new").get("id").asText());
      assertEquals(List.of("Over the bus"), history(socket, room.id()));
      assertEquals(ErrorCode.NOT_FOUND, refusal(() -> member.post(PostMessage.system("other", room.id(), "hi"))));
      assertEquals(ErrorCode.VALIDATION_ERROR, refusal(() -> member.publish(new Publish(Target.all(), "no spaces", null))));
    }
  }

  @Test
  @DisplayName("on the bus, an attempt without an answer fails UNAVAILABLE after the timeout, a post twice with the same clientMsgId")
  void busTimeouts() throws Exception {
    io.vertx.core.Vertx silent = io.vertx.core.Vertx.vertx();
    try {
      List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
      silent.eventBus().<io.vertx.core.json.JsonObject>consumer(io.switchboard.common.Addresses.CHAT_MESSAGE_CREATE,
          msg -> asked.add(msg.body().getString("clientMsgId"))).completion().toCompletionStage().toCompletableFuture().join();
      SwitchboardClient member = SwitchboardClient.over(new BusTransport(silent.eventBus())).timeout(Duration.ofMillis(200))
          .retries(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10))).build();
      PostMessage notice = PostMessage.system(TENANT, "r1", "hi");
      assertEquals(ErrorCode.UNAVAILABLE, refusal(() -> member.post(notice)));
      assertEquals(List.of(notice.clientMsgId(), notice.clientMsgId()), asked);
      assertEquals(ErrorCode.UNAVAILABLE, refusal(() -> member.rooms(TENANT).members("r1")), "nobody serves chat.room.manage here");
    } finally {
      silent.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  @DisplayName("the example service opens a room for a team, welcomes them in it and tells them")
  void example() throws Exception {
    String alice = user("alice");
    String bob = user("bob");
    try (SocketUser socket = SocketUser.connect(switchboard.url, alice)) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      Room room = WelcomeBot.welcome(client, TENANT, List.of(alice, bob), new PrintStream(printed, true, StandardCharsets.UTF_8));
      assertEquals(room.id(), socket.next("room-created").get("room").get("id").asText());
      assertEquals(room.id(), socket.next("welcome").get("roomId").asText());
      assertEquals(List.of("Welcome, " + alice + ", " + bob + "! This room was opened by a service."), history(socket, room.id()));
      assertTrue(printed.toString(StandardCharsets.UTF_8).contains(bob + " (member)"), printed.toString(StandardCharsets.UTF_8));
      assertNull(socket.within("welcome", 200), "once");
    }
  }
}
