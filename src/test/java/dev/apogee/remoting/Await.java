package dev.apogee.remoting;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in tests: for a future, or for a condition polled until a deadline. Never a sleep. */
final class Await {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Await() {}

  static <T> T result(Future<T> f) {
    try {
      return f.toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not succeed: " + e, e);
    }
  }

  /** The cause the future failed with; fails when it succeeds. */
  static Throwable failure(Future<?> f) {
    try {
      Object value =
          f.toCompletionStage()
              .toCompletableFuture()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("future succeeded with " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("future did not fail: " + e, e);
    }
  }

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
