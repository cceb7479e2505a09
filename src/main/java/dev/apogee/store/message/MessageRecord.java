package dev.apogee.store.message;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every field of a stored record (protocol doc 3.3), decoded. {@link RecordDecoder#decode} makes
 * these; {@link RecordEncoder#encode(MessageRecord, io.netty.buffer.ByteBuf)} writes one back.
 *
 * <p>Immutable and so thread-safe: the body is copied in and {@link #body()} returns a copy ({@link
 * #bodyBuffer()} is a read-only view without one), and the properties are an unmodifiable copy kept
 * in their original order. {@code bodyCrc} and {@code totalSize} are as read from the record; a
 * record built by hand may carry any value there, the encoder recomputes both.
 *
 * @param properties the decoded properties; null is taken as empty
 */
public record MessageRecord(
    String topic,
    int queueId,
    int flag,
    long queueOffset,
    long physicalOffset,
    int sysFlag,
    long bornTimestamp,
    InetSocketAddress bornHost,
    long storeTimestamp,
    InetSocketAddress storeHost,
    int reconsumeTimes,
    long preparedTransactionOffset,
    byte[] body,
    Map<String, String> properties,
    int bodyCrc,
    int totalSize) {

  public MessageRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(bornHost, "bornHost");
    Objects.requireNonNull(storeHost, "storeHost");
    body = body == null ? new byte[0] : body.clone();
    properties =
        properties == null || properties.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /** A copy of the body (stored bytes: compressed if {@link #sysFlag} says so). */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body as a read-only buffer, without copying. */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  public int bodyLength() {
    return body.length;
  }

  /** The value of property {@code name}, or null. */
  public String property(String name) {
    return properties.get(name);
  }

  /** The {@link MessageProperties#TAGS} property, or null. */
  public String tags() {
    return properties.get(MessageProperties.TAGS);
  }

  /** The {@link MessageProperties#KEYS} property (space-separated keys), or null. */
  public String keys() {
    return properties.get(MessageProperties.KEYS);
  }

  /** The {@link MessageProperties#UNIQ_KEY} property, or null. */
  public String uniqKey() {
    return properties.get(MessageProperties.UNIQ_KEY);
  }

  /** The consume-queue tags code of {@link #tags()}. */
  public long tagsCode() {
    return MessageProperties.tagsCode(tags());
  }

  /** The offset message id of this record (protocol doc 3.7). */
  public String msgId() {
    return MessageId.encode(storeHost, physicalOffset);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageRecord r
        && topic.equals(r.topic)
        && queueId == r.queueId
        && flag == r.flag
        && queueOffset == r.queueOffset
        && physicalOffset == r.physicalOffset
        && sysFlag == r.sysFlag
        && bornTimestamp == r.bornTimestamp
        && bornHost.equals(r.bornHost)
        && storeTimestamp == r.storeTimestamp
        && storeHost.equals(r.storeHost)
        && reconsumeTimes == r.reconsumeTimes
        && preparedTransactionOffset == r.preparedTransactionOffset
        && Arrays.equals(body, r.body)
        && properties.equals(r.properties)
        && bodyCrc == r.bodyCrc
        && totalSize == r.totalSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, queueId, queueOffset, physicalOffset, Arrays.hashCode(body));
  }

  /** Every field but the body, of which only the length is shown. */
  @Override
  public String toString() {
    return ("MessageRecord[topic=%s, queueId=%d, flag=%d, queueOffset=%d, physicalOffset=%d,"
            + " sysFlag=0x%x, bornTimestamp=%d, bornHost=%s, storeTimestamp=%d, storeHost=%s,"
            + " reconsumeTimes=%d, preparedTransactionOffset=%d, bodyLength=%d, properties=%s,"
            + " bodyCrc=%d, totalSize=%d]")
        .formatted(
            topic,
            queueId,
            flag,
            queueOffset,
            physicalOffset,
            sysFlag,
            bornTimestamp,
            bornHost,
            storeTimestamp,
            storeHost,
            reconsumeTimes,
            preparedTransactionOffset,
            body.length,
            properties,
            bodyCrc,
            totalSize);
  }
}
