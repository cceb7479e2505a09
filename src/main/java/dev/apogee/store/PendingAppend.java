package dev.apogee.store;

import io.vertx.core.Promise;

/**
 * One append waiting for the store thread, then (with SYNC_FLUSH) for its fsync. It is its own
 * queue node, so queueing allocates nothing more.
 */
final class PendingAppend {
  final PutRequest request;
  final Promise<AppendResult> promise;

  /** When the append started waiting for its fsync (nanoTime). */
  long flushWaitStart;

  AppendResult result;
  volatile PendingAppend next;

  PendingAppend(PutRequest request, Promise<AppendResult> promise) {
    this.request = request;
    this.promise = promise;
  }
}
