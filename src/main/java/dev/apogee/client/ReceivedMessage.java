package dev.apogee.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message as a consumer receives it: the body (inflated if it was sent compressed), its
 * properties, where it is stored and when. Immutable, except that {@link #body()} hands out the
 * message's own array, which callers must not change.
 */
public final class ReceivedMessage {
  private final String topic;
  private final MessageQueue queue;
  private final long queueOffset;
  private final byte[] body;
  private final Map<String, String> properties;
  private final int flag;
  private final int sysFlag;
  private final String offsetMsgId;
  private final long commitLogOffset;
  private final long bornTimestamp;
  private final String bornHost;
  private final long storeTimestamp;
  private final String storeHost;
  private final int reconsumeTimes;

  /**
   * For the client's decoder; applications receive instances, they do not make them.
   *
   * @param topic the topic the message was sent to (for a retried message: its original topic)
   * @param queue the queue it was read from
   * @param properties unmodifiable
   */
  public ReceivedMessage(
      String topic,
      MessageQueue queue,
      long queueOffset,
      byte[] body,
      Map<String, String> properties,
      int flag,
      int sysFlag,
      String offsetMsgId,
      long commitLogOffset,
      long bornTimestamp,
      String bornHost,
      long storeTimestamp,
      String storeHost,
      int reconsumeTimes) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.queueOffset = queueOffset;
    this.body = Objects.requireNonNull(body, "body");
    this.properties = Map.copyOf(properties);
    this.flag = flag;
    this.sysFlag = sysFlag;
    this.offsetMsgId = offsetMsgId;
    this.commitLogOffset = commitLogOffset;
    this.bornTimestamp = bornTimestamp;
    this.bornHost = bornHost;
    this.storeTimestamp = storeTimestamp;
    this.storeHost = storeHost;
    this.reconsumeTimes = reconsumeTimes;
  }

  /** The topic it was sent to; for a message redelivered from a retry topic, the original. */
  public String topic() {
    return topic;
  }

  /** The queue it was read from (a retry topic's queue for a redelivered message). */
  public MessageQueue queue() {
    return queue;
  }

  /** Its offset in {@link #queue()}. */
  public long queueOffset() {
    return queueOffset;
  }

  /** The body, inflated when it was sent compressed; the message's own array, do not change it. */
  public byte[] body() {
    return body;
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The tag, or null. */
  public String tags() {
    return properties.get(Message.PROPERTY_TAGS);
  }

  /** The keys; empty when there are none. */
  public List<String> keys() {
    String keys = properties.get(Message.PROPERTY_KEYS);
    return keys == null || keys.isEmpty() ? List.of() : List.of(keys.split(" "));
  }

  /** The property's value, or null. */
  public String property(String name) {
    return properties.get(name);
  }

  /** Every stored property, including system ones such as {@code UNIQ_KEY}; unmodifiable. */
  public Map<String, String> properties() {
    return properties;
  }

  /** The unique id the producer gave the message, or the offset id when it has none. */
  public String msgId() {
    String uniq = properties.get(Message.PROPERTY_UNIQ_KEY);
    return uniq != null ? uniq : offsetMsgId;
  }

  /** The broker's id of the stored record: store host and commit-log offset, as hex. */
  public String offsetMsgId() {
    return offsetMsgId;
  }

  public long commitLogOffset() {
    return commitLogOffset;
  }

  public int flag() {
    return flag;
  }

  /** The stored system flag bits (compression, transaction type, address kinds). */
  public int sysFlag() {
    return sysFlag;
  }

  public long bornTimestamp() {
    return bornTimestamp;
  }

  /** The producer's {@code ip:port} as the broker saw it. */
  public String bornHost() {
    return bornHost;
  }

  public long storeTimestamp() {
    return storeTimestamp;
  }

  /** The storing broker's {@code ip:port}. */
  public String storeHost() {
    return storeHost;
  }

  /** How many times the message was redelivered after a failed consumption. */
  public int reconsumeTimes() {
    return reconsumeTimes;
  }

  /** The same message counted as redelivered once more. */
  public ReceivedMessage redelivered() {
    return new ReceivedMessage(
        topic,
        queue,
        queueOffset,
        body,
        properties,
        flag,
        sysFlag,
        offsetMsgId,
        commitLogOffset,
        bornTimestamp,
        bornHost,
        storeTimestamp,
        storeHost,
        reconsumeTimes + 1);
  }

  @Override
  public String toString() {
    return "ReceivedMessage[topic="
        + topic
        + ", queue="
        + queue
        + ", queueOffset="
        + queueOffset
        + ", msgId="
        + msgId()
        + ", properties="
        + properties
        + ", body="
        + body.length
        + " bytes]";
  }
}
