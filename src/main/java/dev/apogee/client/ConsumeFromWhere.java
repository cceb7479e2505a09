package dev.apogee.client;

/**
 * Where a consumer starts reading a queue for which its group has no committed offset yet.
 *
 * <p>A push consumer asks for the group's offset as the official one does, and a RocketMQ broker
 * answers 0 for a brand-new group while the queue's first message is still in memory: on a young
 * topic a push consumer starts from the beginning even with {@code LAST_OFFSET}, like the official
 * client, so the two agree in a shared group. A pull consumer asks only for really committed
 * offsets and follows this setting as written.
 */
public enum ConsumeFromWhere {
  /** The queue's end: only messages sent from now on. */
  LAST_OFFSET,
  /** The queue's beginning. */
  FIRST_OFFSET,
  /** The first message stored at or after the consumer's configured timestamp. */
  TIMESTAMP
}
