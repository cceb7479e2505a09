package dev.apogee.protocol;

import java.util.Map;

/**
 * The offsets of each queue of a topic, the body of a GET_TOPIC_STATS_INFO answer
 * (rocketmq-protocol.md 1.10). {@code offsetTable} is written with raw object keys (pitfall P2).
 * Immutable; queues sorted.
 *
 * @param offsetTable offsets per queue
 * @param topicPutTps messages stored per second
 */
public record TopicStatsTable(Map<MessageQueueKey, TopicOffset> offsetTable, double topicPutTps) {

  public TopicStatsTable {
    offsetTable = Copies.sortedMap(offsetTable);
  }
}
