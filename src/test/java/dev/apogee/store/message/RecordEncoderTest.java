package dev.apogee.store.message;

import static dev.apogee.store.message.TestRecords.BORN;
import static dev.apogee.store.message.TestRecords.BORN_TS;
import static dev.apogee.store.message.TestRecords.MAX_BODY;
import static dev.apogee.store.message.TestRecords.STORE;
import static dev.apogee.store.message.TestRecords.STORE_TS;
import static dev.apogee.store.message.TestRecords.WORKED_EXAMPLE_HEX;
import static dev.apogee.store.message.TestRecords.hex;
import static dev.apogee.store.message.TestRecords.ipv4;
import static dev.apogee.store.message.TestRecords.ipv6;
import static dev.apogee.store.message.TestRecords.unhex;
import static dev.apogee.store.message.TestRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {

  @Test
  void encodesWorkedExampleToItsBytesOnceTheStorePatchesOffsetsAndStoreTime() {
    ByteBuf out = Unpooled.buffer();
    int length = RecordEncoder.encode(TestRecords.workedExampleDraft(), out, MAX_BODY);

    assertEquals(109, length);
    assertEquals(0L, out.getLong(RecordLayout.POS_QUEUE_OFFSET));
    assertEquals(0L, out.getLong(RecordLayout.POS_PHYSICAL_OFFSET));
    assertEquals(0L, out.getLong(RecordLayout.posStoreTimestamp(0)));
    out.setLong(RecordLayout.POS_QUEUE_OFFSET, 5);
    out.setLong(RecordLayout.POS_PHYSICAL_OFFSET, 4096);
    out.setLong(RecordLayout.posStoreTimestamp(out.getInt(RecordLayout.POS_SYS_FLAG)), STORE_TS);
    assertEquals(WORKED_EXAMPLE_HEX.replace(" ", ""), hex(out));
  }

  @Test
  void encodesWorkedExampleFromARecordWithOffsetsAndStoreTimeAsGiven() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("a", "b");
    properties.put("TAGS", "TagA");
    MessageRecord record =
        new MessageRecord(
            "T1",
            1,
            0,
            5,
            4096,
            0,
            BORN_TS,
            BORN,
            STORE_TS,
            STORE,
            0,
            0,
            utf8("hi"),
            properties,
            0,
            0);
    ByteBuf out = Unpooled.buffer();

    assertEquals(109, RecordEncoder.encode(record, out));
    assertEquals(WORKED_EXAMPLE_HEX.replace(" ", ""), hex(out));
  }

  @Test
  void workedExampleHasTheDocumentedOffsetMessageId() {
    ByteBuffer record = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    assertEquals("0A00000100002A9F0000000000001000", MessageId.encode(STORE, 4096));
    assertEquals("0A00000100002A9F0000000000001000", MessageId.encode(record, 0));
    assertEquals("0A00000100002A9F0000000000001000", RecordDecoder.decode(record, 0).msgId());
  }

  @Test
  void recordLengthMatchesTheBytesWritten() {
    MessageDraft draft = TestRecords.draft("Topic-ü", new byte[1000], Map.of("KEYS", "k1 k2"));
    ByteBuf out = Unpooled.buffer();
    assertEquals(RecordEncoder.recordLength(draft), RecordEncoder.encode(draft, out, MAX_BODY));
    assertEquals(RecordEncoder.recordLength(draft), out.readableBytes());
  }

  @Test
  void appendsAfterWhatTheOutputAlreadyHolds() {
    ByteBuf out = Unpooled.buffer().writeLong(42);
    int length = RecordEncoder.encode(TestRecords.workedExampleDraft(), out, MAX_BODY);
    assertEquals(8 + length, out.writerIndex());
    assertEquals(42L, out.getLong(0));
    assertEquals(length, out.getInt(8));
  }

  @Test
  void leavesTheBodyReaderIndexWhereItWas() {
    ByteBuf body = Unpooled.wrappedBuffer(utf8("xxhello"));
    body.readerIndex(2);
    MessageDraft draft = new MessageDraft("T", 0, 0, 0, BORN_TS, BORN, STORE, 0, 0, body, "");
    ByteBuffer record = ByteBuffer.wrap(encodeToBytes(draft));
    assertEquals(2, body.readerIndex());
    assertArrayEquals(utf8("hello"), RecordDecoder.decode(record, 0).body());
  }

  @Test
  void computesTheSameCrcForHeapDirectAndCompositeBodies() {
    byte[] bytes = new byte[20_000];
    new Random(7).nextBytes(bytes);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    int expected = (int) (crc.getValue() & 0x7FFFFFFF);

    ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    CompositeByteBuf composite =
        Unpooled.compositeBuffer()
            .addComponent(true, Unpooled.wrappedBuffer(bytes, 0, 7000))
            .addComponent(true, Unpooled.directBuffer().writeBytes(bytes, 7000, 13_000));
    for (ByteBuf body : new ByteBuf[] {Unpooled.wrappedBuffer(bytes), direct, composite}) {
      MessageDraft draft = new MessageDraft("T", 0, 0, 0, BORN_TS, BORN, STORE, 0, 0, body, "");
      ByteBuffer record = ByteBuffer.wrap(encodeToBytes(draft));
      assertEquals(expected, RecordDecoder.bodyCrc(record, 0), body.getClass().getName());
      assertArrayEquals(bytes, RecordDecoder.decode(record, 0).body());
    }
    direct.release();
    composite.release();
  }

  @Test
  void usesV1MagicUpTo127TopicBytesAndV2Beyond() {
    assertEquals(RecordLayout.MAGIC_V1, magicForTopic("t".repeat(127)));
    assertEquals(RecordLayout.MAGIC_V2, magicForTopic("t".repeat(128)));
    // 64 characters but 128 UTF-8 bytes: the byte count decides
    assertEquals(RecordLayout.MAGIC_V2, magicForTopic("é".repeat(64)));
  }

  @Test
  void setsIpv6SysFlagBitsFromTheAddressesAndClearsWrongOnes() {
    var v6 = ipv6("2001:db8::1", 10911);
    assertEquals(RecordLayout.FLAG_BORNHOST_V6, sysFlagFor(0, v6, STORE));
    assertEquals(RecordLayout.FLAG_STOREHOST_V6, sysFlagFor(0, BORN, v6));
    assertEquals(
        0x30 | RecordLayout.FLAG_COMPRESSED, sysFlagFor(RecordLayout.FLAG_COMPRESSED, v6, v6));
    assertEquals(
        RecordLayout.TRANSACTION_PREPARED_TYPE,
        sysFlagFor(RecordLayout.TRANSACTION_PREPARED_TYPE | 0x30, BORN, STORE));
  }

  @Test
  void ipv6HostsTake20BytesEach() {
    var v6 = ipv6("2001:db8::1", 10911);
    MessageDraft v4Draft = TestRecords.workedExampleDraft();
    MessageDraft v6Draft =
        new MessageDraft(
            "T1",
            1,
            0,
            0,
            BORN_TS,
            v6,
            v6,
            0,
            0,
            Unpooled.wrappedBuffer(utf8("hi")),
            v4Draft.properties());
    assertEquals(109 + 24, RecordEncoder.recordLength(v6Draft));
    assertEquals(109 + 24, encodeToBytes(v6Draft).length);
  }

  @Test
  void rejectsAnEmptyOrNullTopic() {
    assertReason(RecordException.Reason.TOPIC_EMPTY, withTopic(""));
    assertReason(RecordException.Reason.TOPIC_EMPTY, withTopic(null));
  }

  @Test
  void acceptsATopicOf32767BytesAndRejectsOneMore() {
    MessageDraft longest = withTopic("t".repeat(32_767));
    assertEquals(32_767, RecordDecoder.topicLength(ByteBuffer.wrap(encodeToBytes(longest)), 0));
    RecordException e =
        assertReason(RecordException.Reason.TOPIC_TOO_LONG, withTopic("t".repeat(32_768)));
    assertTrue(e.getMessage().contains("32768"), e.getMessage());
    assertTrue(e.getMessage().contains("32767"), e.getMessage());
  }

  @Test
  void acceptsPropertiesOf32767BytesAndRejectsOneMore() {
    String longest = "K\u0001" + "v".repeat(32_764) + "\u0002";
    assertEquals(32_767, longest.length());
    MessageDraft ok = new MessageDraft("T", 0, 0, 0, BORN_TS, BORN, STORE, 0, 0, null, longest);
    ByteBuffer record = ByteBuffer.wrap(encodeToBytes(ok));
    assertEquals(32_767, RecordDecoder.propertiesLength(record, 0));

    // one two-byte character pushes the UTF-8 length over while the char count stays 32767
    String tooLong = "K\u0001" + "é" + "v".repeat(32_763) + "\u0002";
    MessageDraft bad = new MessageDraft("T", 0, 0, 0, BORN_TS, BORN, STORE, 0, 0, null, tooLong);
    RecordException e = assertReason(RecordException.Reason.PROPERTIES_TOO_LONG, bad);
    assertTrue(e.getMessage().contains("32768"), e.getMessage());
  }

  @Test
  void rejectsABodyOverTheMaximumAndAcceptsOneAtIt() {
    MessageDraft draft = TestRecords.draft("T", new byte[100], Map.of());
    assertEquals(
        RecordEncoder.recordLength(draft), RecordEncoder.encode(draft, Unpooled.buffer(), 100));
    ByteBuf out = Unpooled.buffer();
    RecordException e =
        assertThrows(RecordException.class, () -> RecordEncoder.encode(draft, out, 99));
    assertEquals(RecordException.Reason.BODY_TOO_LARGE, e.reason());
    assertTrue(e.getMessage().contains("100") && e.getMessage().contains("99"), e.getMessage());
  }

  @Test
  void writesNothingWhenTheInputIsRejected() {
    ByteBuf out = Unpooled.buffer().writeInt(1);
    assertThrows(
        RecordException.class,
        () -> RecordEncoder.encode(withTopic("t".repeat(40_000)), out, MAX_BODY));
    assertEquals(4, out.writerIndex());
  }

  @Test
  void rejectsAnUnresolvedHostNamingIt() {
    var unresolved = InetSocketAddress.createUnresolved("nowhere.invalid", 1);
    MessageDraft draft = new MessageDraft("T", 0, 0, 0, BORN_TS, unresolved, STORE, 0, 0, null, "");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecordEncoder.encode(draft, Unpooled.buffer(), MAX_BODY));
    assertTrue(e.getMessage().contains("bornHost"), e.getMessage());
  }

  private static int magicForTopic(String topic) {
    return RecordDecoder.magic(ByteBuffer.wrap(encodeToBytes(withTopic(topic))), 0);
  }

  private static int sysFlagFor(int sysFlag, InetSocketAddress born, InetSocketAddress store) {
    MessageDraft draft = new MessageDraft("T", 0, 0, sysFlag, BORN_TS, born, store, 0, 0, null, "");
    return RecordDecoder.sysFlag(ByteBuffer.wrap(encodeToBytes(draft)), 0);
  }

  private static MessageDraft withTopic(String topic) {
    return new MessageDraft(topic, 0, 0, 0, BORN_TS, ipv4("127.0.0.1", 1), STORE, 0, 0, null, "");
  }

  private static RecordException assertReason(RecordException.Reason reason, MessageDraft draft) {
    RecordException e =
        assertThrows(
            RecordException.class, () -> RecordEncoder.encode(draft, Unpooled.buffer(), MAX_BODY));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  static byte[] encodeToBytes(MessageDraft draft) {
    ByteBuf out = Unpooled.buffer();
    RecordEncoder.encode(draft, out, MAX_BODY);
    return ByteBufUtil.getBytes(out);
  }
}
