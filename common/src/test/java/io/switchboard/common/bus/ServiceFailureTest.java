package io.switchboard.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A refusal with extra fields on the event bus")
class ServiceFailureTest {
  private static final JsonObject EXTRA = new JsonObject().put("mutedUntil", "2030-01-01T00:00:00Z").put("retryAfterMs", 1500);

  @Test
  @DisplayName("between cluster members it keeps its code, message and extra fields, after whatever the buffer held")
  void roundTrip() {
    ServiceFailureCodec codec = new ServiceFailureCodec();
    Buffer buffer = Buffer.buffer("header");
    codec.encodeToWire(buffer, ServiceFailure.of(new ServiceException(ErrorCode.FORBIDDEN, "muted", EXTRA)));

    ServiceFailure decoded = codec.decodeFromWire(6, buffer);

    assertEquals(ErrorCode.FORBIDDEN, ServiceException.codeOf(decoded));
    assertEquals("muted", decoded.getMessage());
    assertEquals(EXTRA, ServiceException.extraOf(decoded));
  }

  @Test
  @DisplayName("a reply with it fails the request with its code and extra fields; a plain fail has none")
  void failsTheRequest() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      BusCodecs.register(vertx);
      vertx.eventBus().consumer("refuses", msg -> msg.reply(ServiceFailure.of(
          new ServiceException(ErrorCode.FORBIDDEN, "muted", EXTRA))));
      vertx.eventBus().consumer("fails", msg -> msg.fail(ErrorCode.FORBIDDEN.busCode(), "no"));

      Throwable refused = failure(vertx, "refuses");
      assertTrue(refused instanceof ReplyException);
      assertEquals(ErrorCode.FORBIDDEN, ServiceException.codeOf(refused));
      assertEquals(EXTRA, ServiceException.extraOf(refused));
      Throwable failed = failure(vertx, "fails");
      assertEquals(ErrorCode.FORBIDDEN, ServiceException.codeOf(failed));
      assertNull(ServiceException.extraOf(failed));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  private static Throwable failure(Vertx vertx, String address) throws Exception {
    return vertx.eventBus().request(address, "?").map(ok -> (Throwable) null).recover(f -> io.vertx.core.Future.succeededFuture(f))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
