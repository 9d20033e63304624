package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.SocketIoOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's warm-up before it listens")
class WarmupTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("Every warm-up connection goes through the token check, CONNECT, an acked event and a close")
  void connectsThroughTheWholePath() {
    Warmup.Outcome outcome = await(new Warmup(vertx, new SocketIoOptions(), 300, 30_000).run());
    assertEquals(300, outcome.connected(), "a connection that was refused, unanswered or not acked is not counted");
  }

  @Test
  @DisplayName("Its private server is closed once it is over")
  void closesItsServer() {
    Warmup.Outcome outcome = await(new Warmup(vertx, new SocketIoOptions(), 50, 30_000).run());
    assertEquals(50, outcome.connected());
    assertTrue(outcome.port() > 0);
    Future<?> probe = vertx.createNetClient().connect(outcome.port(), "127.0.0.1");
    assertThrows(AssertionError.class, () -> await(probe), "nothing listens on the warm-up's port any more");
  }

  @Test
  @DisplayName("Turned off (0 connections), it does nothing")
  void off() {
    assertEquals(new Warmup.Outcome(0, 0), await(new Warmup(vertx, new SocketIoOptions(), 0, 30_000).run()));
  }
}
