package dev.apogee.client;

import java.util.Comparator;
import java.util.Objects;

/**
 * One queue of a topic on one broker group: RocketMQ's unit of ordering, allocation and offsets.
 * Queues sort by topic, broker name, then queue id, the order RocketMQ's allocation strategies use.
 * Immutable.
 *
 * @param topic the topic
 * @param brokerName the broker group holding the queue
 * @param queueId the queue's number on that broker group
 */
public record MessageQueue(String topic, String brokerName, int queueId)
    implements Comparable<MessageQueue> {

  private static final Comparator<MessageQueue> ORDER =
      Comparator.comparing(MessageQueue::topic)
          .thenComparing(MessageQueue::brokerName)
          .thenComparingInt(MessageQueue::queueId);

  public MessageQueue {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(brokerName, "brokerName");
  }

  @Override
  public int compareTo(MessageQueue other) {
    return ORDER.compare(this, other);
  }
}
