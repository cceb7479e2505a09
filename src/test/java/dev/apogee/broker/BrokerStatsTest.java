package dev.apogee.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
