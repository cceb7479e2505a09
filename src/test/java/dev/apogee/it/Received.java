package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * What one consumer received: each message's identity ({@link Corpus#check}) with how often it
 * came, and every check that failed. Listener threads write; the test thread reads. Thread-safe.
 */
final class Received {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();

  void accept(MessageExt m) {
    try {
      counts.computeIfAbsent(Corpus.check(m), k -> new AtomicInteger()).incrementAndGet();
    } catch (AssertionError | RuntimeException e) {
      failures.add(e.getMessage());
    }
  }

  /** A push listener that records every message and acknowledges it. */
  MessageListenerConcurrently listener() {
    return (msgs, ctx) -> {
      msgs.forEach(this::accept);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    };
  }

  Set<String> ids() {
    return counts.keySet();
  }

  int distinct() {
    return counts.size();
  }

  boolean containsAll(Collection<String> ids) {
    return counts.keySet().containsAll(ids);
  }

  /** Identities received more than once. */
  List<String> duplicates() {
    List<String> d = new ArrayList<>();
    counts.forEach(
        (k, v) -> {
          if (v.get() > 1) {
            d.add(k);
          }
        });
    return d;
  }

  void assertNoFailedChecks() {
    assertEquals(List.of(), List.copyOf(failures), "messages received with wrong content");
  }
}
