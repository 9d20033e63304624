package io.switchboard.embedded;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting until something this package started is ready (a port that accepts, a command that
 * answers, a replica in sync): the one polling loop of its helpers, each giving its own deadline,
 * interval and failure. A look that throws goes straight to the caller, unless {@code retryErrors}
 * (then it counts as not ready yet, and the last such error is the failure's cause).
 *
 * <p>Blocking: it sleeps between looks. The helpers run on test (or main) threads, never on an event
 * loop, and so must every caller of this.
 */
record Await(String name, long timeoutMs, long intervalMs, boolean retryErrors) {

  Await(String name, long timeoutMs, long intervalMs) {
    this(name, timeoutMs, intervalMs, false);
  }

  /** The same wait, a look that throws counting as not ready yet. */
  Await retryingErrors() {
    return new Await(name, timeoutMs, intervalMs, true);
  }

  /** What the caller throws when the wait fails; it may clean up first (stop the child). */
  @FunctionalInterface
  interface Failure<E extends Exception> {
    /** {@code lastError}: the last error of a look when {@code retryErrors}, else null. */
    E get(RuntimeException lastError) throws E;
  }

  /** Waits until {@code done} holds, else throws "{name}: {what} not reached within {timeout} ms". */
  void until(String what, BooleanSupplier done) {
    value(() -> done.getAsBoolean() ? Boolean.TRUE : null,
        last -> new IllegalStateException(name + ": " + what + " not reached within " + timeoutMs + " ms", last));
  }

  /** Waits until {@code probe} gives a value (not null) and returns it; past the deadline, throws what {@code failure} gives. */
  <T, E extends Exception> T value(Supplier<T> probe, Failure<E> failure) throws E {
    return poll(probe, () -> false, failure);
  }

  /**
   * Waits until the child {@code process} is {@code ready}; when it dies first or the deadline
   * passes, throws what {@code failure} gives (which stops the child and tells its output).
   */
  void ready(Process process, BooleanSupplier ready, Failure<IOException> failure) throws IOException {
    poll(() -> ready.getAsBoolean() ? Boolean.TRUE : null, () -> !process.isAlive(), failure);
  }

  private <T, E extends Exception> T poll(Supplier<T> probe, BooleanSupplier gone, Failure<E> failure) throws E {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    RuntimeException last = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        if (!retryErrors) {
          throw e;
        }
        last = e;
      }
      if (gone.getAsBoolean() || System.nanoTime() - deadline > 0) {
        throw failure.get(last);
      }
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(name + ": interrupted while waiting", e);
      }
    }
  }
}
