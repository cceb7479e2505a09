package dev.apogee.broker.longpoll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class PullWaitersTest {
  private final List<String> ran = new ArrayList<>();
  private final Executor direct = Runnable::run;

  @Test
  void wakesOnlyPullsBehindTheNewMaxOffsetOfTheirQueue() {
    PullWaiters w = new PullWaiters();
    w.park("T", 0, 5, 10_000, "c1", direct, () -> ran.add("a"));
    w.park("T", 0, 7, 10_000, "c1", direct, () -> ran.add("b"));
    w.park("T", 1, 5, 10_000, "c1", direct, () -> ran.add("c"));
    w.arrived("T", 0, 6);
    assertEquals(List.of("a"), ran);
    w.arrived("T", 0, 8);
    assertEquals(List.of("a", "b"), ran);
    assertEquals(1, w.size());
  }

  @Test
  void answersAtTheDeadlineExactlyOnce() {
    PullWaiters w = new PullWaiters();
    w.park("T", 0, 5, 1_000, "c1", direct, () -> ran.add("a"));
    w.expire(999);
    assertEquals(List.of(), ran);
    w.expire(1_000);
    w.arrived("T", 0, 9);
    w.expire(2_000);
    assertEquals(List.of("a"), ran);
  }

  @Test
  void dropsTheHeldPullsOfAClosedConnection() {
    PullWaiters w = new PullWaiters();
    w.park("T", 0, 5, 1_000, "c1", direct, () -> ran.add("a"));
    w.park("T", 0, 5, 1_000, "c2", direct, () -> ran.add("b"));
    w.release("c1");
    w.arrived("T", 0, 9);
    assertEquals(List.of("b"), ran);
    assertEquals(0, w.size());
  }
}
