package dev.apogee.store.message;

import static dev.apogee.store.message.TestRecords.BORN;
import static dev.apogee.store.message.TestRecords.BORN_TS;
import static dev.apogee.store.message.TestRecords.MAX_BODY;
import static dev.apogee.store.message.TestRecords.STORE;
import static dev.apogee.store.message.TestRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordEncoderBatchTest {
  private static final String TOPIC = "BatchTopic";

  @Test
  void writesOneRecordPerEntryWithItsOwnFlagBodyAndProperties() {
    ByteBuf body = Unpooled.buffer();
    entry(body, 1, utf8("first"), props("UNIQ_KEY", "U1", "TAGS", "a"));
    entry(body, 2, new byte[0], props("UNIQ_KEY", "U2"));
    entry(body, 3, utf8("third ✓"), props("UNIQ_KEY", "U3", "KEYS", "k1 k2"));
    ByteBuf out = Unpooled.buffer().writeInt(-1);

    assertEquals(3, RecordEncoder.encodeBatch(batch(body), out, MAX_BODY));

    ByteBuffer records = ByteBuffer.wrap(ByteBufUtil.getBytes(out));
    int pos = 4;
    String[][] expected = {{"first", "U1"}, {"", "U2"}, {"third ✓", "U3"}};
    for (int i = 0; i < 3; i++) {
      assertEquals(RecordCheck.Status.VALID, RecordCheck.check(records, pos, true).status());
      MessageRecord r = RecordDecoder.decode(records, pos);
      assertEquals(TOPIC, r.topic());
      assertEquals(5, r.queueId());
      assertEquals(i + 1, r.flag());
      assertEquals(0, r.queueOffset());
      assertEquals(0, r.physicalOffset());
      assertEquals(0, r.storeTimestamp());
      assertEquals(0, r.preparedTransactionOffset());
      assertEquals(BORN_TS, r.bornTimestamp());
      assertEquals(BORN, r.bornHost());
      assertEquals(STORE, r.storeHost());
      assertEquals(1, r.reconsumeTimes());
      assertArrayEquals(utf8(expected[i][0]), r.body());
      assertEquals(expected[i][1], r.uniqKey());
      pos += r.totalSize();
    }
    assertEquals(out.writerIndex(), pos);
    assertEquals("a", RecordDecoder.decode(records, 4).tags());
    assertEquals(0, body.readerIndex());
  }

  @Test
  void copiesEntryPropertiesVerbatimAndRecomputesTheBodyCrc() {
    ByteBuf body = Unpooled.buffer();
    String odd = "x\u0001\u0002k\u0001v";
    body.writeInt(22 + 2 + odd.length())
        .writeInt(0xCAFE)
        .writeInt(12345)
        .writeInt(0)
        .writeInt(2)
        .writeBytes(utf8("hi"))
        .writeShort(odd.length())
        .writeBytes(utf8(odd));
    ByteBuf out = Unpooled.buffer();
    RecordEncoder.encodeBatch(batch(body), out, MAX_BODY);
    ByteBuffer record = ByteBuffer.wrap(ByteBufUtil.getBytes(out));

    assertEquals(0x58932aac, RecordDecoder.bodyCrc(record, 0));
    assertEquals(
        odd,
        MessageProperties.utf8(
            record,
            RecordDecoder.propertiesPosition(record, 0),
            RecordDecoder.propertiesLength(record, 0)));
  }

  @Test
  void usesTheV2MagicAndIpv6FlagsForEveryRecord() {
    ByteBuf body = Unpooled.buffer();
    entry(body, 0, utf8("a"), "");
    entry(body, 0, utf8("b"), "");
    var v6 = TestRecords.ipv6("2001:db8::9", 9876);
    BatchDraft batch = new BatchDraft("t".repeat(300), 0, 0, BORN_TS, v6, STORE, 0, body);
    ByteBuf out = Unpooled.buffer();
    assertEquals(2, RecordEncoder.encodeBatch(batch, out, MAX_BODY));
    ByteBuffer records = ByteBuffer.wrap(ByteBufUtil.getBytes(out));
    int second = RecordDecoder.totalSize(records, 0);
    for (int pos : new int[] {0, second}) {
      assertEquals(RecordLayout.MAGIC_V2, RecordDecoder.magic(records, pos));
      assertEquals(RecordLayout.FLAG_BORNHOST_V6, RecordDecoder.sysFlag(records, pos));
      assertEquals(v6, RecordDecoder.bornHost(records, pos));
    }
  }

  @Test
  void rejectsATruncatedEntry() {
    ByteBuf body = twoEntries();
    body.writerIndex(body.writerIndex() - 1);
    assertMalformed(body, "batch entry 1");
  }

  @Test
  void rejectsTrailingBytesTooFewForAnEntryHeader() {
    ByteBuf body = twoEntries().writeZero(10);
    assertMalformed(body, "batch entry 2");
  }

  @Test
  void rejectsABodyLengthPointingPastTheEnd() {
    ByteBuf body = twoEntries();
    body.setInt(16, 1_000_000);
    assertMalformed(body, "body length 1000000");
  }

  @Test
  void rejectsAPropertiesLengthPointingPastTheEnd() {
    ByteBuf body = Unpooled.buffer();
    entry(body, 0, utf8("abc"), "k\u0001v\u0002");
    body.setShort(20 + 3, 100);
    assertMalformed(body, "properties length 100");
  }

  @Test
  void rejectsANegativeBodyLength() {
    ByteBuf body = twoEntries();
    body.setInt(16, -1);
    assertMalformed(body, "body length -1");
  }

  @Test
  void rejectsANegativePropertiesLength() {
    ByteBuf body = Unpooled.buffer();
    entry(body, 0, utf8("abc"), "k\u0001v\u0002");
    body.setShort(20 + 3, -2);
    assertMalformed(body, "properties length -2");
  }

  @Test
  void rejectsATotalSizeThatDisagreesWithTheEntry() {
    ByteBuf body = twoEntries();
    int second = body.getInt(0);
    body.setInt(second, body.getInt(second) + 1);
    assertMalformed(body, "total size");
  }

  @Test
  void rejectsAnEmptyBatchBody() {
    assertMalformed(Unpooled.EMPTY_BUFFER, "no entries");
  }

  @Test
  void rejectsAnEntryBodyOverTheMaximum() {
    ByteBuf out = Unpooled.buffer();
    RecordException e =
        assertThrows(
            RecordException.class, () -> RecordEncoder.encodeBatch(batch(twoEntries()), out, 3));
    assertEquals(RecordException.Reason.BODY_TOO_LARGE, e.reason());
    assertEquals(0, out.writerIndex());
  }

  @Test
  void readsOnlyTheReadableBytesOfTheBatchBody() {
    ByteBuf body = Unpooled.buffer().writeLong(-1L);
    entry(body, 9, utf8("z"), "");
    body.writeLong(-1L);
    body.readerIndex(8).writerIndex(body.writerIndex() - 8);
    ByteBuf out = Unpooled.buffer();
    assertEquals(1, RecordEncoder.encodeBatch(batch(body), out, MAX_BODY));
    assertEquals(9, RecordDecoder.flag(ByteBuffer.wrap(ByteBufUtil.getBytes(out)), 0));
    assertEquals(8, body.readerIndex());
  }

  private static void assertMalformed(ByteBuf body, String detail) {
    ByteBuf out = Unpooled.buffer().writeByte(7);
    RecordException e =
        assertThrows(
            RecordException.class, () -> RecordEncoder.encodeBatch(batch(body), out, MAX_BODY));
    assertEquals(RecordException.Reason.MALFORMED_BATCH, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(detail), e.getMessage());
    assertEquals(1, out.writerIndex(), "nothing written for a malformed batch");
  }

  private static ByteBuf twoEntries() {
    ByteBuf body = Unpooled.buffer();
    entry(body, 0, utf8("abc"), "k\u0001v\u0002");
    entry(body, 0, utf8("defg"), "");
    return body;
  }

  private static BatchDraft batch(ByteBuf body) {
    return new BatchDraft(TOPIC, 5, 0, BORN_TS, BORN, STORE, 1, body);
  }

  /** Appends one entry as the official client encodes it: magic and CRC 0. */
  private static void entry(ByteBuf body, int flag, byte[] bytes, String properties) {
    byte[] props = utf8(properties);
    body.writeInt(22 + bytes.length + props.length)
        .writeInt(0)
        .writeInt(0)
        .writeInt(flag)
        .writeInt(bytes.length)
        .writeBytes(bytes)
        .writeShort(props.length)
        .writeBytes(props);
  }

  private static String props(String... nameValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], nameValues[i + 1]);
    }
    return MessageProperties.encode(map);
  }
}
