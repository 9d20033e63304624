package io.switchboard.message;

import io.switchboard.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Requests to message-service on the event bus, as the gateways send them, awaited by a test. */
final class BusRequests {
  private BusRequests() {}

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  /** The reply's body. */
  static <T> T ask(Vertx vertx, String address, Object body) throws Exception {
    return await(vertx.eventBus().<T>request(address, body).map(m -> m.body()));
  }

  /** The failure a request got (never a success). */
  static Throwable failure(Vertx vertx, String address, Object body) throws Exception {
    return await(vertx.eventBus().request(address, body).map(ok -> (Throwable) new AssertionError("no error: " + ok.body()))
        .recover(Future::succeededFuture));
  }

  /** The code a request failed with, or "no error". */
  static String codeOf(Vertx vertx, String address, Object body) throws Exception {
    return await(vertx.eventBus().request(address, body).map(ok -> "no error")
        .recover(f -> Future.succeededFuture(ServiceException.codeOf(f).name())));
  }
}
