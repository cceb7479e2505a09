package dev.apogee.protocol;

import java.util.List;
import java.util.Map;

/**
 * Every consumer group's progress on one broker, the body of a GET_BROKER_CONSUME_STATS answer
 * (RocketMQ's {@code ConsumeStatsList}): one single-entry map per group, from the group's name to
 * one {@link ConsumeStats} per topic. Immutable.
 *
 * @param brokerAddr the broker's {@code ip:port}
 * @param consumeStatsList per group, its topics' progress
 * @param totalDiff messages not consumed yet, summed over every group and queue
 * @param totalInflightDiff messages pulled but not committed, summed likewise
 */
public record ConsumeStatsList(
    String brokerAddr,
    List<Map<String, List<ConsumeStats>>> consumeStatsList,
    long totalDiff,
    long totalInflightDiff)
    implements JsonBody {

  public ConsumeStatsList {
    consumeStatsList = List.copyOf(consumeStatsList);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerAddr", brokerAddr)
        .field(
            "consumeStatsList",
            consumeStatsList,
            (o, group) -> o.map(group, (o2, topics) -> o2.array(topics, JsonOut::value)))
        .field("totalDiff", totalDiff)
        .field("totalInflightDiff", totalInflightDiff)
        .endObject();
  }
}
