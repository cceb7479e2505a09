package dev.apogee.protocol;

import java.util.Map;

/**
 * A topic as a broker holds it and registers it with the name server (rocketmq-protocol.md 1.10,
 * {@code TopicConfig}). Immutable.
 *
 * <p>Reading JSON, a field that is absent takes RocketMQ's default: 16 read and 16 write queues,
 * perm {@code READ | WRITE}, {@code SINGLE_TAG}, system flag 0, not ordered, no attributes.
 *
 * @param topicName the topic
 * @param readQueueNums queues consumers read, {@code 0..readQueueNums-1}
 * @param writeQueueNums queues producers write, {@code 0..writeQueueNums-1}
 * @param perm {@link Perm} bits
 * @param topicFilterType how messages are tagged
 * @param topicSysFlag topic system flag bits
 * @param order whether the topic is ordered
 * @param attributes extra attributes such as {@code +message.type}, sorted by key
 */
public record TopicConfig(
    String topicName,
    int readQueueNums,
    int writeQueueNums,
    int perm,
    TopicFilterType topicFilterType,
    int topicSysFlag,
    boolean order,
    Map<String, String> attributes)
    implements JsonBody {

  /** Queue count of a topic whose JSON names none. */
  public static final int DEFAULT_QUEUE_NUMS = 16;

  /** Permission of a topic whose JSON names none. */
  public static final int DEFAULT_PERM = Perm.READ | Perm.WRITE;

  public TopicConfig {
    if (topicName == null || topicName.isEmpty()) {
      throw new IllegalArgumentException("topicName must not be empty, was " + topicName);
    }
    if (topicFilterType == null) {
      topicFilterType = TopicFilterType.SINGLE_TAG;
    }
    attributes = Copies.sortedMap(attributes);
  }

  /** A plain topic: single tag, system flag 0, not ordered, no attributes. */
  public static TopicConfig of(String topicName, int readQueueNums, int writeQueueNums, int perm) {
    return new TopicConfig(
        topicName,
        readQueueNums,
        writeQueueNums,
        perm,
        TopicFilterType.SINGLE_TAG,
        0,
        false,
        Map.of());
  }

  /** The same topic with {@code newPerm}. */
  public TopicConfig withPerm(int newPerm) {
    return new TopicConfig(
        topicName,
        readQueueNums,
        writeQueueNums,
        newPerm,
        topicFilterType,
        topicSysFlag,
        order,
        attributes);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("attributes", attributes, JsonOut::value)
        .field("order", order)
        .field("perm", perm)
        .field("readQueueNums", readQueueNums)
        .field("topicFilterType", topicFilterType)
        .field("topicName", topicName)
        .field("topicSysFlag", topicSysFlag)
        .field("writeQueueNums", writeQueueNums)
        .endObject();
  }

  /**
   * Reads a topic; absent or null fields take RocketMQ's defaults; {@code topicName} is required.
   */
  public static TopicConfig readJson(JsonIn in) {
    String topicName = null;
    int readQueueNums = DEFAULT_QUEUE_NUMS;
    int writeQueueNums = DEFAULT_QUEUE_NUMS;
    int perm = DEFAULT_PERM;
    TopicFilterType topicFilterType = null;
    int topicSysFlag = 0;
    boolean order = false;
    Map<String, String> attributes = null;
    in.beginObject("TopicConfig");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "topicName" -> topicName = in.string();
        case "readQueueNums" -> readQueueNums = in.isNull() ? DEFAULT_QUEUE_NUMS : in.intValue();
        case "writeQueueNums" -> writeQueueNums = in.isNull() ? DEFAULT_QUEUE_NUMS : in.intValue();
        case "perm" -> perm = in.isNull() ? DEFAULT_PERM : in.intValue();
        case "topicFilterType" -> topicFilterType = in.enumValue(TopicFilterType.values());
        case "topicSysFlag" -> topicSysFlag = in.intValue();
        case "order" -> order = in.bool();
        case "attributes" -> attributes = in.stringMap();
        default -> in.skipValue();
      }
    }
    return new TopicConfig(
        in.required(topicName, "topicName"),
        readQueueNums,
        writeQueueNums,
        perm,
        topicFilterType,
        topicSysFlag,
        order,
        attributes);
  }
}
