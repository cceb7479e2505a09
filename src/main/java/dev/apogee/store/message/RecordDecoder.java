package dev.apogee.store.message;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Reads RocketMQ stored records (protocol doc 3.3) in place. Every method takes the buffer and the
 * absolute index {@code pos} of the record's first byte, reads with absolute gets and leaves the
 * buffer's position and limit alone, so many threads may read one shared (e.g. mapped) buffer.
 *
 * <p>{@link #decode} checks the record's structure first and throws a {@link RecordException} on
 * bad bytes. The field accessors do not: they are for records known to be sound (written by the
 * store, or passed by {@link RecordCheck}) and on garbage return garbage or throw {@link
 * IndexOutOfBoundsException}; only the host accessors reject a port outside 0..65535, with a {@link
 * RecordException}, since a structurally sound record may still carry one.
 *
 * <p>Stateless and thread-safe.
 */
public final class RecordDecoder {
  private RecordDecoder() {}

  /**
   * Decodes every field of the record at {@code pos}. The body CRC is not verified (see {@link
   * #checkCrc}).
   *
   * @throws RecordException {@code MALFORMED_RECORD} if the bytes at {@code pos} are not a
   *     complete, consistent record within {@code buf.limit()}
   */
  public static MessageRecord decode(ByteBuffer buf, int pos) {
    RecordCheck check = RecordCheck.check(buf, pos, false);
    if (check.status() != RecordCheck.Status.VALID) {
      throw new RecordException(
          RecordException.Reason.MALFORMED_RECORD,
          "no record at %d: %s"
              .formatted(
                  pos,
                  check.status() == RecordCheck.Status.BLANK
                      ? "blank marker of " + check.size() + " bytes"
                      : check.detail()));
    }
    byte[] body = new byte[bodyLength(buf, pos)];
    buf.get(bodyPosition(buf, pos), body);
    return new MessageRecord(
        topic(buf, pos),
        queueId(buf, pos),
        flag(buf, pos),
        queueOffset(buf, pos),
        physicalOffset(buf, pos),
        sysFlag(buf, pos),
        bornTimestamp(buf, pos),
        bornHost(buf, pos),
        storeTimestamp(buf, pos),
        storeHost(buf, pos),
        reconsumeTimes(buf, pos),
        preparedTransactionOffset(buf, pos),
        body,
        MessageProperties.decode(
            MessageProperties.utf8(buf, propertiesPosition(buf, pos), propertiesLength(buf, pos))),
        bodyCrc(buf, pos),
        totalSize(buf, pos));
  }

  /**
   * Whether the record's BODYCRC field matches its body; false also when the body length does not
   * fit the buffer. For recovery's optional CRC pass.
   */
  public static boolean checkCrc(ByteBuffer buf, int pos) {
    int bodyAt = bodyPosition(buf, pos);
    int length = bodyLength(buf, pos);
    if (length < 0 || length > buf.limit() - bodyAt) {
      return false;
    }
    return computeBodyCrc(buf, pos) == bodyCrc(buf, pos);
  }

  public static int totalSize(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.POS_TOTAL_SIZE);
  }

  public static int magic(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.POS_MAGIC);
  }

  public static int bodyCrc(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.POS_BODY_CRC);
  }

  public static int queueId(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.POS_QUEUE_ID);
  }

  public static int flag(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.POS_FLAG);
  }

  public static long queueOffset(ByteBuffer buf, int pos) {
    return buf.getLong(pos + RecordLayout.POS_QUEUE_OFFSET);
  }

  public static long physicalOffset(ByteBuffer buf, int pos) {
    return buf.getLong(pos + RecordLayout.POS_PHYSICAL_OFFSET);
  }

  public static int sysFlag(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.POS_SYS_FLAG);
  }

  public static long bornTimestamp(ByteBuffer buf, int pos) {
    return buf.getLong(pos + RecordLayout.POS_BORN_TIMESTAMP);
  }

  public static InetSocketAddress bornHost(ByteBuffer buf, int pos) {
    return host(
        buf, pos + RecordLayout.POS_BORN_HOST, RecordLayout.bornHostLength(sysFlag(buf, pos)));
  }

  public static long storeTimestamp(ByteBuffer buf, int pos) {
    return buf.getLong(pos + RecordLayout.posStoreTimestamp(sysFlag(buf, pos)));
  }

  public static InetSocketAddress storeHost(ByteBuffer buf, int pos) {
    int sysFlag = sysFlag(buf, pos);
    return host(
        buf, pos + RecordLayout.posStoreHost(sysFlag), RecordLayout.storeHostLength(sysFlag));
  }

  public static int reconsumeTimes(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.posReconsumeTimes(sysFlag(buf, pos)));
  }

  public static long preparedTransactionOffset(ByteBuffer buf, int pos) {
    return buf.getLong(pos + RecordLayout.posPreparedTransactionOffset(sysFlag(buf, pos)));
  }

  public static int bodyLength(ByteBuffer buf, int pos) {
    return buf.getInt(pos + RecordLayout.posBodyLength(sysFlag(buf, pos)));
  }

  /** Absolute index of the body's first byte. */
  public static int bodyPosition(ByteBuffer buf, int pos) {
    return pos + RecordLayout.posBodyLength(sysFlag(buf, pos)) + 4;
  }

  /** Length of the topic in UTF-8 bytes. */
  public static int topicLength(ByteBuffer buf, int pos) {
    int at = bodyPosition(buf, pos) + bodyLength(buf, pos);
    return magic(buf, pos) == RecordLayout.MAGIC_V2 ? buf.getShort(at) : buf.get(at);
  }

  /** Absolute index of the topic's first byte. */
  public static int topicPosition(ByteBuffer buf, int pos) {
    int lengthBytes = magic(buf, pos) == RecordLayout.MAGIC_V2 ? 2 : 1;
    return bodyPosition(buf, pos) + bodyLength(buf, pos) + lengthBytes;
  }

  public static String topic(ByteBuffer buf, int pos) {
    return MessageProperties.utf8(buf, topicPosition(buf, pos), topicLength(buf, pos));
  }

  /** Length of the properties string in UTF-8 bytes. */
  public static int propertiesLength(ByteBuffer buf, int pos) {
    return buf.getShort(topicPosition(buf, pos) + topicLength(buf, pos));
  }

  /** Absolute index of the properties string's first byte. */
  public static int propertiesPosition(ByteBuffer buf, int pos) {
    return topicPosition(buf, pos) + topicLength(buf, pos) + 2;
  }

  /**
   * One property's value read in place (see {@link MessageProperties#find}), or null; for the
   * dispatcher's TAGS, KEYS and UNIQ_KEY.
   */
  public static String property(ByteBuffer buf, int pos, String key) {
    return MessageProperties.find(
        buf, propertiesPosition(buf, pos), propertiesLength(buf, pos), key);
  }

  /** CRC of the body as RocketMQ computes it; the body must lie within the buffer. */
  static int computeBodyCrc(ByteBuffer buf, int pos) {
    CRC32 crc = new CRC32();
    crc.update(buf.slice(bodyPosition(buf, pos), bodyLength(buf, pos)));
    return (int) (crc.getValue() & 0x7FFFFFFF);
  }

  private static InetSocketAddress host(ByteBuffer buf, int at, int length) {
    byte[] ip = new byte[length - 4];
    buf.get(at, ip);
    int port = buf.getInt(at + ip.length);
    if (port < 0 || port > 0xFFFF) {
      throw new RecordException(
          RecordException.Reason.MALFORMED_RECORD,
          "host port " + port + " at " + (at + ip.length) + " is outside 0..65535");
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      // getByAddress fails only for a length other than 4 or 16, which the layout rules out
      throw new IllegalStateException("address of " + ip.length + " bytes rejected", e);
    }
  }
}
