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
    String brokerName, int readQueueNums, int writeQueueNums, int perm, int topicSysFlag)
    implements JsonBody {

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

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerName", brokerName)
        .field("perm", perm)
        .field("readQueueNums", readQueueNums)
        .field("topicSysFlag", topicSysFlag)
        .field("writeQueueNums", writeQueueNums)
        .endObject();
  }

  /** Reads one broker group's queues; an absent number is 0. */
  public static QueueData readJson(JsonIn in) {
    String brokerName = null;
    int readQueueNums = 0;
    int writeQueueNums = 0;
    int perm = 0;
    int topicSysFlag = 0;
    in.beginObject("QueueData");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "brokerName" -> brokerName = in.string();
        case "readQueueNums" -> readQueueNums = in.intValue();
        case "writeQueueNums" -> writeQueueNums = in.intValue();
        case "perm" -> perm = in.intValue();
        case "topicSysFlag" -> topicSysFlag = in.intValue();
        default -> in.skipValue();
      }
    }
    return new QueueData(brokerName, readQueueNums, writeQueueNums, perm, topicSysFlag);
  }
}
