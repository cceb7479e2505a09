package dev.apogee.protocol;

/**
 * A consumer group's progress on one queue, a value of {@link ConsumeStats#offsetTable()}.
 * Immutable.
 *
 * @param brokerOffset the queue's max offset on the broker
 * @param consumerOffset the group's committed offset
 * @param pullOffset the offset the group last pulled from
 * @param lastTimestamp store time of the last consumed message, epoch millis
 */
public record OffsetWrapper(
    long brokerOffset, long consumerOffset, long pullOffset, long lastTimestamp) {}
