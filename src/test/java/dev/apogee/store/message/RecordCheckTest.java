package dev.apogee.store.message;

import static dev.apogee.store.message.TestRecords.WORKED_EXAMPLE_HEX;
import static dev.apogee.store.message.TestRecords.unhex;
import static dev.apogee.store.message.TestRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordCheckTest {

  @Test
  void classifiesAWrittenRecordAsValidWithItsSize() {
    RecordCheck check = RecordCheck.check(ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX)), 0, true);
    assertEquals(new RecordCheck(RecordCheck.Status.VALID, 109, ""), check);
  }

  @Test
  void walksConsecutiveRecordsThenABlankMarkerThenZeros() {
    ByteBuf out = Unpooled.buffer();
    RecordEncoder.encode(TestRecords.draft("A", utf8("1"), Map.of()), out, 100);
    RecordEncoder.encode(TestRecords.draft("B", utf8("22"), Map.of("TAGS", "t")), out, 100);
    int blankAt = out.writerIndex();
    out.writeInt(300 - blankAt).writeInt(RecordLayout.MAGIC_BLANK).writeZero(300 - blankAt - 8);
    ByteBuffer file = ByteBuffer.wrap(ByteBufUtil.getBytes(out));

    int pos = 0;
    RecordCheck first = RecordCheck.check(file, pos, true);
    assertEquals(RecordCheck.Status.VALID, first.status());
    pos += first.size();
    RecordCheck second = RecordCheck.check(file, pos, true);
    assertEquals(RecordCheck.Status.VALID, second.status());
    pos += second.size();
    assertEquals(blankAt, pos);
    assertEquals(
        new RecordCheck(RecordCheck.Status.BLANK, 300 - blankAt, ""),
        RecordCheck.check(file, pos, true));
    RecordCheck zeros = RecordCheck.check(file, pos + 8, true);
    assertEquals(RecordCheck.Status.END, zeros.status());
    assertEquals("total size is zero", zeros.detail());
  }

  @Test
  void endsAtARecordCutShortByTheLimit() {
    ByteBuffer buf = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    RecordCheck check = RecordCheck.check(buf, 0, 108, true);
    assertEquals(RecordCheck.Status.END, check.status());
    assertTrue(check.detail().contains("109"), check.detail());
  }

  @Test
  void endsAtABadMagicNamingIt() {
    ByteBuffer buf = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    buf.putInt(RecordLayout.POS_MAGIC, 0x12345678);
    RecordCheck check = RecordCheck.check(buf, 0, false);
    assertEquals(RecordCheck.Status.END, check.status());
    assertTrue(check.detail().contains("12345678"), check.detail());
  }

  @Test
  void endsWhenTheInternalLengthsDisagreeWithTheTotalSize() {
    ByteBuffer grown = ByteBuffer.allocate(200);
    grown.put(0, unhex(WORKED_EXAMPLE_HEX));
    grown.putInt(0, 110);
    assertEquals(RecordCheck.Status.END, RecordCheck.check(grown, 0, false).status());

    ByteBuffer bodyTooLong = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    bodyTooLong.putInt(RecordLayout.posBodyLength(0), 3);
    assertEquals(RecordCheck.Status.END, RecordCheck.check(bodyTooLong, 0, false).status());

    ByteBuffer negativeBody = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    negativeBody.putInt(RecordLayout.posBodyLength(0), -2);
    assertEquals(RecordCheck.Status.END, RecordCheck.check(negativeBody, 0, false).status());

    ByteBuffer negativeProperties = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    negativeProperties.putShort(RecordLayout.posBodyLength(0) + 4 + 2 + 1 + 2, (short) -1);
    assertEquals(RecordCheck.Status.END, RecordCheck.check(negativeProperties, 0, false).status());
  }

  @Test
  void endsOnACrcMismatchOnlyWhenAskedToCheckIt() {
    ByteBuffer buf = ByteBuffer.wrap(unhex(WORKED_EXAMPLE_HEX));
    int body = RecordDecoder.bodyPosition(buf, 0);
    buf.put(body, (byte) 'H');
    assertEquals(RecordCheck.Status.VALID, RecordCheck.check(buf, 0, false).status());
    RecordCheck checked = RecordCheck.check(buf, 0, true);
    assertEquals(RecordCheck.Status.END, checked.status());
    assertTrue(checked.detail().contains("CRC"), checked.detail());
  }

  @Test
  void endsOnABlankMarkerClaimingMoreThanIsLeft() {
    ByteBuffer buf = ByteBuffer.allocate(64);
    buf.putInt(0, 65).putInt(4, RecordLayout.MAGIC_BLANK);
    assertEquals(RecordCheck.Status.END, RecordCheck.check(buf, 0, false).status());
    buf.putInt(0, 64);
    assertEquals(RecordCheck.Status.BLANK, RecordCheck.check(buf, 0, false).status());
  }

  @Test
  void endsWithFewerThanFourBytesLeft() {
    ByteBuffer buf = ByteBuffer.allocate(3);
    assertEquals(RecordCheck.Status.END, RecordCheck.check(buf, 0, true).status());
    assertEquals(RecordCheck.Status.END, RecordCheck.check(buf, 3, true).status());
  }

  @Test
  void neverThrowsOnRandomGarbage() {
    long seed = Long.getLong("apogee.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = new byte[random.nextInt(400)];
      random.nextBytes(bytes);
      if (bytes.length >= 8 && random.nextBoolean()) {
        // plausible headers reach the deeper checks more often than pure noise
        ByteBuffer.wrap(bytes)
            .putInt(0, random.nextInt(bytes.length + 8))
            .putInt(
                4,
                pick(
                    random,
                    RecordLayout.MAGIC_V1,
                    RecordLayout.MAGIC_V2,
                    RecordLayout.MAGIC_BLANK));
      }
      checkNeverThrows(ByteBuffer.wrap(bytes), random, seed, i);
    }
  }

  @Test
  void neverThrowsOnCorruptedCopiesOfRealRecords() {
    long seed = Long.getLong("apogee.seed", System.nanoTime());
    Random random = new Random(seed);
    byte[][] originals = {
      unhex(WORKED_EXAMPLE_HEX),
      TestRecords.encoded(TestRecords.draft("x".repeat(200), utf8("body"), Map.of("K", "v")))
          .array(),
      TestRecords.encoded(
              new MessageDraft(
                  "T6",
                  0,
                  0,
                  0,
                  1L,
                  TestRecords.ipv6("::1", 1),
                  TestRecords.ipv6("::2", 2),
                  0,
                  0,
                  null,
                  ""))
          .array()
    };
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = originals[random.nextInt(originals.length)].clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      checkNeverThrows(ByteBuffer.wrap(bytes), random, seed, i);
    }
  }

  /** Checks at a random position; a VALID verdict must also decode. */
  private static void checkNeverThrows(ByteBuffer buf, Random random, long seed, int iteration) {
    int pos = buf.limit() == 0 || random.nextInt(4) > 0 ? 0 : random.nextInt(buf.limit());
    try {
      RecordCheck check = RecordCheck.check(buf, pos, random.nextBoolean());
      if (check.status() == RecordCheck.Status.VALID) {
        assertTrue(check.size() >= RecordCheck.MIN_RECORD_LENGTH);
        assertTrue(pos + check.size() <= buf.limit());
        decodeAllowingOnlyBadPorts(buf, pos);
      } else if (check.status() == RecordCheck.Status.BLANK) {
        assertTrue(check.size() >= 8 && pos + check.size() <= buf.limit());
      } else {
        assertEquals(0, check.size());
      }
    } catch (RuntimeException | AssertionError e) {
      fail("seed " + seed + ", iteration " + iteration + ", pos " + pos + ": " + e, e);
    }
  }

  /** A structurally valid record may still carry a port over 65535; nothing else may fail. */
  private static void decodeAllowingOnlyBadPorts(ByteBuffer buf, int pos) {
    try {
      RecordDecoder.decode(buf, pos);
    } catch (RecordException e) {
      assertTrue(e.getMessage().contains("port"), e.getMessage());
    }
  }

  private static int pick(Random random, int... values) {
    return values[random.nextInt(values.length)];
  }
}
