package dev.apogee.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.rocketmq.common.MixAll;
import org.junit.jupiter.api.Test;

class PropertiesTextTest {

  @Test
  void writesOneSortedLinePerSettingAndLeavesOutUnsetOnes() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listenPort", "10911");
    settings.put("brokerName", "broker-a");
    settings.put("namesrvAddr", null);
    assertEquals("brokerName=broker-a\nlistenPort=10911\n", PropertiesText.format(settings));
  }

  @Test
  void valuesComeBackUnchangedThroughTheAdminToolsReader() throws Exception {
    Map<String, String> settings = new TreeMap<>();
    settings.put("plain", "/data/store");
    settings.put("windowsPath", "C:\\data\\store");
    settings.put("leadingSpace", "  two");
    settings.put("lines", "a\nb\r\tc");
    settings.put("accents", "dépôt – 東京");
    settings.put("separators", "a=b:c #d !e");
    settings.put("empty", "");
    settings.put("odd key=x", "v");
    String text = PropertiesText.format(settings);

    // The admin tool's reader: UTF-8 bytes loaded as ISO-8859-1 with escapes.
    Properties read = MixAll.string2Properties(text);
    Map<String, String> back = new TreeMap<>();
    read.stringPropertyNames().forEach(k -> back.put(k, read.getProperty(k)));
    assertEquals(settings, back);

    Properties viaStream = new Properties();
    viaStream.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals("dépôt – 東京", viaStream.getProperty("accents"));
  }

  @Test
  void readsWhatTheAdminToolWrites() {
    Properties p = new Properties();
    p.setProperty("enableTopicList", "false");
    p.setProperty("path", "/a b");
    assertEquals(
        Map.of("enableTopicList", "false", "path", "/a b"),
        PropertiesText.parse(MixAll.properties2String(p)));
    assertEquals(Map.of(), PropertiesText.parse("# only a comment\n\n"));
  }

  @Test
  void aMalformedEscapeIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PropertiesText.parse("k=\\uZZZZ\n"));
    assertEquals("Malformed \\uxxxx encoding.", e.getMessage());
  }
}
