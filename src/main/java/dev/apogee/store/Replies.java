package dev.apogee.store;

import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results collected by a store thread during one pass, handed back to each caller's context as one
 * task, so a drain of thousands of appends costs a few cross-thread hand-offs instead of one per
 * append. Owned by one thread; not thread-safe.
 */
final class Replies {
  private final Map<ContextInternal, List<Object>> byContext = new IdentityHashMap<>();

  /** Queues {@code result} for {@code p}'s promise. */
  void add(PendingAppend p, AppendResult result) {
    List<Object> l = byContext.get(p.context);
    if (l == null) {
      l = new ArrayList<>();
      byContext.put(p.context, l);
    }
    l.add(p);
    l.add(result);
  }

  /** Sends each context its replies, completed in order on that context's thread. */
  void send() {
    if (byContext.isEmpty()) {
      return;
    }
    for (Map.Entry<ContextInternal, List<Object>> e : byContext.entrySet()) {
      List<Object> batch = e.getValue();
      e.getKey()
          .execute(
              () -> {
                for (int i = 0; i < batch.size(); i += 2) {
                  ((PendingAppend) batch.get(i))
                      .promise.tryComplete((AppendResult) batch.get(i + 1));
                }
              });
    }
    byContext.clear();
  }
}
