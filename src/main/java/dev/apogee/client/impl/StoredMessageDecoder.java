package dev.apogee.client.impl;

import dev.apogee.client.ClientException;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.ReceivedMessage;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Decodes the stored records a PULL_MESSAGE answer carries (rocketmq-protocol.md 3.3), one after
 * another, into {@link ReceivedMessage}s: bodies inflated, inner batches unwrapped, a retried
 * message shown under its original topic. Stateless and thread-safe.
 */
public final class StoredMessageDecoder {
  /** Magic code of a record with a 1-byte topic length. */
  static final int MAGIC_V1 = 0xDAA320A7;

  /** Magic code of a record with a 2-byte topic length. */
  static final int MAGIC_V2 = 0xDAA320AB;

  /** sysFlag 0x10: the born host is IPv6. */
  private static final int FLAG_BORN_HOST_V6 = 0x10;

  /** sysFlag 0x20: the store host is IPv6. */
  private static final int FLAG_STORE_HOST_V6 = 0x20;

  /** Property naming the original topic of a message in a retry topic. */
  static final String PROPERTY_RETRY_TOPIC = "RETRY_TOPIC";

  static final String RETRY_TOPIC_PREFIX = "%RETRY%";

  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private StoredMessageDecoder() {}

  /**
   * Every message in {@code records} (readable bytes, left unchanged), read from a queue of {@code
   * brokerName}.
   *
   * @param offsetDelta added to every stored queue offset (a broker's static-topic remapping)
   * @throws ClientException when the bytes are not whole records
   */
  public static List<ReceivedMessage> decode(ByteBuf records, String brokerName, long offsetDelta) {
    List<ReceivedMessage> out = new ArrayList<>();
    ByteBuf in = records.duplicate();
    while (in.readableBytes() > 0) {
      int start = in.readerIndex();
      if (in.readableBytes() < 8) {
        throw malformed("a record header of " + in.readableBytes() + " bytes", start);
      }
      int totalSize = in.getInt(start);
      int magic = in.getInt(start + 4);
      if (magic != MAGIC_V1 && magic != MAGIC_V2) {
        throw malformed("magic code 0x" + Integer.toHexString(magic), start);
      }
      if (totalSize <= 8 || totalSize > in.readableBytes()) {
        throw malformed(
            "record size " + totalSize + " with " + in.readableBytes() + " bytes left", start);
      }
      try {
        decodeOne(in.slice(start, totalSize), magic, brokerName, offsetDelta, out);
      } catch (IndexOutOfBoundsException e) {
        throw malformed("fields running past the record's " + totalSize + " bytes", start);
      }
      in.readerIndex(start + totalSize);
    }
    return out;
  }

  private static void decodeOne(
      ByteBuf r, int magic, String brokerName, long offsetDelta, List<ReceivedMessage> out) {
    r.skipBytes(8);
    r.readInt(); // body CRC: not checked by clients
    int queueId = r.readInt();
    int flag = r.readInt();
    long queueOffset = r.readLong() + offsetDelta;
    long physicalOffset = r.readLong();
    int sysFlag = r.readInt();
    long bornTimestamp = r.readLong();
    byte[] bornIp = new byte[(sysFlag & FLAG_BORN_HOST_V6) != 0 ? 16 : 4];
    r.readBytes(bornIp);
    int bornPort = r.readInt();
    long storeTimestamp = r.readLong();
    byte[] storeIp = new byte[(sysFlag & FLAG_STORE_HOST_V6) != 0 ? 16 : 4];
    r.readBytes(storeIp);
    int storePort = r.readInt();
    int reconsumeTimes = r.readInt();
    r.readLong(); // prepared transaction offset
    byte[] body = new byte[r.readInt()];
    r.readBytes(body);
    int topicLength = magic == MAGIC_V2 ? r.readUnsignedShort() : r.readUnsignedByte();
    String storedTopic = r.readCharSequence(topicLength, StandardCharsets.UTF_8).toString();
    int propertiesLength = r.readUnsignedShort();
    Map<String, String> properties =
        MessageCodec.decodeProperties(
            r.readCharSequence(propertiesLength, StandardCharsets.UTF_8).toString());

    String topic = storedTopic;
    if (storedTopic.startsWith(RETRY_TOPIC_PREFIX)
        && properties.containsKey(PROPERTY_RETRY_TOPIC)) {
      topic = properties.get(PROPERTY_RETRY_TOPIC);
    }
    MessageQueue queue = new MessageQueue(storedTopic, brokerName, queueId);
    String offsetMsgId = offsetMsgId(storeIp, storePort, physicalOffset);
    String bornHost = host(bornIp, bornPort);
    String storeHost = host(storeIp, storePort);
    byte[] plain = MessageCodec.uncompressed(body, sysFlag);

    if ((sysFlag & MessageCodec.FLAG_INNER_BATCH) != 0
        && (sysFlag & MessageCodec.FLAG_NEED_UNWRAP) != 0) {
      ByteBuffer entries = ByteBuffer.wrap(plain);
      long offset = queueOffset;
      while (entries.hasRemaining()) {
        entries.getInt(); // entry size
        entries.getInt(); // magic
        entries.getInt(); // body CRC
        int entryFlag = entries.getInt();
        byte[] entryBody = new byte[entries.getInt()];
        entries.get(entryBody);
        byte[] props = new byte[entries.getShort() & 0xFFFF];
        entries.get(props);
        out.add(
            new ReceivedMessage(
                topic,
                queue,
                offset++,
                entryBody,
                MessageCodec.decodeProperties(new String(props, StandardCharsets.UTF_8)),
                entryFlag,
                sysFlag,
                offsetMsgId,
                physicalOffset,
                bornTimestamp,
                bornHost,
                storeTimestamp,
                storeHost,
                reconsumeTimes));
      }
      return;
    }
    out.add(
        new ReceivedMessage(
            topic,
            queue,
            queueOffset,
            plain,
            properties,
            flag,
            sysFlag,
            offsetMsgId,
            physicalOffset,
            bornTimestamp,
            bornHost,
            storeTimestamp,
            storeHost,
            reconsumeTimes));
  }

  /** Store host address, its port and the commit-log offset as upper-case hex (3.7). */
  static String offsetMsgId(byte[] storeIp, int storePort, long physicalOffset) {
    ByteBuffer b = ByteBuffer.allocate(storeIp.length + 4 + 8);
    b.put(storeIp).putInt(storePort).putLong(physicalOffset);
    return HEX.formatHex(b.array());
  }

  private static String host(byte[] ip, int port) {
    try {
      String address = InetAddress.getByAddress(ip).getHostAddress();
      return (ip.length == 16 ? "[" + address + "]" : address) + ":" + port;
    } catch (UnknownHostException e) {
      // getByAddress refuses only lengths other than 4 and 16, which the reads above rule out
      throw new IllegalStateException("address of " + ip.length + " bytes", e);
    }
  }

  private static ClientException malformed(String what, int at) {
    return new ClientException("pulled records are malformed: " + what + " at byte " + at);
  }
}
