package dev.apogee.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigSourceTest {

  @Test
  void envNameIsApogeePrefixPlusUpperSnakeCase() {
    assertEquals("APOGEE_FLUSH_DISK_TYPE", ConfigSource.envName("flushDiskType"));
    assertEquals("APOGEE_LISTEN_PORT", ConfigSource.envName("listenPort"));
    assertEquals("APOGEE_STORE_PATH_ROOT_DIR", ConfigSource.envName("storePathRootDir"));
  }

  @Test
  void envNameSplitsAcronymsAtTheirLastCapital() {
    assertEquals("APOGEE_CHECK_CRC_ON_RECOVER", ConfigSource.envName("checkCRCOnRecover"));
    assertEquals("APOGEE_BROKER_IP1", ConfigSource.envName("brokerIP1"));
    assertEquals("APOGEE_NAMESRV_ADDR", ConfigSource.envName("namesrvAddr"));
  }

  @Test
  void envNameTurnsDotsAndDashesIntoUnderscores() {
    assertEquals("APOGEE_A_B_C", ConfigSource.envName("a.b-c"));
  }

  @Test
  void environmentOverridesFileAndNamesItsVariableAsOrigin() {
    ConfigSource src =
        ConfigSource.of(
            Map.of("listenPort", "10921"),
            "broker.conf",
            Map.of("APOGEE_LISTEN_PORT", "10931"),
            Set.of("listenPort"));

    assertEquals(10931, src.integer("listenPort", 0));
    assertEquals("environment variable APOGEE_LISTEN_PORT", src.origin("listenPort"));
  }

  @Test
  void readKeysListsKeysAskedForEvenWhenAbsent() {
    ConfigSource src = ConfigSource.of(Map.of("a", "1"));
    src.string("b", "x");

    assertEquals(Set.of("b"), src.readKeys());
    assertEquals(Set.of("a"), src.unreadKeys());
  }
}
