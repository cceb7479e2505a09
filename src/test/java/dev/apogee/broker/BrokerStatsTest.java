package dev.apogee.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BrokerStatsTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final long T0 =
      LocalDateTime.of(2026, 3, 1, 10, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

  @Test
  void ratesAreZeroBeforeTwoSamples() {
    BrokerStats s = new BrokerStats(UTC);
    assertEquals("0.00 0.00 0.00", s.putTps());
    s.putMessages(100);
    s.sample(T0);
    assertEquals("0.00 0.00 0.00", s.putTps());
  }

  @Test
  void ratesCoverTheirWindows() {
    BrokerStats s = new BrokerStats(UTC);
    s.sample(T0);
    // 600 seconds: 10 msg/s for the first 540, then 100 msg/s for the last 60.
    for (int sec = 1; sec <= 600; sec++) {
      s.putMessages(sec <= 540 ? 10 : 100);
      s.gotMessages(sec <= 540 ? 5 : 50);
      s.sample(T0 + sec * 1000L);
    }
    // 10 min: (540*10 + 60*100) / 600 = 19.
    assertEquals("100.00 100.00 19.00", s.putTps());
    assertEquals("50.00 50.00 9.50", s.getTransferredTps());
    assertEquals(540L * 10 + 60 * 100, s.putTotal());
  }

  @Test
  void aYoungBrokerReportsItsRateSinceStart() {
    BrokerStats s = new BrokerStats(UTC);
    s.sample(T0);
    for (int sec = 1; sec <= 5; sec++) {
      s.putMessages(20);
      s.sample(T0 + sec * 1000L);
    }
    assertEquals("20.00 20.00 20.00", s.putTps());
  }

  @Test
  void midnightRollsTheDailyTotals() {
    BrokerStats s = new BrokerStats(UTC);
    long evening =
        LocalDateTime.of(2026, 3, 1, 23, 59, 59).toInstant(ZoneOffset.UTC).toEpochMilli();
    s.putMessages(7);
    s.gotMessages(3);
    s.sample(evening);
    assertEquals(0, s.putTotalTodayMorning());
    s.putMessages(5);
    s.sample(evening + 2000); // 00:00:01 on 2 March
    assertEquals(12, s.putTotalTodayMorning());
    assertEquals(0, s.putTotalYesterdayMorning());
    assertEquals(3, s.getTotalTodayMorning());
    s.putMessages(1);
    s.sample(evening + 2000 + 86_400_000L); // the next midnight
    assertEquals(13, s.putTotalTodayMorning());
    assertEquals(12, s.putTotalYesterdayMorning());
  }

  @Test
  void topicsAndGroupsHaveTheirOwnItems() {
    BrokerStats s = new BrokerStats(UTC);
    s.putMessages("A", 2, 200);
    s.putMessages("B", 1, 50);
    s.putMessages(4);
    s.gotMessages("A", "g1", 2, 200);
    s.gotMessages("A", "g2", 1, 100);
    s.gotMessages("B", "g1", 1, 50);
    assertEquals(7, s.putTotal());
    assertEquals(4, s.getTotal());
    assertEquals(2, s.topicPuts("A").messages());
    assertEquals(250, s.brokerPuts().bytes());
    assertEquals(200, s.groupGets("A", "g1").bytes());
    assertNull(s.groupGets("A", "g3"));
    assertNull(s.topicPuts("C"));

    s.removeGroup("g1");
    assertNull(s.groupGets("A", "g1"));
    assertNull(s.groupGets("B", "g1"));
    assertEquals(1, s.groupGets("A", "g2").messages());
    s.removeTopic("A");
    assertNull(s.topicPuts("A"));
    assertNull(s.groupGets("A", "g2"));
    assertEquals(1, s.topicPuts("B").messages());
    assertEquals(7, s.putTotal(), "the broker's totals keep what was counted");
  }

  @Test
  void samplingSnapshotsEveryItemAtEachWindowsPeriod() {
    BrokerStats s = new BrokerStats(UTC);
    s.putMessages("A", 10, 0);
    s.sample(T0);
    for (int sec = 1; sec <= 70; sec++) {
      s.putMessages("A", 1, 0);
      s.sample(T0 + sec * 1000L);
    }
    long now = T0 + 70_000;
    // Minute snapshots at T0, T0+10 s, ..., T0+70 s; seven kept, the oldest at T0+10 s (20).
    StatsItem.Figures minute =
        s.topicPuts("A").figures(StatsItem.Window.MINUTE, StatsItem.Measure.MESSAGES, now);
    assertEquals(60, minute.sum());
    assertEquals(1.0, minute.tps(), 1e-9);
    // The hour window was sampled once, at T0, after its zero snapshot ten minutes earlier.
    assertEquals(
        80, s.topicPuts("A").figures(StatsItem.Window.HOUR, StatsItem.Measure.MESSAGES, now).sum());
    assertEquals(
        60, s.brokerPuts().figures(StatsItem.Window.MINUTE, StatsItem.Measure.MESSAGES, now).sum());
  }
}
