package dev.apogee.protocol;

import java.util.Comparator;
import java.util.Objects;

/**
 * One queue of a topic on one broker group, RocketMQ's {@code MessageQueue}. It is the key of the
 * object-keyed maps in ConsumeStats, TopicStatsTable and ResetOffsetBody, which {@link
 * ProtocolJson} writes in fastjson's raw-object-key form (rocketmq-protocol.md 1.10, pitfall P2).
 * Immutable; ordered by topic, broker name, then queue id.
 *
 * @param topic the topic
 * @param brokerName the broker group
 * @param queueId the queue
 */
public record MessageQueueKey(String topic, String brokerName, int queueId)
    implements Comparable<MessageQueueKey>, JsonBody {

  private static final Comparator<MessageQueueKey> ORDER =
      Comparator.comparing(MessageQueueKey::topic)
          .thenComparing(MessageQueueKey::brokerName)
          .thenComparingInt(MessageQueueKey::queueId);

  public MessageQueueKey {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(brokerName, "brokerName");
  }

  @Override
  public int compareTo(MessageQueueKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerName", brokerName)
        .field("queueId", queueId)
        .field("topic", topic)
        .endObject();
  }

  /** Reads a queue; {@code topic} and {@code brokerName} are required. */
  public static MessageQueueKey readJson(JsonIn in) {
    String topic = null;
    String brokerName = null;
    int queueId = 0;
    in.beginObject("MessageQueueKey");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "topic" -> topic = in.string();
        case "brokerName" -> brokerName = in.string();
        case "queueId" -> queueId = in.intValue();
        default -> in.skipValue();
      }
    }
    return new MessageQueueKey(
        in.required(topic, "topic"), in.required(brokerName, "brokerName"), queueId);
  }

  /**
   * The queue held as JSON in a map key: a raw object key once {@link FastjsonDialect} has quoted
   * it, or the string key a standard writer makes of an object.
   *
   * @throws BodyFormatException if {@code key} is not a queue's JSON
   */
  public static MessageQueueKey fromKey(String key) {
    return ProtocolJson.read(key, MessageQueueKey::readJson);
  }
}
