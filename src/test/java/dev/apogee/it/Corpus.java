package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Test messages whose content is a function of their index, so a received message can be checked
 * field by field: tag, key, user properties (non-ASCII included) and body; every tenth body is 6
 * KiB, above the client's 4 KiB compression threshold.
 */
final class Corpus {
  static final String[] TAGS = {"TagA", "TagB", "TagC"};
  static final String INDEX = "idx";

  private Corpus() {}

  static String tag(int i) {
    return TAGS[i % TAGS.length];
  }

  static byte[] body(int i) {
    String head = "body-" + i + "-ünïcødé-";
    if (i % 10 != 0) {
      return head.getBytes(StandardCharsets.UTF_8);
    }
    byte[] b = new byte[6 * 1024];
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(h, 0, b, 0, h.length);
    for (int k = h.length; k < b.length; k++) {
      b[k] = (byte) ('a' + (k * 7 + i) % 26);
    }
    return b;
  }

  /** Message {@code i} of {@code prefix} for {@code topic}. */
  static Message message(String topic, String prefix, int i) {
    Message m = new Message(topic, tag(i), prefix + "-key-" + i, body(i));
    m.putUserProperty(INDEX, prefix + ":" + i);
    m.putUserProperty("größe", "wert-" + i + "-值");
    m.putUserProperty("plain", "v" + i);
    return m;
  }

  /** The identity of a received message, {@code prefix:i}, after checking all its fields. */
  static String check(MessageExt m) {
    String id = m.getUserProperty(INDEX);
    assertNotNull(id, () -> "message without index property: " + m);
    String prefix = id.substring(0, id.lastIndexOf(':'));
    int i = Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
    assertEquals(tag(i), m.getTags(), id);
    assertEquals(prefix + "-key-" + i, m.getKeys(), id);
    assertEquals("wert-" + i + "-值", m.getUserProperty("größe"), id);
    assertEquals("v" + i, m.getUserProperty("plain"), id);
    byte[] expected = body(i);
    if (!Arrays.equals(expected, m.getBody())) {
      assertArrayEquals(expected, m.getBody(), id + " body");
    }
    return id;
  }
}
