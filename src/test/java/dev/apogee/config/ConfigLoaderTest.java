package dev.apogee.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.config.ConfigLoader.Loaded;
import dev.apogee.config.ConfigLoader.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("broker.conf");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  private static Loaded load(Role role, Path file, Map<String, String> env) {
    return ConfigLoader.load(role, file, env);
  }

  @Test
  void readsRocketMqBrokerFile() throws IOException {
    Path f =
        file(
            "# a RocketMQ broker.conf",
            "brokerClusterName = DefaultCluster",
            "brokerName = broker-b",
            "brokerId = 1",
            "deleteWhen = 04",
            "fileReservedTime = 48",
            "brokerRole = SLAVE",
            "flushDiskType = SYNC_FLUSH",
            "listenPort = 10921",
            "namesrvAddr = 10.0.0.1:9876;10.0.0.2:9876",
            "brokerIP1 = 192.0.2.7",
            "storePathRootDir = /var/apogee/store",
            "autoCreateTopicEnable = false",
            "defaultTopicQueueNums = 4");

    Loaded loaded = load(Role.BROKER, f, Map.of());
    ApogeeConfig c = loaded.config();

    assertEquals(List.of(), loaded.warnings());
    assertEquals("broker-b", c.broker().brokerName());
    assertEquals(1, c.broker().brokerId());
    assertEquals(BrokerRole.SLAVE, c.broker().brokerRole());
    assertEquals(10921, c.broker().listenPort());
    assertEquals(List.of("10.0.0.1:9876", "10.0.0.2:9876"), c.broker().namesrvAddrList());
    assertEquals("192.0.2.7", c.broker().brokerIP1());
    assertEquals(false, c.broker().autoCreateTopicEnable());
    assertEquals(4, c.broker().defaultTopicQueueNums());
    assertEquals(FlushDiskType.SYNC_FLUSH, c.flush().flushDiskType());
    assertEquals(48, c.store().fileReservedTime());
    assertEquals(Path.of("/var/apogee/store"), c.store().storePathRootDir());
    assertEquals(NameServerConfig.DEFAULT_PORT, c.nameServer().listenPort());
  }

  @Test
  void defaultsWithoutFile() {
    ApogeeConfig c = load(Role.BROKER, null, Map.of()).config();

    assertEquals("DefaultCluster", c.broker().brokerClusterName());
    assertEquals("broker-a", c.broker().brokerName());
    assertEquals(0, c.broker().brokerId());
    assertNull(c.broker().namesrvAddr());
    assertEquals(10911, c.broker().listenPort());
    assertNotNull(c.broker().brokerIP1());
    assertTrue(c.broker().autoCreateTopicEnable());
    assertTrue(c.broker().autoCreateSubscriptionGroup());
    assertEquals(8, c.broker().defaultTopicQueueNums());
    assertEquals(BrokerRole.ASYNC_MASTER, c.broker().brokerRole());
    assertEquals(Path.of("./data"), c.store().storePathRootDir());
  }

  @Test
  void standaloneRegistersWithItsOwnNameServerUnlessTold() throws IOException {
    assertEquals(
        "127.0.0.1:9876", load(Role.STANDALONE, null, Map.of()).config().broker().namesrvAddr());
    Path f = file("namesrvAddr=192.0.2.1:9876");
    assertEquals(
        "192.0.2.1:9876", load(Role.STANDALONE, f, Map.of()).config().broker().namesrvAddr());
  }

  @Test
  void environmentOverridesFile() throws IOException {
    Path f = file("listenPort=10921", "brokerName=broker-b");

    ApogeeConfig c =
        load(
                Role.BROKER,
                f,
                Map.of("APOGEE_LISTEN_PORT", "10931", "APOGEE_BROKER_IP1", "192.0.2.9"))
            .config();

    assertEquals(10931, c.broker().listenPort());
    assertEquals("192.0.2.9", c.broker().brokerIP1());
    assertEquals("broker-b", c.broker().brokerName());
  }

  @Test
  void environmentOverridesDefaultWithoutFile() {
    ApogeeConfig c =
        load(Role.STANDALONE, null, Map.of("APOGEE_FLUSH_DISK_TYPE", "sync_flush")).config();

    assertEquals(FlushDiskType.SYNC_FLUSH, c.flush().flushDiskType());
  }

  @Test
  void badValueNamesKeyOriginValueAndReason() throws IOException {
    Path f = file("listenPort=ten");

    ConfigException e = assertThrows(ConfigException.class, () -> load(Role.BROKER, f, Map.of()));

    assertEquals(
        "invalid value 'ten' for listenPort (from " + f + "): expected an integer", e.getMessage());
  }

  @Test
  void badValueFromEnvironmentNamesTheVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> load(Role.BROKER, null, Map.of("APOGEE_BROKER_ROLE", "LEADER")));

    assertTrue(e.getMessage().contains("'LEADER'"), e.getMessage());
    assertTrue(e.getMessage().contains("brokerRole"), e.getMessage());
    assertTrue(e.getMessage().contains("environment variable APOGEE_BROKER_ROLE"), e.getMessage());
  }

  @Test
  void portOutOfRangeIsRejectedWithItsOrigin() throws IOException {
    Path f = file("listenPort=70000");

    ConfigException e = assertThrows(ConfigException.class, () -> load(Role.BROKER, f, Map.of()));

    assertEquals(
        "invalid value '70000' for listenPort (from " + f + "): expected a number from 0 to 65535",
        e.getMessage());
  }

  @Test
  void slaveNeedsBrokerIdAboveZero() throws IOException {
    Path f = file("brokerRole=SLAVE");

    ConfigException e = assertThrows(ConfigException.class, () -> load(Role.BROKER, f, Map.of()));

    assertTrue(e.getMessage().contains("brokerId"), e.getMessage());
    assertTrue(e.getMessage().contains("1 or more for a SLAVE"), e.getMessage());
  }

  @Test
  void malformedNamesrvAddrIsRejected() throws IOException {
    Path f = file("namesrvAddr=127.0.0.1");

    ConfigException e = assertThrows(ConfigException.class, () -> load(Role.BROKER, f, Map.of()));

    assertTrue(e.getMessage().contains("namesrvAddr"), e.getMessage());
  }

  @Test
  void missingFileIsAConfigError() {
    Path missing = dir.resolve("nope.conf");

    ConfigException e =
        assertThrows(ConfigException.class, () -> load(Role.BROKER, missing, Map.of()));

    assertEquals("config file " + missing + " not found", e.getMessage());
  }

  @Test
  void rocketMqSettingApogeeDoesNotUseIsReportedAsSuch() throws IOException {
    Path f = file("sendMessageThreadPoolNums=4", "brokerName=broker-a");

    Loaded loaded = load(Role.BROKER, f, Map.of());

    assertEquals(
        List.of(
            "RocketMQ setting 'sendMessageThreadPoolNums' (from "
                + f
                + ") is not used by Apogee and is ignored"),
        loaded.warnings());
  }

  @Test
  void unknownSettingIsReportedAsUnknown() throws IOException {
    Path f = file("brokerNmae=broker-b");

    Loaded loaded = load(Role.BROKER, f, Map.of());

    assertEquals(
        List.of("unknown setting 'brokerNmae' (from " + f + ") is ignored"), loaded.warnings());
    assertEquals("broker-a", loaded.config().broker().brokerName());
  }

  @Test
  void ignoredKeyOverriddenByEnvironmentNamesTheVariable() throws IOException {
    Path f = file("rocketmqHome=/opt/rocketmq");

    Loaded loaded = load(Role.BROKER, f, Map.of("APOGEE_ROCKETMQ_HOME", "/srv/rocketmq"));

    assertEquals(
        List.of(
            "RocketMQ setting 'rocketmqHome' (from environment variable APOGEE_ROCKETMQ_HOME)"
                + " is not used by Apogee and is ignored"),
        loaded.warnings());
  }

  @Test
  void nameServerFileSetsNameServerPortAndReportsBrokerKeys() throws IOException {
    Path f = file("listenPort=9877", "storePathRootDir=/tmp/x", "kvConfigPath=/tmp/kv.json");

    Loaded loaded = load(Role.NAMESRV, f, Map.of());

    assertEquals(9877, loaded.config().nameServer().listenPort());
    assertEquals(10911, loaded.config().broker().listenPort());
    assertEquals(
        List.of(
            "RocketMQ setting 'kvConfigPath' (from " + f + ") is not used by Apogee and is ignored",
            "RocketMQ setting 'storePathRootDir' (from "
                + f
                + ") is not used by Apogee and is ignored"),
        loaded.warnings());
  }

  @Test
  void everyKeyApogeeReadsIsARocketMqSetting() {
    ConfigSource probe = ConfigSource.of(Map.of());
    StoreConfig.from(probe);
    FlushConfig.from(probe);
    BrokerConfig.from(probe);
    NameServerConfig.from(probe);

    assertTrue(RocketMqSettings.size() > 400, "rocketmq-keys.txt looks truncated");
    for (String key : probe.readKeys()) {
      assertTrue(RocketMqSettings.contains(key), key + " is not a RocketMQ setting");
    }
  }
}
