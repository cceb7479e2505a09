package dev.apogee.client;

/**
 * Where a consumer starts reading a queue for which its group has no committed offset yet. (A
 * RocketMQ broker answers offset 0 for a brand-new group while the queue's first message is still
 * in memory, so on a young topic {@code LAST_OFFSET} starts from the beginning too.)
 */
public enum ConsumeFromWhere {
  /** The queue's end: only messages sent from now on. */
  LAST_OFFSET,
  /** The queue's beginning. */
  FIRST_OFFSET,
  /** The first message stored at or after the consumer's configured timestamp. */
  TIMESTAMP
}
