package io.switchboard.gateway.presence;

import static io.switchboard.gateway.support.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.fanout.Fanout;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Typing indicators: forwarded to the room, ended by the client, a leave, a disconnect or the expiry")
class TypingIndicatorsTest {
  private static final long EXPIRY_MS = 1000;
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");

  private final Vertx vertx = Vertx.vertx();
  private final BlockingQueue<RoomEvent> published = new LinkedBlockingQueue<>();
  private final TypingIndicators typing;
  private final Context connectionLoop = vertx.getOrCreateContext();

  TypingIndicatorsTest() {
    BusCodecs.register(vertx);
    await(vertx.eventBus().<RoomEvent>consumer(Addresses.GATEWAY_FANOUT, msg -> published.add(msg.body())).completion());
    typing = new TypingIndicators(vertx, new Fanout(vertx, null, null, 0), EXPIRY_MS);
  }

  @AfterEach
  void close() {
    await(vertx.close());
  }

  /** As the socket layer does: every call for a connection on its own event loop. */
  private void onConnection(Runnable action) {
    connectionLoop.runOnContext(v -> action.run());
  }

  private JsonObject next() {
    try {
      RoomEvent event = published.poll(3, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("nothing published");
      }
      assertEquals("user-typing", event.event());
      assertEquals("c1", event.exceptSocketId(), "not echoed to the typer's socket");
      return (JsonObject) event.data();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("a client that stops refreshing: the room gets isTyping false after the expiry")
  void expiresWithoutRefresh() {
    long start = System.currentTimeMillis();
    onConnection(() -> typing.typing("c1", ALICE, "r1", true));
    assertEquals(new JsonObject().put("roomId", "r1").put("userId", "alice").put("isTyping", true), next());

    JsonObject stopped = next();
    long elapsed = System.currentTimeMillis() - start;

    assertEquals(false, stopped.getBoolean("isTyping"));
    assertTrue(elapsed >= EXPIRY_MS && elapsed < EXPIRY_MS + 1000, "expired after " + elapsed + " ms");
  }

  @Test
  @DisplayName("refreshes keep it alive without re-announcing it more than once a second")
  void refreshesKeepItAlive() {
    onConnection(() -> typing.typing("c1", ALICE, "r1", true));
    next();
    for (int i = 0; i < 3; i++) {
      await(vertx.timer(EXPIRY_MS / 4));
      onConnection(() -> typing.typing("c1", ALICE, "r1", true));
    }
    assertTrue(published.isEmpty(), "still typing, and refreshed within a second: nothing new to say: " + published);
    onConnection(() -> typing.typing("c1", ALICE, "r1", false));
    assertEquals(false, next().getBoolean("isTyping"));
  }

  @Test
  @DisplayName("leaving the room or disconnecting ends the indicator at once, and only where it was on")
  void leaveAndDisconnect() {
    onConnection(() -> {
      typing.typing("c1", ALICE, "r1", true);
      typing.typing("c1", ALICE, "r2", true);
    });
    next();
    next();
    onConnection(() -> typing.stop("c1", ALICE, "r1"));
    JsonObject left = next();
    onConnection(() -> typing.stopAll("c1", ALICE));
    JsonObject disconnected = next();

    assertEquals("r1", left.getString("roomId"));
    assertEquals(false, left.getBoolean("isTyping"));
    assertEquals("r2", disconnected.getString("roomId"));
    onConnection(() -> typing.stopAll("c1", ALICE));
    RoomEvent late = await(vertx.timer(EXPIRY_MS + 200).map(t -> published.poll()));
    assertEquals(null, late, "nothing after the end");
  }
}
