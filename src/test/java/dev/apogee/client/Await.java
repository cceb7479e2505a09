package dev.apogee.client;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests, on the test thread (never on an event loop): futures and conditions. */
final class Await {
  private static final Duration FUTURE_TIMEOUT = Duration.ofSeconds(30);
  private static final long POLL_NANOS = 5_000_000;

  private Await() {}

  /** The future's value; its failure rethrown as is when unchecked. */
  static <T> T result(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(FUTURE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError("future failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future not complete after " + FUTURE_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The future once complete, whatever its outcome. */
  static <T> Future<T> settled(Future<T> future) {
    try {
      future
          .toCompletionStage()
          .toCompletableFuture()
          .exceptionally(e -> null)
          .get(FUTURE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return future;
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("future not settled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The future's failure; an assertion error when it succeeds. */
  static Throwable failure(Future<?> future) {
    try {
      Object value = result(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** Waits until {@code condition} holds; fails with {@code message} after {@code timeout}. */
  static void until(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + ": " + message.get());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
