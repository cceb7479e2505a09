package dev.apogee.protocol;

import java.util.Map;

/**
 * A consumer group's progress per queue, the body of a GET_CONSUME_STATS answer
 * (rocketmq-protocol.md 1.10). {@code offsetTable} is written with raw object keys (pitfall P2).
 * Immutable; queues sorted.
 *
 * @param offsetTable progress per queue
 * @param consumeTps messages consumed per second
 */
public record ConsumeStats(Map<MessageQueueKey, OffsetWrapper> offsetTable, double consumeTps) {

  public ConsumeStats {
    offsetTable = Copies.sortedMap(offsetTable);
  }
}
