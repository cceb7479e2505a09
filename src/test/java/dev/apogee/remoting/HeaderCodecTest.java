package dev.apogee.remoting;

import static dev.apogee.remoting.Frames.decodeOne;
import static dev.apogee.remoting.Frames.dump;
import static dev.apogee.remoting.Frames.encode;
import static dev.apogee.remoting.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The header samples of protocol 1.3 and 1.4, and what the header readers tolerate. */
class HeaderCodecTest {
  private static final String ROUTE_REQUEST_JSON =
      "{\"code\":105,\"extFields\":{\"topic\":\"T1\"},\"flag\":0,\"language\":\"JAVA\","
          + "\"opaque\":0,\"serializeTypeCurrentRPC\":\"JSON\",\"version\":0}";

  private static final String NO_ROUTE_RESPONSE_JSON =
      "{\"code\":17,\"flag\":1,\"language\":\"JAVA\",\"opaque\":7,"
          + "\"remark\":\"No topic route info in name server for the topic: T1\","
          + "\"serializeTypeCurrentRPC\":\"JSON\",\"version\":0}";

  @Test
  void jsonRequestSampleDecodesAndEncodesToTheSameBytes() throws Exception {
    byte[] sample =
        concat(dump("0000007e 0000007a"), ROUTE_REQUEST_JSON.getBytes(StandardCharsets.UTF_8));
    RemotingCommand cmd = decodeOne(sample);
    assertEquals(105, cmd.code());
    assertEquals(LanguageCode.JAVA, cmd.language());
    assertEquals(0, cmd.version());
    assertEquals(0, cmd.opaque());
    assertEquals(0, cmd.flag());
    assertNull(cmd.remark());
    assertEquals(Map.of("topic", "T1"), cmd.extFields());
    assertNull(cmd.body());
    assertEquals(SerializeType.JSON, cmd.serializeType());
    assertArrayEquals(sample, encode(cmd));
  }

  @Test
  void jsonResponseSampleWithoutExtFieldsRoundTrips() throws Exception {
    byte[] sample = frame(0, NO_ROUTE_RESPONSE_JSON);
    RemotingCommand cmd = decodeOne(sample);
    assertEquals(ResponseCode.TOPIC_NOT_EXIST, cmd.code());
    assertTrue(cmd.isResponse());
    assertEquals(7, cmd.opaque());
    assertEquals("No topic route info in name server for the topic: T1", cmd.remark());
    assertTrue(cmd.extFields().isEmpty());
    assertArrayEquals(sample, encode(cmd));
  }

  @Test
  void binarySampleDecodesAndEncodesToTheSameBytes() throws Exception {
    byte[] sample =
        dump(
            "00000026 01000022 0069 00 0000 00000000 00000000 00000000 0000000d"
                + " 0005 \"topic\" 00000002 \"T1\"");
    RemotingCommand cmd = decodeOne(sample);
    assertEquals(105, cmd.code());
    assertEquals(LanguageCode.JAVA, cmd.language());
    assertEquals(0, cmd.version());
    assertNull(cmd.remark());
    assertEquals(Map.of("topic", "T1"), cmd.extFields());
    assertEquals(SerializeType.ROCKETMQ, cmd.serializeType());
    assertArrayEquals(sample, encode(cmd));
  }

  @Test
  void jsonReaderAcceptsAnyKeyOrderExtraKeysAndMissingFields() throws Exception {
    String header =
        "{\"serializeTypeCurrentRPC\":\"JSON\",\"opaque\":42,\"unknown\":{\"a\":[1,2]},"
            + "\"flag\":2,\"code\":\"34\",\"version\":513}";
    RemotingCommand cmd = decodeOne(frame(0, header));
    assertEquals(34, cmd.code());
    assertEquals(42, cmd.opaque());
    assertTrue(cmd.isOneway());
    assertEquals(513, cmd.version());
    assertEquals(LanguageCode.JAVA, cmd.language(), "a missing language is JAVA");
    assertNull(cmd.remark());
    assertTrue(cmd.extFields().isEmpty());
  }

  @Test
  void jsonExtValuesBecomeStrings() throws Exception {
    String header =
        "{\"code\":10,\"extFields\":{\"queueId\":3,\"offset\":12345678901,\"flag\":true,"
            + "\"rate\":1.5,\"gone\":null,\"nested\":{\"x\":1}},\"language\":\"GO\"}";
    RemotingCommand cmd = decodeOne(frame(0, header));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("queueId", "3");
    expected.put("offset", "12345678901");
    expected.put("flag", "true");
    expected.put("rate", "1.5");
    expected.put("nested", "{\"x\":1}");
    assertEquals(expected, cmd.extFields());
    assertEquals(3, cmd.extInt("queueId"));
    assertEquals(12345678901L, cmd.extLong("offset"));
    assertEquals(LanguageCode.GO, cmd.language());
  }

  @Test
  void unknownLanguageDecodesAsOther() throws Exception {
    assertEquals(
        LanguageCode.OTHER, decodeOne(frame(0, "{\"code\":1,\"language\":\"COBOL\"}")).language());
    byte[] binary = frame(1, dump("0001 63 0000 00000000 00000000 00000000 00000000"), null);
    assertEquals(LanguageCode.OTHER, decodeOne(binary).language());
  }

  @Test
  void binaryZeroLengthStringsReadAsNull() throws Exception {
    // remark of length 0; one ext entry with an empty value, one with an empty key
    byte[] header =
        dump(
            "000a 00 0201 00000005 00000000 00000000 00000010"
                + " 0001 \"k\" 00000000 0000 00000003 \"v2x\"");
    RemotingCommand cmd = decodeOne(frame(1, header, null));
    assertNull(cmd.remark());
    assertTrue(cmd.extFields().isEmpty());
    assertEquals(0x0201, cmd.version());
    assertEquals(5, cmd.opaque());
  }

  @Test
  void writersSkipNullEntriesAndKeepOrder() throws Exception {
    for (SerializeType type : SerializeType.values()) {
      RemotingCommand cmd = RemotingCommand.request(RequestCode.SEND_MESSAGE_V2);
      cmd.setSerializeType(type);
      cmd.extFields().put("b", "2");
      cmd.extFields().put("skip", null);
      cmd.extFields().put("a", "ünïcødé 主题");
      cmd.setRemark("remarké");
      RemotingCommand back = decodeOne(encode(cmd));
      assertEquals(new LinkedHashMap<>(Map.of("b", "2", "a", "ünïcødé 主题")), back.extFields());
      assertEquals(java.util.List.of("b", "a"), java.util.List.copyOf(back.extFields().keySet()));
      assertEquals("remarké", back.remark());
      assertEquals(type, back.serializeType());
    }
  }

  @Test
  void binaryWriterRefusesACodeThatDoesNotFitSixteenBits() {
    RemotingCommand cmd = RemotingCommand.request(200050).setSerializeType(SerializeType.ROCKETMQ);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode(cmd));
    assertTrue(e.getMessage().contains("200050"), e.getMessage());
    // JSON has no such limit
    assertEquals(200050, assertDoesNotThrowDecode(cmd.setSerializeType(SerializeType.JSON)));
  }

  private static int assertDoesNotThrowDecode(RemotingCommand cmd) {
    try {
      return decodeOne(encode(cmd)).code();
    } catch (FrameException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
