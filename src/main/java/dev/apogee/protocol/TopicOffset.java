package dev.apogee.protocol;

/**
 * The offsets of one queue, a value of {@link TopicStatsTable#offsetTable()}. Immutable.
 *
 * @param minOffset the first offset still stored
 * @param maxOffset the offset the next message will take
 * @param lastUpdateTimestamp store time of the newest message, epoch millis
 */
public record TopicOffset(long minOffset, long maxOffset, long lastUpdateTimestamp) {}
