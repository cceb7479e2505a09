package dev.apogee.broker.longpoll;

import dev.apogee.store.MessageArrivalListener;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Pulls held until their queue grows past the offset they asked for, or their deadline passes (long
 * polling, protocol doc 2.5). A parked pull is re-run exactly once, on the executor it was parked
 * with (its connection's event loop), by whichever comes first: an arrival ({@link #arrived},
 * called by the store's dispatcher), {@link #expire} (called by a timer), or {@link #release} (its
 * connection closed; then it is dropped, not re-run).
 *
 * <p>Thread-safe: parking happens on event loops, arrivals on the dispatcher's thread, expiry on a
 * timer.
 */
public final class PullWaiters implements MessageArrivalListener {
  /** One held pull. */
  public static final class Waiter {
    final String topic;
    final int queueId;
    final long offset;
    final long deadline;
    final Object owner;
    final Executor executor;
    final Runnable rerun;

    Waiter(
        String topic,
        int queueId,
        long offset,
        long deadline,
        Object owner,
        Executor executor,
        Runnable rerun) {
      this.topic = topic;
      this.queueId = queueId;
      this.offset = offset;
      this.deadline = deadline;
      this.owner = owner;
      this.executor = executor;
      this.rerun = rerun;
    }
  }

  private final ConcurrentHashMap<String, List<Waiter>> byQueue = new ConcurrentHashMap<>();

  private static String key(String topic, int queueId) {
    return topic + '@' + queueId;
  }

  /**
   * Holds a pull of {@code topic}/{@code queueId} at {@code offset} until data past it arrives or
   * {@code deadline} (epoch ms). {@code owner} identifies its connection for {@link #release}.
   */
  public void park(
      String topic,
      int queueId,
      long offset,
      long deadline,
      Object owner,
      Executor executor,
      Runnable rerun) {
    Waiter w = new Waiter(topic, queueId, offset, deadline, owner, executor, rerun);
    byQueue.compute(
        key(topic, queueId),
        (k, l) -> {
          List<Waiter> list = l == null ? new ArrayList<>() : l;
          list.add(w);
          return list;
        });
  }

  @Override
  public void arrived(String topic, int queueId, long maxOffset) {
    if (byQueue.isEmpty()) {
      return;
    }
    List<Waiter> due = take(key(topic, queueId), w -> maxOffset > w.offset);
    due.forEach(w -> w.executor.execute(w.rerun));
  }

  /** Re-runs every pull whose deadline is at or before {@code now}. */
  public void expire(long now) {
    for (String k : byQueue.keySet()) {
      take(k, w -> w.deadline <= now).forEach(w -> w.executor.execute(w.rerun));
    }
  }

  /** Drops the held pulls of a closed connection without answering them. */
  public void release(Object owner) {
    for (String k : byQueue.keySet()) {
      take(k, w -> w.owner == owner);
    }
  }

  /** Held pulls right now (for metrics and tests). */
  public int size() {
    int n = 0;
    for (List<Waiter> l : byQueue.values()) {
      synchronized (l) {
        n += l.size();
      }
    }
    return n;
  }

  private interface Test {
    boolean due(Waiter w);
  }

  private List<Waiter> take(String key, Test test) {
    List<Waiter> out = new ArrayList<>();
    byQueue.computeIfPresent(
        key,
        (k, list) -> {
          for (Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (test.due(w)) {
              it.remove();
              out.add(w);
            }
          }
          return list.isEmpty() ? null : list;
        });
    return out;
  }
}
