package dev.apogee.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apogee.broker.StatsItem.Figures;
import dev.apogee.broker.StatsItem.Measure;
import dev.apogee.broker.StatsItem.Window;
import org.junit.jupiter.api.Test;

class StatsItemTest {
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void aYoungItemShowsEverythingItCountedOverItsFirstPeriod() {
    StatsItem item = new StatsItem();
    item.add(5, 500);
    item.add(3, 300);
    // Not sampled yet: as from a zero snapshot one period (10 s) back.
    assertEquals(new Figures(8, 0.8, 4.0), item.figures(Window.MINUTE, Measure.MESSAGES, T0));
    item.sample(Window.MINUTE, T0);
    Figures bytes = item.figures(Window.MINUTE, Measure.BYTES, T0 + 5_000);
    assertEquals(800, bytes.sum());
    assertEquals(800 * 1000.0 / 15_000, bytes.tps(), 1e-9);
    assertEquals(400.0, bytes.avgpt());
    // The hour window has its own zero snapshot, ten minutes back.
    assertEquals(
        new Figures(8, 8 * 1000.0 / 600_000, 4.0), item.figures(Window.HOUR, Measure.MESSAGES, T0));
  }

  @Test
  void aWindowForgetsWhatCameBeforeItsOldestSnapshot() {
    StatsItem item = new StatsItem();
    item.add(100, 0);
    item.sample(Window.MINUTE, T0);
    item.sample(Window.HOUR, T0);
    for (int k = 1; k <= 7; k++) {
      item.add(1, 0);
      item.sample(Window.MINUTE, T0 + k * 10_000L);
    }
    // Seven snapshots, T0+10 s (101) to T0+70 s (107): the 100 counted before them are gone.
    assertEquals(
        new Figures(6, 0.1, 1.0), item.figures(Window.MINUTE, Measure.MESSAGES, T0 + 70_000));
    // The hour window still starts at its zero snapshot.
    assertEquals(107, item.figures(Window.HOUR, Measure.MESSAGES, T0 + 70_000).sum());
  }

  @Test
  void countsSinceTheLastSnapshotAreIncluded() {
    StatsItem item = new StatsItem();
    item.sample(Window.DAY, T0);
    item.add(2, 10);
    item.add(4, 20);
    Figures f = item.figures(Window.DAY, Measure.MESSAGES, T0 + 1);
    assertEquals(6, f.sum());
    assertEquals(3.0, f.avgpt());
    assertEquals(new Figures(0, 0.0, 0.0), new StatsItem().figures(Window.DAY, Measure.BYTES, T0));
  }
}
