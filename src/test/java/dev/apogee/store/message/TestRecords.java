package dev.apogee.store.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/** Inputs and byte helpers shared by the codec tests. */
final class TestRecords {
  static final int MAX_BODY = 4 * 1024 * 1024;
  static final InetSocketAddress BORN = ipv4("10.0.0.2", 50000);
  static final InetSocketAddress STORE = ipv4("10.0.0.1", 10911);
  static final long BORN_TS = 1_700_000_000_000L;
  static final long STORE_TS = 1_700_000_000_001L;

  /** The worked example of protocol doc 3.3: 109 bytes. */
  static final String WORKED_EXAMPLE_HEX =
      "0000006d daa320a7 58932aac 00000001 00000000 0000000000000005 0000000000001000 00000000"
          + "0000018bcfe56800 0a000002 0000c350 0000018bcfe56801 0a000001 00002a9f 00000000"
          + " 0000000000000000 00000002 6869 02 5431 000e 6101620254414753015461674102";

  private TestRecords() {}

  static InetSocketAddress ipv4(String ip, int port) {
    return new InetSocketAddress(address(ip), port);
  }

  static InetSocketAddress ipv6(String ip, int port) {
    return new InetSocketAddress(address(ip), port);
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static byte[] unhex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  static String hex(ByteBuf buf) {
    return HexFormat.of().formatHex(ByteBufUtil.getBytes(buf));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The draft of the worked example: topic T1, body "hi", queue 1, a=b and TAGS=TagA. */
  static MessageDraft workedExampleDraft() {
    return new MessageDraft(
        "T1",
        1,
        0,
        0,
        BORN_TS,
        BORN,
        STORE,
        0,
        0,
        Unpooled.wrappedBuffer(utf8("hi")),
        "a\u0001b\u0002TAGS\u0001TagA\u0002");
  }

  static MessageDraft draft(String topic, byte[] body, Map<String, String> properties) {
    return new MessageDraft(
        topic,
        3,
        7,
        0,
        BORN_TS,
        BORN,
        STORE,
        2,
        0,
        Unpooled.wrappedBuffer(body),
        MessageProperties.encode(properties));
  }

  /** Encodes {@code draft} into a fresh heap buffer and returns its bytes as a ByteBuffer. */
  static ByteBuffer encoded(MessageDraft draft) {
    ByteBuf out = Unpooled.buffer();
    RecordEncoder.encode(draft, out, MAX_BODY);
    return ByteBuffer.wrap(ByteBufUtil.getBytes(out));
  }
}
