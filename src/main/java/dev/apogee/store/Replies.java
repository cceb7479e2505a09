package dev.apogee.store;

import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * Results collected by a store thread during one pass, handed back to each caller's context as one
 * task, so a drain of thousands of appends costs a few cross-thread hand-offs instead of one per
 * append. Callers are a handful of event-loop contexts, so they are found by a linear scan with
 * {@code ==} (no hashing). Owned by one thread; not thread-safe.
 */
final class Replies {
  private final List<ContextInternal> contexts = new ArrayList<>();
  private final List<List<Object>> batches = new ArrayList<>();

  /** Queues {@code result} for {@code p}'s promise. */
  void add(PendingAppend p, AppendResult result) {
    List<Object> l = null;
    for (int i = 0; i < contexts.size(); i++) {
      if (contexts.get(i) == p.context) {
        l = batches.get(i);
        break;
      }
    }
    if (l == null) {
      l = new ArrayList<>();
      contexts.add(p.context);
      batches.add(l);
    }
    l.add(p);
    l.add(result);
  }

  /** Sends each context its replies, completed in order on that context's thread. */
  void send() {
    for (int i = 0; i < contexts.size(); i++) {
      List<Object> batch = batches.get(i);
      contexts
          .get(i)
          .execute(
              () -> {
                for (int j = 0; j < batch.size(); j += 2) {
                  ((PendingAppend) batch.get(j))
                      .promise.tryComplete((AppendResult) batch.get(j + 1));
                }
              });
    }
    contexts.clear();
    batches.clear();
  }
}
