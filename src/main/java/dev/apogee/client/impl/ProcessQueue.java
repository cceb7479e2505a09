package dev.apogee.client.impl;

import dev.apogee.client.MessageQueue;
import dev.apogee.client.ReceivedMessage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A push consumer's state of one queue it owns: where to pull next, the messages pulled and not yet
 * handed to the handler, the offsets not yet completed (which hold the committed offset back), and
 * the timers of messages waiting to be retried. Confined to the consumer's context.
 */
final class ProcessQueue {
  final MessageQueue mq;

  /** Next offset to pull; -1 until the start offset is known. */
  long nextOffset = -1;

  /** The offset last committed (or found committed), -1 when none. */
  long lastCommitted = -1;

  /** Pulled, not yet with the handler. */
  final ArrayDeque<ReceivedMessage> buffer = new ArrayDeque<>();

  /** Offsets pulled and not yet completed, with how many messages each (inner batches share). */
  private final TreeMap<Long, Integer> open = new TreeMap<>();

  /** Retry timer per message offset waiting to be handed over again. */
  final Map<Long, Long> retryTimers = new HashMap<>();

  boolean dropped;
  boolean pulling;
  boolean waitingForRoom;

  /** Whether the last pull failed (the first failure is logged as a warning, repeats quietly). */
  boolean failing;

  ProcessQueue(MessageQueue mq) {
    this.mq = mq;
  }

  boolean started() {
    return nextOffset >= 0;
  }

  void opened(long offset) {
    open.merge(offset, 1, Integer::sum);
  }

  void completed(long offset) {
    open.computeIfPresent(offset, (k, n) -> n > 1 ? n - 1 : null);
  }

  /**
   * The offset to commit: the first message not completed, or the next offset to pull when every
   * pulled message is done (rocketmq-protocol.md 5.3).
   */
  long committable() {
    return open.isEmpty() ? nextOffset : open.firstKey();
  }
}
