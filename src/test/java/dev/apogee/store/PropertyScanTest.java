package dev.apogee.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.apogee.store.message.MessageProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertyScanTest {
  private static ByteBuffer props(Map<String, String> m) {
    return ByteBuffer.wrap(MessageProperties.encode(m).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void hashesEveryKeyAsStringHashCodeOfTopicHashKey() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("a", "b");
    m.put(MessageProperties.KEYS, "order-1  clé-2 键3");
    m.put(MessageProperties.TAGS, "TagA");
    m.put(MessageProperties.UNIQ_KEY, "7F0000010000BE4C0000000000000001");
    ByteBuffer b = props(m);
    PropertyScan scan = new PropertyScan();
    scan.scan(b, 0, b.limit());
    String topic = "Tópico";
    int[] hashes = scan.keyHashes(topic.hashCode(), new int[1]);
    int[] expected = {
      (topic + "#7F0000010000BE4C0000000000000001").hashCode(),
      (topic + "#order-1").hashCode(),
      (topic + "#clé-2").hashCode(),
      (topic + "#键3").hashCode()
    };
    assertEquals(4, scan.keyCount);
    assertArrayEquals(expected, Arrays.copyOf(hashes, scan.keyCount));
    assertEquals("TagA".hashCode(), scan.tagsCode);
  }

  @Test
  void hashesANonAsciiTagLikeString() {
    ByteBuffer b = props(Map.of(MessageProperties.TAGS, "标签"));
    PropertyScan scan = new PropertyScan();
    scan.scan(b, 0, b.limit());
    assertEquals("标签".hashCode(), scan.tagsCode);
    assertFalse(scan.hasKeys());
  }
}
