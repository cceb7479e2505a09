package dev.apogee.store.message;

import static dev.apogee.store.message.RecordException.Reason.BODY_TOO_LARGE;
import static dev.apogee.store.message.RecordException.Reason.MALFORMED_BATCH;
import static dev.apogee.store.message.RecordException.Reason.PROPERTIES_TOO_LONG;
import static dev.apogee.store.message.RecordException.Reason.TOPIC_EMPTY;
import static dev.apogee.store.message.RecordException.Reason.TOPIC_TOO_LONG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Writes RocketMQ stored records (protocol doc 3.3), byte for byte what RocketMQ's own store
 * writes, since pulls hand them to clients verbatim. A record gets the V1 magic and a one-byte
 * topic length, or the V2 magic and a two-byte length when the topic is over 127 UTF-8 bytes
 * (RocketMQ counts characters there, which would overflow the one-byte length for a long non-ASCII
 * topic; counting bytes keeps every record decodable). The sysFlag IPv6 bits follow the actual
 * addresses, and BODYCRC is {@code CRC32(body) & 0x7FFFFFFF}.
 *
 * <p>Each call validates everything before it writes anything: on a {@link RecordException} the
 * output buffer is unchanged. Inputs are never consumed (reader indexes stay put) or released.
 *
 * <p>Stateless and thread-safe; the buffers passed in belong to the calling thread.
 */
public final class RecordEncoder {
  /** Longest topic: the V2 topic length is a signed short. */
  public static final int MAX_TOPIC_LENGTH = Short.MAX_VALUE;

  /** A batch entry's bytes besides body and properties: five ints and a short (doc 3.6). */
  static final int BATCH_ENTRY_OVERHEAD = 4 + 4 + 4 + 4 + 4 + 2;

  /** Longest body for which the record length cannot overflow an int. */
  private static final int MAX_BODY_LENGTH =
      Integer.MAX_VALUE
          - RecordLayout.recordLength(
              RecordLayout.FLAG_BORNHOST_V6 | RecordLayout.FLAG_STOREHOST_V6,
              0,
              MAX_TOPIC_LENGTH,
              RecordLayout.MAX_PROPERTIES_LENGTH);

  private RecordEncoder() {}

  /**
   * Appends the record of {@code draft} to {@code out}, with queue offset, physical offset and
   * store time 0 for the store to patch.
   *
   * @param maxBodySize the largest body accepted, in bytes
   * @return the record length (TOTALSIZE), the number of bytes written
   * @throws RecordException if the topic is empty or over {@value #MAX_TOPIC_LENGTH} bytes, the
   *     properties are over {@value RecordLayout#MAX_PROPERTIES_LENGTH} bytes or the body is over
   *     {@code maxBodySize}
   * @throws IllegalArgumentException if a host is null or unresolved
   */
  public static int encode(MessageDraft draft, ByteBuf out, int maxBodySize) {
    int bodyLength = draft.body().readableBytes();
    if (bodyLength > maxBodySize) {
      throw new RecordException(
          BODY_TOO_LARGE,
          "body of %d bytes is over the maximum of %d (topic %s)"
              .formatted(bodyLength, maxBodySize, draft.topic()));
    }
    return write(draft, 0, 0, 0, out);
  }

  /**
   * Appends {@code record} to {@code out} with its queue offset, physical offset and store time as
   * given. Its sysFlag IPv6 bits, body CRC and total size are recomputed, not taken from it. No
   * body size limit applies beyond what the format can hold.
   *
   * @return the record length, the number of bytes written
   * @throws RecordException if the topic or the properties do not fit the format
   * @throws IllegalArgumentException if a property name or value cannot be encoded (see {@link
   *     MessageProperties#encode})
   */
  public static int encode(MessageRecord record, ByteBuf out) {
    MessageDraft draft =
        new MessageDraft(
            record.topic(),
            record.queueId(),
            record.flag(),
            record.sysFlag(),
            record.bornTimestamp(),
            record.bornHost(),
            record.storeHost(),
            record.reconsumeTimes(),
            record.preparedTransactionOffset(),
            Unpooled.wrappedBuffer(record.bodyBuffer()),
            MessageProperties.encode(record.properties()));
    return write(
        draft, record.queueOffset(), record.physicalOffset(), record.storeTimestamp(), out);
  }

  /**
   * The length {@link #encode(MessageDraft, ByteBuf, int)} would write for {@code draft}, for
   * sizing a buffer.
   *
   * @throws RecordException if the topic or the properties do not fit the format
   */
  public static int recordLength(MessageDraft draft) {
    int topicLength = checkTopic(draft.topic(), utf8Length(draft.topic()));
    int propertiesLength = checkProperties(draft.properties());
    int sysFlag = Hosts.of(draft.bornHost(), draft.storeHost()).sysFlag(draft.sysFlag());
    return RecordLayout.recordLength(
        sysFlag, checkBodyLength(draft.body().readableBytes()), topicLength, propertiesLength);
  }

  /**
   * Appends one record per entry of a SEND_BATCH_MESSAGE body (protocol doc 3.6) to {@code out}:
   * same topic, queue, born and store fields, each entry's own flag, body and properties (copied
   * verbatim), prepared transaction offset 0, and queue offset, physical offset and store time 0
   * for the store to patch. An entry's magic and bodyCRC fields are ignored, as RocketMQ does.
   *
   * <p>The whole body is checked before anything is written: every entry must have its header,
   * non-negative body and properties lengths that stay inside the body, and a totalSize equal to
   * its actual length; there must be at least one entry.
   *
   * @param maxBodySize the largest body accepted per entry, in bytes
   * @return the number of records written
   * @throws RecordException {@code MALFORMED_BATCH} naming the entry, its byte position in the
   *     batch body and the bad length; or the topic and body errors of {@link #encode(MessageDraft,
   *     ByteBuf, int)}
   * @throws IllegalArgumentException if a host is null or unresolved
   */
  public static int encodeBatch(BatchDraft batch, ByteBuf out, int maxBodySize) {
    byte[] topic = batch.topic() == null ? null : batch.topic().getBytes(StandardCharsets.UTF_8);
    int topicLength = checkTopic(batch.topic(), topic == null ? 0 : topic.length);
    Hosts hosts = Hosts.of(batch.bornHost(), batch.storeHost());
    Shared shared =
        new Shared(
            magic(topicLength),
            batch.queueId(),
            0,
            0,
            hosts.sysFlag(batch.sysFlag()),
            batch.bornTimestamp(),
            hosts,
            0,
            batch.reconsumeTimes(),
            0);
    ByteBuf in = batch.entries();
    int total = batchLength(in, shared.sysFlag(), topicLength, maxBodySize);

    out.ensureWritable(total);
    int start = out.writerIndex();
    int count = 0;
    for (int at = in.readerIndex(); at < in.writerIndex(); count++) {
      int bodyIndex = at + 20;
      int bodyLength = in.getInt(at + 16);
      int propertiesLength = in.getShort(bodyIndex + bodyLength);
      int propertiesIndex = bodyIndex + bodyLength + 2;
      int length =
          RecordLayout.recordLength(shared.sysFlag(), bodyLength, topicLength, propertiesLength);
      shared.writeHeader(out, length, bodyCrc(in, bodyIndex, bodyLength), in.getInt(at + 12));
      out.writeInt(bodyLength);
      out.writeBytes(in, bodyIndex, bodyLength);
      writeTopicLength(out, shared.magic(), topicLength);
      out.writeBytes(topic);
      out.writeShort(propertiesLength);
      out.writeBytes(in, propertiesIndex, propertiesLength);
      at = propertiesIndex + propertiesLength;
    }
    checkWritten(out, start, total);
    return count;
  }

  /** RocketMQ's body CRC: {@code CRC32 & 0x7FFFFFFF} of {@code length} bytes at {@code index}. */
  static int bodyCrc(ByteBuf buf, int index, int length) {
    CRC32 crc = new CRC32();
    if (buf.hasArray()) {
      crc.update(buf.array(), buf.arrayOffset() + index, length);
    } else if (buf.nioBufferCount() > 0) {
      for (ByteBuffer b : buf.nioBuffers(index, length)) {
        crc.update(b);
      }
    } else {
      byte[] chunk = new byte[Math.min(length, 8192)];
      for (int done = 0; done < length; ) {
        int n = Math.min(chunk.length, length - done);
        buf.getBytes(index + done, chunk, 0, n);
        crc.update(chunk, 0, n);
        done += n;
      }
    }
    return (int) (crc.getValue() & 0x7FFFFFFF);
  }

  /** The raw address of {@code host}: 4 bytes for IPv4, 16 for IPv6. */
  static byte[] addressBytes(InetSocketAddress host, String name) {
    if (host == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    InetAddress address = host.getAddress();
    if (address == null) {
      throw new IllegalArgumentException(name + " " + host + " is unresolved");
    }
    return address.getAddress();
  }

  private static int write(
      MessageDraft d, long queueOffset, long physicalOffset, long storeTimestamp, ByteBuf out) {
    int topicLength = checkTopic(d.topic(), utf8Length(d.topic()));
    int propertiesLength = checkProperties(d.properties());
    Hosts hosts = Hosts.of(d.bornHost(), d.storeHost());
    Shared shared =
        new Shared(
            magic(topicLength),
            d.queueId(),
            queueOffset,
            physicalOffset,
            hosts.sysFlag(d.sysFlag()),
            d.bornTimestamp(),
            hosts,
            storeTimestamp,
            d.reconsumeTimes(),
            d.preparedTransactionOffset());
    ByteBuf body = d.body();
    int bodyIndex = body.readerIndex();
    int bodyLength = checkBodyLength(body.readableBytes());
    int length =
        RecordLayout.recordLength(shared.sysFlag(), bodyLength, topicLength, propertiesLength);

    out.ensureWritable(length);
    int start = out.writerIndex();
    shared.writeHeader(out, length, bodyCrc(body, bodyIndex, bodyLength), d.flag());
    out.writeInt(bodyLength);
    out.writeBytes(body, bodyIndex, bodyLength);
    writeTopicLength(out, shared.magic(), topicLength);
    ByteBufUtil.reserveAndWriteUtf8(out, d.topic(), topicLength);
    out.writeShort(propertiesLength);
    ByteBufUtil.reserveAndWriteUtf8(out, d.properties(), propertiesLength);
    checkWritten(out, start, length);
    return length;
  }

  /**
   * Checks every entry of a batch body and returns the length of the records they make.
   *
   * @throws RecordException if an entry is malformed or too large, there is none, or the records
   *     would not fit in 2 GiB
   */
  private static int batchLength(ByteBuf in, int sysFlag, int topicLength, int maxBodySize) {
    long total = 0;
    int count = 0;
    for (int at = in.readerIndex(); at < in.writerIndex(); count++) {
      int entryLength = checkEntry(in, at, count, maxBodySize);
      int bodyLength = in.getInt(at + 16);
      int propertiesLength = in.getShort(at + 20 + bodyLength);
      total += RecordLayout.recordLength(sysFlag, bodyLength, topicLength, propertiesLength);
      at += entryLength;
    }
    if (count == 0) {
      throw new RecordException(MALFORMED_BATCH, "batch body holds no entries");
    }
    if (total > Integer.MAX_VALUE) {
      throw new RecordException(
          BODY_TOO_LARGE, "batch of %d records needs %d bytes".formatted(count, total));
    }
    return (int) total;
  }

  /**
   * Checks entry {@code index}, which starts at byte {@code at} of {@code in}; returns its length.
   */
  private static int checkEntry(ByteBuf in, int at, int index, int maxBodySize) {
    int offset = at - in.readerIndex();
    int left = in.writerIndex() - at;
    if (left < BATCH_ENTRY_OVERHEAD) {
      throw malformed(
          index,
          offset,
          "only %d bytes left, an entry takes at least %d",
          left,
          BATCH_ENTRY_OVERHEAD);
    }
    int bodyLength = in.getInt(at + 16);
    int bodyLeft = left - BATCH_ENTRY_OVERHEAD;
    if (bodyLength < 0 || bodyLength > bodyLeft) {
      throw malformed(
          index,
          offset,
          "body length %d is outside 0..%d, what the batch body has left",
          bodyLength,
          bodyLeft);
    }
    if (bodyLength > maxBodySize) {
      throw new RecordException(
          BODY_TOO_LARGE,
          "batch entry %d at byte %d: body of %d bytes is over the maximum of %d"
              .formatted(index, offset, bodyLength, maxBodySize));
    }
    int propertiesLength = in.getShort(at + 20 + bodyLength);
    int propertiesLeft = bodyLeft - bodyLength;
    if (propertiesLength < 0 || propertiesLength > propertiesLeft) {
      throw malformed(
          index,
          offset,
          "properties length %d is outside 0..%d, what the batch body has left",
          propertiesLength,
          propertiesLeft);
    }
    int length = BATCH_ENTRY_OVERHEAD + bodyLength + propertiesLength;
    int totalSize = in.getInt(at);
    if (totalSize != length) {
      throw malformed(
          index,
          offset,
          "total size %d differs from its length %d (body %d, properties %d)",
          totalSize,
          length,
          bodyLength,
          propertiesLength);
    }
    return length;
  }

  /** The error for entry {@code index} at byte {@code offset} of the batch body. */
  private static RecordException malformed(int index, int offset, String format, Object... args) {
    return new RecordException(
        MALFORMED_BATCH,
        "batch entry %d at byte %d: ".formatted(index, offset) + format.formatted(args));
  }

  private static int utf8Length(String s) {
    return s == null ? 0 : ByteBufUtil.utf8Bytes(s);
  }

  private static int checkTopic(String topic, int utf8Length) {
    if (topic == null || topic.isEmpty()) {
      throw new RecordException(TOPIC_EMPTY, "topic is null or empty");
    }
    if (utf8Length > MAX_TOPIC_LENGTH) {
      throw new RecordException(
          TOPIC_TOO_LONG,
          "topic of %d UTF-8 bytes is over the maximum of %d"
              .formatted(utf8Length, MAX_TOPIC_LENGTH));
    }
    return utf8Length;
  }

  private static int checkProperties(String properties) {
    int length = ByteBufUtil.utf8Bytes(properties);
    if (length > RecordLayout.MAX_PROPERTIES_LENGTH) {
      throw new RecordException(
          PROPERTIES_TOO_LONG,
          "properties of %d UTF-8 bytes are over the maximum of %d"
              .formatted(length, RecordLayout.MAX_PROPERTIES_LENGTH));
    }
    return length;
  }

  private static int checkBodyLength(int bodyLength) {
    if (bodyLength > MAX_BODY_LENGTH) {
      throw new RecordException(
          BODY_TOO_LARGE,
          "body of %d bytes is over the format's maximum of %d"
              .formatted(bodyLength, MAX_BODY_LENGTH));
    }
    return bodyLength;
  }

  private static int magic(int topicLength) {
    return topicLength > RecordLayout.MAX_TOPIC_LENGTH_V1
        ? RecordLayout.MAGIC_V2
        : RecordLayout.MAGIC_V1;
  }

  private static void writeTopicLength(ByteBuf out, int magic, int topicLength) {
    if (magic == RecordLayout.MAGIC_V2) {
      out.writeShort(topicLength);
    } else {
      out.writeByte(topicLength);
    }
  }

  private static void checkWritten(ByteBuf out, int start, int expected) {
    int written = out.writerIndex() - start;
    if (written != expected) {
      throw new IllegalStateException(
          "wrote " + written + " bytes for a record of " + expected + " bytes");
    }
  }

  /** Header fields of one record, or of every record of a batch. */
  private record Shared(
      int magic,
      int queueId,
      long queueOffset,
      long physicalOffset,
      int sysFlag,
      long bornTimestamp,
      Hosts hosts,
      long storeTimestamp,
      int reconsumeTimes,
      long preparedTransactionOffset) {

    /** Fields 1 to 14 of the layout, up to the body length. */
    void writeHeader(ByteBuf out, int totalSize, int bodyCrc, int flag) {
      out.writeInt(totalSize);
      out.writeInt(magic);
      out.writeInt(bodyCrc);
      out.writeInt(queueId);
      out.writeInt(flag);
      out.writeLong(queueOffset);
      out.writeLong(physicalOffset);
      out.writeInt(sysFlag);
      out.writeLong(bornTimestamp);
      out.writeBytes(hosts.bornIp());
      out.writeInt(hosts.bornPort());
      out.writeLong(storeTimestamp);
      out.writeBytes(hosts.storeIp());
      out.writeInt(hosts.storePort());
      out.writeInt(reconsumeTimes);
      out.writeLong(preparedTransactionOffset);
    }
  }

  /** Raw born and store addresses, resolved once per record or batch. */
  private record Hosts(byte[] bornIp, int bornPort, byte[] storeIp, int storePort) {
    static Hosts of(InetSocketAddress born, InetSocketAddress store) {
      return new Hosts(
          addressBytes(born, "bornHost"),
          born.getPort(),
          addressBytes(store, "storeHost"),
          store.getPort());
    }

    /** {@code sysFlag} with the IPv6 bits set to match the addresses. */
    int sysFlag(int sysFlag) {
      int flags = sysFlag & ~(RecordLayout.FLAG_BORNHOST_V6 | RecordLayout.FLAG_STOREHOST_V6);
      if (bornIp.length == 16) {
        flags |= RecordLayout.FLAG_BORNHOST_V6;
      }
      if (storeIp.length == 16) {
        flags |= RecordLayout.FLAG_STOREHOST_V6;
      }
      return flags;
    }
  }
}
