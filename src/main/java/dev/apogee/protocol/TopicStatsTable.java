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
public record TopicStatsTable(Map<MessageQueueKey, TopicOffset> offsetTable, double topicPutTps)
    implements JsonBody {

  public TopicStatsTable {
    offsetTable = Copies.sortedMap(offsetTable);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .rawKeyField("offsetTable", offsetTable, JsonOut::value)
        .field("topicPutTps", topicPutTps)
        .endObject();
  }

  /** Reads the table; each key of {@code offsetTable} must hold a queue as JSON. */
  public static TopicStatsTable readJson(JsonIn in) {
    Map<MessageQueueKey, TopicOffset> offsetTable = null;
    double topicPutTps = 0;
    in.beginObject("TopicStatsTable");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "offsetTable" -> offsetTable = in.map(MessageQueueKey::fromKey, TopicOffset::readJson);
        case "topicPutTps" -> topicPutTps = in.doubleValue();
        default -> in.skipValue();
      }
    }
    return new TopicStatsTable(offsetTable, topicPutTps);
  }
}
