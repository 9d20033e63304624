package io.switchboard.launcher;

import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for a future on the launcher's own threads (main, shutdown hook), which are never event
 * loops: start-up and shutdown are sequences an operator waits for anyway.
 */
final class Blocking {
  private Blocking() {}

  static <T> T await(Future<T> future, long timeoutMs, String what) {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    future.onComplete(ok -> {
      result.set(ok);
      done.countDown();
    }, err -> {
      failure.set(err);
      done.countDown();
    });
    try {
      if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(what + ": no answer within " + timeoutMs + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + ": interrupted", e);
    }
    if (failure.get() != null) {
      Throwable cause = failure.get();
      throw new IllegalStateException(what + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    }
    return result.get();
  }
}
