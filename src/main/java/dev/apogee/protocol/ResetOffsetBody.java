package dev.apogee.protocol;

import java.util.Map;

/**
 * The offset each queue is reset to, the body of RESET_CONSUMER_CLIENT_OFFSET (rocketmq-protocol.md
 * 1.10). {@code offsetTable} is written with raw object keys (pitfall P2). Immutable; queues
 * sorted.
 *
 * @param offsetTable the new offset per queue
 */
public record ResetOffsetBody(Map<MessageQueueKey, Long> offsetTable) {

  public ResetOffsetBody {
    offsetTable = Copies.sortedMap(offsetTable);
  }
}
