package dev.apogee.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
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
    Map<String, String> attributes) {

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

  @JsonCreator
  static TopicConfig fromJson(
      @JsonProperty("topicName") String topicName,
      @JsonProperty("readQueueNums") Integer readQueueNums,
      @JsonProperty("writeQueueNums") Integer writeQueueNums,
      @JsonProperty("perm") Integer perm,
      @JsonProperty("topicFilterType") TopicFilterType topicFilterType,
      @JsonProperty("topicSysFlag") Integer topicSysFlag,
      @JsonProperty("order") Boolean order,
      @JsonProperty("attributes") Map<String, String> attributes) {
    return new TopicConfig(
        topicName,
        readQueueNums == null ? DEFAULT_QUEUE_NUMS : readQueueNums,
        writeQueueNums == null ? DEFAULT_QUEUE_NUMS : writeQueueNums,
        perm == null ? DEFAULT_PERM : perm,
        topicFilterType,
        topicSysFlag == null ? 0 : topicSysFlag,
        order != null && order,
        attributes);
  }
}
