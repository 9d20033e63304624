package io.switchboard.loadtest.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.IntFunction;

/**
 * Runs tasks {@code 0..count-1} with at most {@code concurrency} outstanding, in index order. The
 * bookkeeping runs on one context; tasks may complete on any thread. Failures of single tasks do not
 * stop the others (the task records them); the result completes once every task has settled.
 */
public final class Window {
  private final Context context;
  private final int count;
  private final int concurrency;
  private final IntFunction<Future<?>> task;
  private final Promise<Void> done = Promise.promise();
  private int next;
  private int settled;

  private Window(Context context, int count, int concurrency, IntFunction<Future<?>> task) {
    this.context = context;
    this.count = count;
    this.concurrency = concurrency;
    this.task = task;
  }

  public static Future<Void> run(Context context, int count, int concurrency, IntFunction<Future<?>> task) {
    Window window = new Window(context, count, Math.max(1, concurrency), task);
    context.runOnContext(v -> window.fill());
    return window.done.future();
  }

  private void fill() {
    if (count == 0) {
      done.tryComplete();
      return;
    }
    while (next < count && next - settled < concurrency) {
      int i = next++;
      Future<?> f;
      try {
        f = task.apply(i);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(r -> context.runOnContext(v -> onSettled()));
    }
  }

  private void onSettled() {
    settled++;
    if (settled == count) {
      done.tryComplete();
    } else {
      fill();
    }
  }
}
