package dev.apogee.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {
  private static final long STARTED = 1_700_000_000_000L;
  private final AtomicLong now = new AtomicLong(STARTED + 5_000);

  private RuntimeSettings settings() {
    Map<String, String> shown = new TreeMap<>();
    shown.put("brokerName", "broker-a");
    shown.put("namesrvAddr", null);
    return RuntimeSettings.builder("broker", STARTED, now::get)
        .fixed(shown)
        .readAtStart(Set.of("flushDiskType"))
        .blackList(List.of("rocketmqHome"))
        .live("autoDeleteUnusedStats", "true", RuntimeSettings.BOOLEAN)
        .live("validateSystemTopicWhenUpdateTopic", "TRUE", RuntimeSettings.BOOLEAN)
        .build();
  }

  @Test
  void showsStartValuesAndLiveValuesButNoUnsetOnes() {
    RuntimeSettings s = settings();
    assertEquals(
        Map.of(
            "autoDeleteUnusedStats", "true",
            "brokerName", "broker-a",
            "validateSystemTopicWhenUpdateTopic", "true"),
        s.all());
    assertEquals(
        Set.of("autoDeleteUnusedStats", "validateSystemTopicWhenUpdateTopic"), s.liveKeys());
    assertEquals(new RuntimeSettings.Version(STARTED, 0), s.version());
  }

  @Test
  void anUpdateChangesLiveSettingsAndMovesTheVersionOn() {
    RuntimeSettings s = settings();
    assertTrue(s.update(Map.of("autoDeleteUnusedStats", " False ")).isEmpty());
    assertFalse(s.on("autoDeleteUnusedStats"));
    assertEquals("false", s.all().get("autoDeleteUnusedStats"));
    assertEquals(new RuntimeSettings.Version(STARTED + 5_000, 1), s.version());
    now.addAndGet(1_000);
    assertTrue(s.update(Map.of("autoDeleteUnusedStats", "true")).isEmpty());
    assertTrue(s.on("autoDeleteUnusedStats"));
    assertEquals(new RuntimeSettings.Version(STARTED + 6_000, 2), s.version());
    assertTrue(s.update(Map.of()).isEmpty());
    assertEquals(2, s.version().counter(), "an empty update changes nothing");
  }

  @Test
  void eachKeyThatCannotChangeIsRefusedWithItsReason() {
    RuntimeSettings s = settings();
    assertRefused(s, "brokerName", RuntimeSettings.Refusal.READ_AT_START, "only at start");
    assertRefused(s, "namesrvAddr", RuntimeSettings.Refusal.READ_AT_START, "only at start");
    assertRefused(s, "flushDiskType", RuntimeSettings.Refusal.READ_AT_START, "only at start");
    assertRefused(s, "sendMessageThreadPoolNums", RuntimeSettings.Refusal.NOT_USED, "does not use");
    assertRefused(
        s, "noSuchSetting", RuntimeSettings.Refusal.UNKNOWN, "not a setting of this broker");
    RuntimeSettings.Rejection black = s.update(Map.of("rocketmqHome", "/x")).orElseThrow();
    assertEquals(RuntimeSettings.Refusal.BLACK_LIST, black.reason());
    assertEquals("Can not update config in black list.", black.message());
    RuntimeSettings.Rejection bad =
        s.update(Map.of("autoDeleteUnusedStats", "maybe")).orElseThrow();
    assertEquals(RuntimeSettings.Refusal.BAD_VALUE, bad.reason());
    assertEquals(
        "Can not update config autoDeleteUnusedStats to 'maybe': expected true or false",
        bad.message());
  }

  private static void assertRefused(
      RuntimeSettings s, String key, RuntimeSettings.Refusal reason, String text) {
    RuntimeSettings.Rejection r = s.update(Map.of(key, "1")).orElseThrow();
    assertEquals(key, r.key());
    assertEquals(reason, r.reason());
    assertTrue(r.message().startsWith("Can not update config " + key + ": "), r.message());
    assertTrue(r.message().contains(text), r.message());
    assertTrue(
        r.message()
            .endsWith(
                "the settings that change while it runs are autoDeleteUnusedStats,"
                    + " validateSystemTopicWhenUpdateTopic"),
        r.message());
  }

  @Test
  void aRefusedUpdateChangesNothing() {
    RuntimeSettings s = settings();
    RuntimeSettings.Rejection r =
        s.update(Map.of("autoDeleteUnusedStats", "false", "brokerName", "b")).orElseThrow();
    assertEquals("brokerName", r.key());
    assertTrue(s.on("autoDeleteUnusedStats"));
    assertEquals(0, s.version().counter());
  }

  @Test
  void aLiveSettingMustStartWithAValueOfItsKind() {
    RuntimeSettings.Builder b = RuntimeSettings.builder("broker", STARTED, now::get);
    assertThrows(IllegalArgumentException.class, () -> b.live("x", "yes", RuntimeSettings.BOOLEAN));
  }

  @Test
  void knowsTheKeysEachRoleReadsAtStart() {
    Set<String> broker = RuntimeSettings.keysReadAtStart(ConfigLoader.Role.BROKER);
    assertTrue(
        broker.containsAll(
            Set.of("brokerName", "listenPort", "storePathRootDir", "flushDiskType", "gatewayPort")),
        broker.toString());
    assertEquals(Set.of("listenPort"), RuntimeSettings.keysReadAtStart(ConfigLoader.Role.NAMESRV));
  }
}
