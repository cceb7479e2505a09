package dev.apogee.store.message;

import static dev.apogee.store.message.TestRecords.BORN;
import static dev.apogee.store.message.TestRecords.BORN_TS;
import static dev.apogee.store.message.TestRecords.STORE;
import static dev.apogee.store.message.TestRecords.STORE_TS;
import static dev.apogee.store.message.TestRecords.WORKED_EXAMPLE_HEX;
import static dev.apogee.store.message.TestRecords.ipv6;
import static dev.apogee.store.message.TestRecords.unhex;
import static dev.apogee.store.message.TestRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {

  @Test
  void decodesEveryFieldOfTheWorkedExample() {
    MessageRecord r = RecordDecoder.decode(ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX)), 0);

    assertEquals("T1", r.topic());
    assertEquals(1, r.queueId());
    assertEquals(0, r.flag());
    assertEquals(5, r.queueOffset());
    assertEquals(4096, r.physicalOffset());
    assertEquals(0, r.sysFlag());
    assertEquals(BORN_TS, r.bornTimestamp());
    assertEquals(BORN, r.bornHost());
    assertEquals(STORE_TS, r.storeTimestamp());
    assertEquals(STORE, r.storeHost());
    assertEquals(0, r.reconsumeTimes());
    assertEquals(0, r.preparedTransactionOffset());
    assertArrayEquals(utf8("hi"), r.body());
    assertEquals(Map.of("a", "b", "TAGS", "TagA"), r.properties());
    assertEquals(0x58932aac, r.bodyCrc());
    assertEquals(109, r.totalSize());
    assertEquals("TagA", r.tags());
    assertEquals("TagA".hashCode(), r.tagsCode());
    assertNull(r.keys());
    assertNull(r.uniqKey());
  }

  @Test
  void roundTripsEveryFieldWithUnicodeTopicKeysAndProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(MessageProperties.KEYS, "订单-1 ключ-2 🔑");
    props.put(MessageProperties.TAGS, "标签");
    props.put(MessageProperties.UNIQ_KEY, "0A0000020C3C18B4AAC2650F0B1B0000");
    props.put("ünïcødé-name", "välue with \u0001 inside");
    MessageRecord in =
        new MessageRecord(
            "主题-Topic-🚀",
            7,
            0x7FFF_FFFF,
            123_456_789_012L,
            987_654_321_098L,
            RecordLayout.FLAG_COMPRESSED | 0x300,
            BORN_TS,
            BORN,
            STORE_TS,
            STORE,
            16,
            4242L,
            utf8("body-ß"),
            props,
            0,
            0);

    MessageRecord out = roundTrip(in);

    assertSameFields(in, out);
    assertEquals("订单-1 ключ-2 🔑", out.keys());
    assertEquals("标签", out.tags());
    assertEquals("0A0000020C3C18B4AAC2650F0B1B0000", out.uniqKey());
    assertEquals(props, out.properties());
  }

  @Test
  void roundTripsAnEmptyBodyAndNoProperties() {
    MessageRecord in = record("T", new byte[0], Map.of(), BORN, STORE);
    MessageRecord out = roundTrip(in);
    assertSameFields(in, out);
    assertEquals(0, out.bodyLength());
    assertEquals(RecordCheck.MIN_RECORD_LENGTH, out.totalSize());
    assertTrue(out.properties().isEmpty());
  }

  @Test
  void roundTripsA4MiBBody() {
    byte[] body = new byte[4 * 1024 * 1024];
    new Random(4).nextBytes(body);
    MessageRecord out = roundTrip(record("Big", body, Map.of("TAGS", "big"), BORN, STORE));
    assertArrayEquals(body, out.body());
    assertEquals(crc(body), out.bodyCrc());
  }

  @Test
  void roundTripsIpv6BornAndStoreHosts() {
    InetSocketAddress born = ipv6("2001:db8::2", 50000);
    InetSocketAddress store = ipv6("fe80::1:2:3:4", 10911);
    MessageRecord out = roundTrip(record("T6", utf8("v6"), Map.of(), born, store));
    assertEquals(born, out.bornHost());
    assertEquals(store, out.storeHost());
    assertEquals(RecordLayout.FLAG_BORNHOST_V6 | RecordLayout.FLAG_STOREHOST_V6, out.sysFlag());
    assertEquals(56, out.msgId().length());
  }

  @Test
  void roundTripsA200ByteTopicUnderTheV2Magic() {
    String topic = "x".repeat(150) + "ä".repeat(25);
    assertEquals(200, utf8(topic).length);
    ByteBuf buf = Unpooled.buffer();
    RecordEncoder.encode(record(topic, utf8("b"), Map.of("TAGS", "t"), BORN, STORE), buf);
    ByteBuffer bytes = ByteBuffer.wrap(ByteBufUtil.getBytes(buf));

    assertEquals(RecordLayout.MAGIC_V2, RecordDecoder.magic(bytes, 0));
    assertEquals(200, RecordDecoder.topicLength(bytes, 0));
    assertEquals(topic, RecordDecoder.topic(bytes, 0));
    assertEquals(topic, RecordDecoder.decode(bytes, 0).topic());
    assertEquals("t", RecordDecoder.property(bytes, 0, MessageProperties.TAGS));
  }

  @Test
  void readsHeaderFieldsInPlaceAtAnOffsetInADirectBufferWithoutMovingIt() {
    byte[] record = unhex(WORKED_EXAMPLE_HEX);
    ByteBuffer buf = ByteBuffer.allocateDirect(1000);
    buf.put(333, record);
    buf.position(17).limit(900);

    assertEquals(109, RecordDecoder.totalSize(buf, 333));
    assertEquals(RecordLayout.MAGIC_V1, RecordDecoder.magic(buf, 333));
    assertEquals(1, RecordDecoder.queueId(buf, 333));
    assertEquals(5, RecordDecoder.queueOffset(buf, 333));
    assertEquals(4096, RecordDecoder.physicalOffset(buf, 333));
    assertEquals(0, RecordDecoder.sysFlag(buf, 333));
    assertEquals(STORE_TS, RecordDecoder.storeTimestamp(buf, 333));
    assertEquals(STORE, RecordDecoder.storeHost(buf, 333));
    assertEquals(BORN, RecordDecoder.bornHost(buf, 333));
    assertEquals("T1", RecordDecoder.topic(buf, 333));
    assertEquals(2, RecordDecoder.bodyLength(buf, 333));
    assertEquals('h', buf.get(RecordDecoder.bodyPosition(buf, 333)));
    assertEquals(14, RecordDecoder.propertiesLength(buf, 333));
    assertEquals('a', buf.get(RecordDecoder.propertiesPosition(buf, 333)));
    assertEquals("TagA", RecordDecoder.property(buf, 333, MessageProperties.TAGS));
    assertEquals("0A00000100002A9F0000000000001000", MessageId.encode(buf, 333));
    assertEquals("T1", RecordDecoder.decode(buf, 333).topic());
    assertEquals(17, buf.position());
    assertEquals(900, buf.limit());
  }

  @Test
  void checkCrcAcceptsAnIntactBodyAndDetectsAFlippedBodyByte() {
    byte[] body = new byte[300];
    new Random(5).nextBytes(body);
    ByteBuf out = Unpooled.buffer();
    RecordEncoder.encode(record("T", body, Map.of(), BORN, STORE), out);
    ByteBuffer buf = ByteBuffer.wrap(ByteBufUtil.getBytes(out));
    assertTrue(RecordDecoder.checkCrc(buf, 0));

    int at = RecordDecoder.bodyPosition(buf, 0) + 123;
    buf.put(at, (byte) (buf.get(at) ^ 0x01));
    assertFalse(RecordDecoder.checkCrc(buf, 0));
  }

  @Test
  void rejectsBytesThatAreNotARecordWithMalformedRecord() {
    ByteBuffer zeros = ByteBuffer.allocate(200);
    RecordException e = assertThrows(RecordException.class, () -> RecordDecoder.decode(zeros, 0));
    assertEquals(RecordException.Reason.MALFORMED_RECORD, e.reason());

    byte[] truncated = unhex(WORKED_EXAMPLE_HEX);
    ByteBuffer cut = ByteBuffer.wrap(truncated, 0, 108).slice();
    assertEquals(
        RecordException.Reason.MALFORMED_RECORD,
        assertThrows(RecordException.class, () -> RecordDecoder.decode(cut, 0)).reason());
  }

  @Test
  void rejectsAHostPortOutsideTheValidRange() {
    ByteBuffer buf = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    buf.putInt(RecordLayout.POS_BORN_HOST + 4, 70_000);
    assertEquals(
        RecordException.Reason.MALFORMED_RECORD,
        assertThrows(RecordException.class, () -> RecordDecoder.decode(buf, 0)).reason());
  }

  @Test
  void recordCopiesItsBodyInAndOut() {
    byte[] body = utf8("abc");
    MessageRecord r = record("T", body, Map.of(), BORN, STORE);
    body[0] = 'z';
    r.body()[1] = 'z';
    assertArrayEquals(utf8("abc"), r.body());
    assertTrue(r.bodyBuffer().isReadOnly());
    assertThrows(UnsupportedOperationException.class, () -> r.properties().put("k", "v"));
  }

  private static MessageRecord record(
      String topic,
      byte[] body,
      Map<String, String> props,
      InetSocketAddress born,
      InetSocketAddress store) {
    return new MessageRecord(
        topic, 2, 9, 77, 8192, 0, BORN_TS, born, STORE_TS, store, 3, 0, body, props, 0, 0);
  }

  /** Encodes at an offset inside a larger buffer and decodes from there. */
  private static MessageRecord roundTrip(MessageRecord in) {
    ByteBuf out = Unpooled.buffer().writeZero(64);
    int length = RecordEncoder.encode(in, out);
    ByteBuffer buf = ByteBuffer.wrap(ByteBufUtil.getBytes(out));
    assertEquals(RecordCheck.Status.VALID, RecordCheck.check(buf, 64, true).status());
    MessageRecord decoded = RecordDecoder.decode(buf, 64);
    assertEquals(length, decoded.totalSize());
    return decoded;
  }

  private static void assertSameFields(MessageRecord in, MessageRecord out) {
    MessageRecord expected =
        new MessageRecord(
            in.topic(),
            in.queueId(),
            in.flag(),
            in.queueOffset(),
            in.physicalOffset(),
            in.sysFlag(),
            in.bornTimestamp(),
            in.bornHost(),
            in.storeTimestamp(),
            in.storeHost(),
            in.reconsumeTimes(),
            in.preparedTransactionOffset(),
            in.body(),
            in.properties(),
            crc(in.body()),
            out.totalSize());
    assertEquals(expected, out);
  }

  private static int crc(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return (int) (crc.getValue() & 0x7FFFFFFF);
  }
}
