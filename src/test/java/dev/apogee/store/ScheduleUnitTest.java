package dev.apogee.store;

import static dev.apogee.store.StoreFixture.await;
import static dev.apogee.store.StoreFixture.flushConfig;
import static dev.apogee.store.StoreFixture.props;
import static dev.apogee.store.StoreFixture.put;
import static dev.apogee.store.StoreFixture.storeConfig;
import static dev.apogee.store.StoreFixture.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apogee.store.message.MessageProperties;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delayed message's consume-queue unit in the schedule topic holds its due time (store time plus
 * its level's delay, the level clamped to the highest) where other units hold the tag hash, also
 * after the queues are rebuilt from the commit log.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ScheduleUnitTest {
  private static final String SCHEDULE = Dispatcher.SCHEDULE_TOPIC;
  private static final Map<String, String> LEVELS = Map.of("messageDelayLevel", "1s 5s 2m");

  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

  private MessageStore open(Vertx vertx) {
    return StoreFixture.open(
        vertx,
        storeConfig(dir, LEVELS),
        flushConfig(Map.of()),
        new MessageStore.Options(now::get, d -> 0.1));
  }

  @Test
  void scheduleUnitsCarryTheDueTimeAndOthersTheTagHash(Vertx vertx) {
    MessageStore s = open(vertx);
    await(s.put(put(SCHEDULE, 1, "b".getBytes(), delayed("2", "TagA"))));
    now.addAndGet(10);
    await(s.put(put(SCHEDULE, 2, "c".getBytes(), delayed("9", "TagA"))));
    await(s.put(put("Plain", 0, "p".getBytes(), delayed("2", "TagA"))));
    await(s.put(put(SCHEDULE, 0, "n".getBytes(), props(MessageProperties.TAGS, "TagA"))));
    until("dispatch", Duration.ofSeconds(10), () -> s.dispatchedOffset() >= s.commitLogMaxOffset());
    long t0 = 1_700_000_000_000L;
    assertEquals(t0 + 5_000, s.unitAt(SCHEDULE, 1, 0)[2], "level 2: 5 s after its store time");
    assertEquals(t0 + 10 + 120_000, s.unitAt(SCHEDULE, 2, 0)[2], "level 9 clamped to 3 (2 m)");
    assertEquals("TagA".hashCode(), s.unitAt("Plain", 0, 0)[2], "DELAY outside the schedule");
    assertEquals("TagA".hashCode(), s.unitAt(SCHEDULE, 0, 0)[2], "no DELAY: a tag hash");
    await(s.close());

    // Rebuilt from the log (no queues, no checkpoint): the same due times.
    deleteQueuesAndCheckpoint();
    MessageStore again = open(vertx);
    try {
      until(
          "dispatch",
          Duration.ofSeconds(10),
          () ->
              again.maxOffsetInQueue(SCHEDULE, 2) == 1 && again.maxOffsetInQueue(SCHEDULE, 1) == 1);
      assertEquals(t0 + 5_000, again.unitAt(SCHEDULE, 1, 0)[2]);
      assertEquals(t0 + 10 + 120_000, again.unitAt(SCHEDULE, 2, 0)[2]);
    } finally {
      await(again.close());
    }
  }

  private static Map<String, String> delayed(String level, String tag) {
    return props(MessageProperties.DELAY, level, MessageProperties.TAGS, tag);
  }

  private void deleteQueuesAndCheckpoint() {
    try (Stream<Path> files = Files.walk(dir.resolve("consumequeue"))) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
      Files.delete(dir.resolve("checkpoint"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
