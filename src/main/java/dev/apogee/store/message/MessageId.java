package dev.apogee.store.message;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * RocketMQ's offset message id (protocol doc 3.7): store host address (4 or 16 bytes), store host
 * port (int) and commit-log physical offset (long), as upper-case hex: 32 characters for IPv4, 56
 * for IPv6. It says where a record lives; the broker returns it as {@code msgId} of a SEND and
 * looks records up by it for VIEW_MESSAGE_BY_ID.
 *
 * <p>Stateless and thread-safe.
 */
public final class MessageId {
  /** Length of an id whose store host is IPv4. */
  public static final int IPV4_LENGTH = 32;

  /** Length of an id whose store host is IPv6. */
  public static final int IPV6_LENGTH = 56;

  /** A decoded id: the store host and the record's commit-log offset. */
  public record Decoded(InetSocketAddress storeHost, long physicalOffset) {}

  private MessageId() {}

  /**
   * Encodes the id of the record at {@code physicalOffset} stored on {@code storeHost}.
   *
   * @throws IllegalArgumentException if {@code storeHost} is unresolved
   */
  public static String encode(InetSocketAddress storeHost, long physicalOffset) {
    byte[] ip = RecordEncoder.addressBytes(storeHost, "storeHost");
    char[] id = new char[(ip.length + 4 + 8) * 2];
    int p = Hex.write(id, 0, ip);
    p = Hex.write(id, p, storeHost.getPort(), 4);
    Hex.write(id, p, physicalOffset, 8);
    return new String(id);
  }

  /**
   * Encodes the id of the stored record at absolute index {@code pos} of {@code buf} from its store
   * host and physical offset fields, without moving the buffer.
   */
  public static String encode(ByteBuffer buf, int pos) {
    int sysFlag = buf.getInt(pos + RecordLayout.POS_SYS_FLAG);
    int hostPos = pos + RecordLayout.posStoreHost(sysFlag);
    int ipLength = RecordLayout.storeHostLength(sysFlag) - 4;
    char[] id = new char[(ipLength + 4 + 8) * 2];
    int p = 0;
    for (int i = 0; i < ipLength + 4; i++) {
      p = Hex.write(id, p, buf.get(hostPos + i), 1);
    }
    Hex.write(id, p, buf.getLong(pos + RecordLayout.POS_PHYSICAL_OFFSET), 8);
    return new String(id);
  }

  /**
   * Decodes an offset message id; upper and lower case are accepted.
   *
   * @throws IllegalArgumentException if {@code id} is null, not 32 or 56 characters long, holds a
   *     character that is not a hex digit, or carries a port outside 0..65535
   */
  public static Decoded decode(String id) {
    if (id == null) {
      throw new IllegalArgumentException("message id is null");
    }
    if (id.length() != IPV4_LENGTH && id.length() != IPV6_LENGTH) {
      throw new IllegalArgumentException(
          "message id \"%s\" has %d characters, expected %d (IPv4) or %d (IPv6)"
              .formatted(id, id.length(), IPV4_LENGTH, IPV6_LENGTH));
    }
    ByteBuffer bytes = ByteBuffer.wrap(Hex.decode(id));
    byte[] ip = new byte[id.length() == IPV4_LENGTH ? 4 : 16];
    bytes.get(ip);
    int port = bytes.getInt();
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException(
          "message id \"" + id + "\" carries port " + port + ", outside 0..65535");
    }
    long offset = bytes.getLong();
    try {
      return new Decoded(new InetSocketAddress(InetAddress.getByAddress(ip), port), offset);
    } catch (UnknownHostException e) {
      // getByAddress fails only for a wrong array length, which the length check above rules out
      throw new IllegalStateException("address of " + ip.length + " bytes rejected", e);
    }
  }
}
