package dev.apogee.store.message;

import static dev.apogee.store.message.TestRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessagePropertiesTest {

  @Test
  void encodesEntriesInOrderEachTerminatedAndSkipsNullValues() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("a", "b");
    props.put("skipped", null);
    props.put("TAGS", "TagA");
    assertEquals("a\u0001b\u0002TAGS\u0001TagA\u0002", MessageProperties.encode(props));
  }

  @Test
  void encodesNullOrEmptyMapAsEmptyString() {
    assertEquals("", MessageProperties.encode(null));
    assertEquals("", MessageProperties.encode(Map.of()));
  }

  @Test
  void encodesAnEmptyValueWhichDecodingThenDrops() {
    String encoded = MessageProperties.encode(Map.of("k", ""));
    assertEquals("k\u0001\u0002", encoded);
    assertTrue(MessageProperties.decode(encoded).isEmpty());
  }

  @Test
  void refusesNamesOrValuesThatWouldDecodeDifferently() {
    assertThrows(IllegalArgumentException.class, () -> MessageProperties.encode(Map.of("", "v")));
    assertThrows(
        IllegalArgumentException.class, () -> MessageProperties.encode(Map.of("a\u0001b", "v")));
    assertThrows(
        IllegalArgumentException.class, () -> MessageProperties.encode(Map.of("a\u0002b", "v")));
    assertThrows(
        IllegalArgumentException.class, () -> MessageProperties.encode(Map.of("k", "v\u0002w")));
    Map<String, String> nullName = new HashMap<>();
    nullName.put(null, "v");
    assertThrows(IllegalArgumentException.class, () -> MessageProperties.encode(nullName));
  }

  @Test
  void decodesNullAndEmptyToAnEmptyMap() {
    assertTrue(MessageProperties.decode(null).isEmpty());
    assertTrue(MessageProperties.decode("").isEmpty());
  }

  @Test
  void decodesALastEntryWithoutTerminator() {
    assertEquals(Map.of("a", "b", "c", "d"), MessageProperties.decode("a\u0001b\u0002c\u0001d"));
  }

  @Test
  void ignoresSegmentsShorterThanThreeOrWithoutASeparatorInside() {
    // "ab" too short, 0x01 "bc" separator first, "ab" 0x01 separator last, "abc" none
    String s = "ab\u0002\u0001bc\u0002ab\u0001\u0002abc\u0002\u0002k\u0001v\u0002";
    assertEquals(Map.of("k", "v"), MessageProperties.decode(s));
  }

  @Test
  void keepsFurtherSeparatorsInTheValueAndLetsTheLastDuplicateWin() {
    assertEquals(Map.of("k", "v\u0001w"), MessageProperties.decode("k\u0001v\u0001w\u0002"));
    assertEquals(Map.of("k", "2"), MessageProperties.decode("k\u00011\u0002k\u00012\u0002"));
  }

  @Test
  void roundTripsUnicodeNamesAndValues() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("KEYS", "订单 ключ 🔑");
    props.put("名前", "値");
    assertEquals(props, MessageProperties.decode(MessageProperties.encode(props)));
  }

  @Test
  void findsTagsKeysAndUniqKeyInPlaceInAStoredRecord() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(MessageProperties.KEYS, "k1 k2");
    props.put(MessageProperties.UNIQ_KEY, "7F0000010001B4AAC26F000000000000");
    props.put(MessageProperties.TAGS, "TagA");
    props.put(MessageProperties.WAIT, "true");
    ByteBuffer record = TestRecords.encoded(TestRecords.draft("T", utf8("x"), props));
    int pos = RecordDecoder.propertiesPosition(record, 0);
    int len = RecordDecoder.propertiesLength(record, 0);

    assertEquals("TagA", MessageProperties.find(record, pos, len, MessageProperties.TAGS));
    assertEquals("k1 k2", MessageProperties.find(record, pos, len, MessageProperties.KEYS));
    assertEquals(
        "7F0000010001B4AAC26F000000000000",
        MessageProperties.find(record, pos, len, MessageProperties.UNIQ_KEY));
    assertNull(MessageProperties.find(record, pos, len, MessageProperties.DELAY));
    // a name that is a prefix or suffix of a present one does not match
    assertNull(MessageProperties.find(record, pos, len, "TAG"));
    assertNull(MessageProperties.find(record, pos, len, "AGS"));
    assertEquals(0, record.position());
  }

  @Test
  void findsInADirectBufferAndWithANonAsciiName() {
    byte[] bytes = utf8("xx名前\u0001値\u0002TAGS\u0001é\u0002yy");
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    int len = bytes.length - 4;
    assertEquals("値", MessageProperties.find(direct, 2, len, "名前"));
    assertEquals("é", MessageProperties.find(direct, 2, len, "TAGS"));
    assertNull(MessageProperties.find(direct, 2, len, "yy"));
  }

  @Test
  void findRejectsARangeOutsideTheBuffer() {
    ByteBuffer buf = ByteBuffer.allocate(10);
    assertThrows(IndexOutOfBoundsException.class, () -> MessageProperties.find(buf, 5, 6, "TAGS"));
  }

  @Test
  void findAgreesWithDecodeOnRandomStrings() {
    long seed = Long.getLong("apogee.seed", System.nanoTime());
    Random random = new Random(seed);
    char[] alphabet = {'\u0001', '\u0002', 'a', 'b', 'K', 'é', '€', '\uD83D', '\uDE80'};
    String[] names = {"a", "b", "K", "ab", "aK", "é", "€", "a\u0001", "🚀", "TAGS"};
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(30);
      for (int j = 0; j < length; j++) {
        sb.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String s = sb.toString();
      byte[] bytes = utf8(s);
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      Map<String, String> decoded =
          MessageProperties.decode(new String(bytes, StandardCharsets.UTF_8));
      for (String name : names) {
        assertEquals(
            decoded.get(name),
            MessageProperties.find(buf, 0, bytes.length, name),
            () -> "seed " + seed + ", input " + escape(s) + ", name " + escape(name));
      }
    }
  }

  @Test
  void tagsCodeIsTheTagHashOrZeroWithoutTag() {
    assertEquals(0, MessageProperties.tagsCode(null));
    assertEquals(0, MessageProperties.tagsCode(""));
    assertEquals("TagA".hashCode(), MessageProperties.tagsCode("TagA"));
    assertEquals("负".hashCode(), MessageProperties.tagsCode("负"));
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
