package dev.apogee.store.message;

import java.nio.ByteBuffer;

/**
 * What recovery finds at a commit-log position (protocol doc 4.1, 4.6): a {@link Status#VALID}
 * record, the {@link Status#BLANK} marker that fills the tail of a file, or the {@link Status#END}
 * of the written data, which is either zeros (a clean end) or anything else (a torn or corrupt
 * write). {@code size} is the record or blank length, 0 at the end; {@code detail} says why it is
 * the end, and is empty otherwise.
 *
 * <p>{@link #check} never throws on content, whatever the bytes: every length is checked against
 * what is left before it is used. A record is {@code VALID} only if its magic is V1 or V2, its
 * total size lies between the smallest possible record and the bytes left, its body, topic and
 * properties lengths are non-negative, the topic is not empty, the lengths add up to exactly the
 * total size, and (if asked) the body CRC matches. Whether the physical offset field matches the
 * position is left to the caller, which knows the file's base offset.
 *
 * <p>Immutable; {@link #check} is stateless and thread-safe.
 */
public record RecordCheck(Status status, int size, String detail) {

  /** The classification. */
  public enum Status {
    /** A complete, consistent record of {@code size} bytes. */
    VALID,
    /** The end-of-file marker; its {@code size} is the rest of the file. */
    BLANK,
    /** No record here: zeros or garbage. */
    END
  }

  /** The smallest record: IPv4 hosts, empty body, one-byte topic, no properties. */
  public static final int MIN_RECORD_LENGTH = RecordLayout.recordLength(0, 0, 1, 0);

  private static final RecordCheck ZERO = new RecordCheck(Status.END, 0, "total size is zero");

  /** Classifies the bytes at {@code pos}, reading up to {@code buf.limit()}. */
  public static RecordCheck check(ByteBuffer buf, int pos, boolean checkCrc) {
    return check(buf, pos, buf.limit(), checkCrc);
  }

  /**
   * Classifies the bytes at absolute index {@code pos}, reading no further than {@code limit}
   * (normally the end of the file's written or mapped region). The buffer's position is untouched.
   *
   * @param checkCrc also compare the body's CRC with the BODYCRC field
   * @throws IndexOutOfBoundsException if not {@code 0 <= pos <= limit <= buf.limit()}
   */
  public static RecordCheck check(ByteBuffer buf, int pos, int limit, boolean checkCrc) {
    if (pos < 0 || pos > limit || limit > buf.limit()) {
      throw new IndexOutOfBoundsException(
          "pos " + pos + ", limit " + limit + ", buffer limit " + buf.limit());
    }
    int left = limit - pos;
    if (left < 4) {
      return end(left + " bytes left, too few for a total size");
    }
    int totalSize = buf.getInt(pos);
    if (totalSize == 0) {
      return ZERO;
    }
    if (left < RecordLayout.BLANK_MIN_LENGTH) {
      return end(left + " bytes left, too few for a magic code");
    }
    int magic = buf.getInt(pos + RecordLayout.POS_MAGIC);
    if (magic == RecordLayout.MAGIC_BLANK) {
      if (totalSize < RecordLayout.BLANK_MIN_LENGTH || totalSize > left) {
        return end(
            "blank marker size %d is outside %d..%d"
                .formatted(totalSize, RecordLayout.BLANK_MIN_LENGTH, left));
      }
      return new RecordCheck(Status.BLANK, totalSize, "");
    }
    if (magic != RecordLayout.MAGIC_V1 && magic != RecordLayout.MAGIC_V2) {
      return end("bad magic code 0x" + Integer.toHexString(magic));
    }
    if (totalSize < MIN_RECORD_LENGTH || totalSize > left) {
      return end("total size " + totalSize + " is outside " + MIN_RECORD_LENGTH + ".." + left);
    }
    String problem = checkLengths(buf, pos, totalSize, magic);
    if (problem != null) {
      return end(problem);
    }
    if (checkCrc) {
      int stored = buf.getInt(pos + RecordLayout.POS_BODY_CRC);
      int actual = RecordDecoder.computeBodyCrc(buf, pos);
      if (stored != actual) {
        return end("body CRC " + actual + " differs from the stored " + stored);
      }
    }
    return new RecordCheck(Status.VALID, totalSize, "");
  }

  /**
   * Checks the variable-length fields of a record of {@code totalSize} bytes at {@code pos}, which
   * lie in the buffer; returns what is wrong, or null.
   */
  private static String checkLengths(ByteBuffer buf, int pos, int totalSize, int magic) {
    int end = pos + totalSize;
    int sysFlag = buf.getInt(pos + RecordLayout.POS_SYS_FLAG);
    int bodyLengthAt = pos + RecordLayout.posBodyLength(sysFlag);
    if (bodyLengthAt + 4 > end) {
      return "total size %d cannot hold the header for sysFlag 0x%x".formatted(totalSize, sysFlag);
    }
    int bodyLength = buf.getInt(bodyLengthAt);
    int topicLengthAt = bodyLengthAt + 4;
    if (bodyLength < 0 || bodyLength > end - topicLengthAt) {
      return "body length " + bodyLength + " is outside 0.." + (end - topicLengthAt);
    }
    topicLengthAt += bodyLength;
    boolean v2 = magic == RecordLayout.MAGIC_V2;
    int topicAt = topicLengthAt + (v2 ? 2 : 1);
    if (topicAt > end) {
      return "no room for the topic length after a body of " + bodyLength + " bytes";
    }
    int topicLength = v2 ? buf.getShort(topicLengthAt) : buf.get(topicLengthAt);
    if (topicLength < 1 || topicLength > end - topicAt) {
      return "topic length " + topicLength + " is outside 1.." + (end - topicAt);
    }
    int propertiesLengthAt = topicAt + topicLength;
    if (propertiesLengthAt + 2 > end) {
      return "no room for the properties length after a topic of " + topicLength + " bytes";
    }
    int propertiesLength = buf.getShort(propertiesLengthAt);
    if (propertiesLength < 0 || propertiesLengthAt + 2 + propertiesLength != end) {
      return "properties length %d does not end the record at total size %d (%d bytes are left)"
          .formatted(propertiesLength, totalSize, end - propertiesLengthAt - 2);
    }
    return null;
  }

  private static RecordCheck end(String detail) {
    return new RecordCheck(Status.END, 0, detail);
  }
}
