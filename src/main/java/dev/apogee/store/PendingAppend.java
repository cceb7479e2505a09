package dev.apogee.store;

import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/**
 * One append waiting for the store thread, then (with SYNC_FLUSH) for its fsync. It is its own
 * queue node, so queueing allocates nothing more.
 */
final class PendingAppend {
  final PutRequest request;
  final Promise<AppendResult> promise;

  /** The caller's context: replies are handed back to it in batches. */
  final ContextInternal context;

  /** When the append started waiting for its fsync (nanoTime). */
  long flushWaitStart;

  AppendResult result;
  volatile PendingAppend next;

  PendingAppend(PutRequest request, Promise<AppendResult> promise, ContextInternal context) {
    this.request = request;
    this.promise = promise;
    this.context = context;
  }
}
