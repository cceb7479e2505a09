package dev.apogee.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conventions {@link JsonOut} holds for every body. */
class JsonOutTest {

  @Test
  void refusesAFieldWrittenBeforeOneThatSortsEarlier() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ProtocolJson.writeString(o -> o.beginObject().field("b", 1).field("a", 2)));

    assertTrue(e.getMessage().contains("field a written after b"), e.getMessage());
  }

  @Test
  void refusesTheSameFieldTwice() {
    assertThrows(
        IllegalStateException.class,
        () ->
            ProtocolJson.writeString(o -> o.beginObject().field("a", 1).field("a", 2).endObject()));
  }

  @Test
  void sortsByCharacterCodeAsFastjsonDoes() {
    assertEquals(
        "{\"Z\":1,\"a\":2,\"aB\":3,\"ab\":4}",
        ProtocolJson.writeString(
            o ->
                o.beginObject()
                    .field("Z", 1)
                    .field("a", 2)
                    .field("aB", 3)
                    .field("ab", 4)
                    .endObject()));
  }

  @Test
  void eachNestedObjectHasItsOwnOrder() {
    JsonBody inner = o -> o.beginObject().field("a", 1).field("z", 2).endObject();

    assertEquals(
        "{\"m\":{\"a\":1,\"z\":2},\"n\":[{\"a\":1,\"z\":2},{\"a\":1,\"z\":2}]}",
        ProtocolJson.writeString(
            o ->
                o.beginObject()
                    .field("m", inner)
                    .field("n", List.of(inner, inner), JsonOut::value)
                    .endObject()));
  }

  @Test
  void leavesNullFieldsOutAndAlwaysWritesPrimitives() {
    assertEquals(
        "{\"flag\":false,\"n\":0,\"x\":0.0}",
        ProtocolJson.writeString(
            o ->
                o.beginObject()
                    .field("a", (String) null)
                    .field("b", (JsonBody) null)
                    .field("c", (TopicFilterType) null)
                    .field("d", (List<String>) null, JsonOut::value)
                    .field("e", (Map<String, String>) null, JsonOut::value)
                    .rawKeyField("f", (Map<MessageQueueKey, Long>) null, JsonOut::value)
                    .field("flag", false)
                    .field("n", 0)
                    .field("x", 0.0)
                    .endObject()));
  }

  @Test
  void writesEnumsByNameAndMapsInTheirOwnOrderWithStringKeys() {
    Map<Object, Long> map = new LinkedHashMap<>();
    map.put(10L, 1L);
    map.put("b", 2L);
    map.put(2, 3L);

    assertEquals(
        "{\"map\":{\"10\":1,\"b\":2,\"2\":3},\"type\":\"MULTI_TAG\"}",
        ProtocolJson.writeString(
            o ->
                o.beginObject()
                    .field("map", map, JsonOut::value)
                    .field("type", TopicFilterType.MULTI_TAG)
                    .endObject()));
  }

  @Test
  void writesRawObjectKeysInsideArraysAndNextToOtherFields() {
    Map<MessageQueueKey, Long> offsets = Map.of(new MessageQueueKey("T", "b", 0), 5L);
    JsonBody body =
        o ->
            o.beginObject()
                .field("a", "x")
                .rawKeyField("offsets", offsets, JsonOut::value)
                .field("z", List.of(new ResetOffsetBody(offsets)), JsonOut::value)
                .endObject();

    assertEquals(
        "{\"a\":\"x\",\"offsets\":{{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"T\"}:5},"
            + "\"z\":[{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"T\"}:5}}]}",
        ProtocolJson.writeString(body));
  }

  @Test
  void refusesABodyThatLeavesAnObjectOpenOrWritesAFieldOutsideOne() {
    assertThrows(
        IllegalStateException.class, () -> ProtocolJson.write(o -> o.beginObject().field("a", 1)));
    assertThrows(IllegalStateException.class, () -> ProtocolJson.write(o -> o.field("a", 1)));
  }

  @Test
  void refusesANullMapKey() {
    Map<String, String> map = new java.util.HashMap<>();
    map.put(null, "v");

    assertThrows(
        IllegalStateException.class,
        () -> ProtocolJson.write(o -> o.beginObject().field("m", map, JsonOut::value).endObject()));
  }

  @Test
  void prettyLayoutIsJacksonsDefault() {
    JsonBody body =
        o ->
            o.beginObject()
                .field("a", Map.<String, Long>of(), JsonOut::value)
                .field("b", Map.of("0", 5L), JsonOut::value)
                .endObject();

    assertEquals(
        "{\n  \"a\" : { },\n  \"b\" : {\n    \"0\" : 5\n  }\n}",
        new String(ProtocolJson.writePretty(body), StandardCharsets.UTF_8));
  }
}
