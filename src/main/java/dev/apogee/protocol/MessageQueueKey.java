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
    implements Comparable<MessageQueueKey> {

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
}
