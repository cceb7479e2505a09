package dev.apogee.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.config.ConfigLoader.Loaded;
import dev.apogee.config.ConfigLoader.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The files under {@code conf/} load cleanly and document every key Apogee reads. */
class ShippedConfigTest {
  private static final Path BROKER_CONF = Path.of("conf", "broker.conf");
  private static final Path NAMESRV_CONF = Path.of("conf", "namesrv.conf");

  @Test
  void brokerConfLoadsWithoutWarnings() {
    Loaded loaded = ConfigLoader.load(Role.STANDALONE, BROKER_CONF, Map.of());

    assertEquals(List.of(), loaded.warnings());
  }

  @Test
  void namesrvConfLoadsWithoutWarnings() {
    Loaded loaded = ConfigLoader.load(Role.NAMESRV, NAMESRV_CONF, Map.of());

    assertEquals(List.of(), loaded.warnings());
  }

  @Test
  void brokerConfMentionsEveryKeyABrokerReads() throws IOException {
    ConfigSource probe = ConfigSource.of(Map.of());
    StoreConfig.from(probe);
    FlushConfig.from(probe);
    BrokerConfig.from(probe);

    assertMentionsAll(BROKER_CONF, probe.readKeys());
  }

  @Test
  void namesrvConfMentionsEveryKeyANameServerReads() throws IOException {
    ConfigSource probe = ConfigSource.of(Map.of());
    NameServerConfig.from(probe);

    assertMentionsAll(NAMESRV_CONF, probe.readKeys());
  }

  private static void assertMentionsAll(Path file, Set<String> keys) throws IOException {
    String text = Files.readString(file);
    for (String key : keys) {
      Pattern setting = Pattern.compile("(?m)^#?\\s*" + Pattern.quote(key) + "\\s*=");
      assertTrue(setting.matcher(text).find(), file + " does not mention " + key);
    }
  }
}
