package dev.apogee.protocol;

/**
 * One broker group's queues of a topic, as a route lists them (rocketmq-protocol.md 2.2).
 * Immutable.
 *
 * @param brokerName the broker group serving the queues
 * @param readQueueNums queues consumers read
 * @param writeQueueNums queues producers write
 * @param perm {@link Perm} bits
 * @param topicSysFlag topic system flag bits
 */
public record QueueData(
    String brokerName, int readQueueNums, int writeQueueNums, int perm, int topicSysFlag) {

  /** The queues {@code brokerName} serves for {@code topic}. */
  public static QueueData of(String brokerName, TopicConfig topic) {
    return new QueueData(
        brokerName,
        topic.readQueueNums(),
        topic.writeQueueNums(),
        topic.perm(),
        topic.topicSysFlag());
  }

  /** The same queues with {@code newPerm}. */
  public QueueData withPerm(int newPerm) {
    return new QueueData(brokerName, readQueueNums, writeQueueNums, newPerm, topicSysFlag);
  }
}
