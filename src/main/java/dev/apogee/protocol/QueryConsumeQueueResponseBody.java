package dev.apogee.protocol;

import java.util.List;

/**
 * Units of one consume queue, the body of a QUERY_CONSUME_QUEUE answer (RocketMQ's {@code
 * QueryConsumeQueueResponseBody}). Immutable.
 *
 * @param subscriptionData the subscription of the group asked about to the queue's topic, or null
 *     (none asked about, or the group is not online)
 * @param filterData the group's filter as RocketMQ prints it, or why there is none; null when no
 *     group was asked about
 * @param queueData the units from the requested index on
 * @param maxQueueIndex the queue's max offset (next to be written)
 * @param minQueueIndex the queue's first offset still stored
 */
public record QueryConsumeQueueResponseBody(
    JsonBody subscriptionData,
    String filterData,
    List<ConsumeQueueData> queueData,
    long maxQueueIndex,
    long minQueueIndex)
    implements JsonBody {

  public QueryConsumeQueueResponseBody {
    queueData = List.copyOf(queueData);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("filterData", filterData)
        .field("maxQueueIndex", maxQueueIndex)
        .field("minQueueIndex", minQueueIndex)
        .field("queueData", queueData, JsonOut::value)
        .field("subscriptionData", subscriptionData)
        .endObject();
  }

  /**
   * One unit (RocketMQ's {@code ConsumeQueueData}); this broker keeps no consume-queue extension,
   * so only the unit's own fields are set and {@code eval} is false.
   *
   * @param physicOffset commit log offset of the message
   * @param physicSize size of its record
   * @param tagsCode the hash of its tag (0 without one)
   */
  public record ConsumeQueueData(long physicOffset, int physicSize, long tagsCode)
      implements JsonBody {
    @Override
    public void writeJson(JsonOut out) {
      out.beginObject()
          .field("eval", false)
          .field("physicOffset", physicOffset)
          .field("physicSize", physicSize)
          .field("tagsCode", tagsCode)
          .endObject();
    }
  }
}
