package dev.apogee.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelayLevelsTest {
  @Test
  void defaultIsRocketMqsEighteenLevelsFromOneSecondToTwoHours() {
    DelayLevels d = DelayLevels.DEFAULT;
    assertEquals(18, d.maxLevel());
    long[] expected = {
      1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000,
      480_000, 540_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000
    };
    for (int level = 1; level <= 18; level++) {
      assertEquals(expected[level - 1], d.millis(level), "level " + level);
    }
    assertEquals(DelayLevels.DEFAULT_LEVELS, d.toString());
  }

  @Test
  void parsesEveryUnitAndToleratesExtraSpaces() {
    DelayLevels d = DelayLevels.parse("  1s  2m 3h\t1d 0s ");
    assertEquals(5, d.maxLevel());
    assertEquals(1_000, d.millis(1));
    assertEquals(120_000, d.millis(2));
    assertEquals(3 * 3_600_000L, d.millis(3));
    assertEquals(86_400_000L, d.millis(4));
    assertEquals(0, d.millis(5));
    assertEquals("1s 2m 3h 1d 0s", d.toString());
  }

  @Test
  void levelsAboveTheLastAreClampedToIt() {
    DelayLevels d = DelayLevels.parse("1s 5s 10s");
    assertEquals(3, d.clamp(3));
    assertEquals(3, d.clamp(99));
    assertEquals(1, d.clamp(1));
    assertEquals(10_000, d.millis(99));
    assertEquals(1_700_000_010_000L, d.deliverTimestamp(42, 1_700_000_000_000L));
    assertEquals(1_700_000_005_000L, d.deliverTimestamp(2, 1_700_000_000_000L));
    assertThrows(IllegalArgumentException.class, () -> d.millis(0));
  }

  @Test
  void refusesEntriesWithoutAUnitOrNumberNamingTheLevel() {
    for (String bad : new String[] {"", "  ", "1s 5", "1s x5s", "1s -5s", "1w", "s", "1.5s"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> DelayLevels.parse(bad), bad);
      assertTrue(
          e.getMessage().contains("level") || e.getMessage().contains("no delay level"),
          e.getMessage());
    }
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> DelayLevels.parse("1s 2s 9x"))
            .getMessage()
            .contains("level 3 '9x'"));
    assertThrows(IllegalArgumentException.class, () -> DelayLevels.parse("99999999999999999999d"));
  }

  @Test
  void storeConfigReadsTheKeyAndNamesItWhenBad() {
    StoreConfig c = StoreConfig.of(Path.of("x"), Map.of("messageDelayLevel", "1s 1s 2s"));
    assertEquals(3, c.messageDelayLevel().maxLevel());
    assertEquals(DelayLevels.DEFAULT, StoreConfig.of(Path.of("x"), Map.of()).messageDelayLevel());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> StoreConfig.of(Path.of("x"), Map.of("messageDelayLevel", "1s 2x")));
    assertTrue(e.getMessage().contains("messageDelayLevel"), e.getMessage());
    assertTrue(e.getMessage().contains("level 2 '2x'"), e.getMessage());
  }
}
