package dev.apogee.store.message;

import static dev.apogee.store.message.TestRecords.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UniqIdGeneratorTest {
  /** 2023-11-14T22:13:20Z; November 2023 starts at 1698796800000 in UTC. */
  private static final long NOW = 1_700_000_000_000L;

  private static final String PREFIX = "0A000002" + "1234" + "0A0B0C0D";

  private final AtomicLong clock = new AtomicLong(NOW);

  private UniqIdGenerator generator(ZoneId zone) {
    return new UniqIdGenerator(address("10.0.0.2"), 0x1234, 0x0A0B0C0D, clock::get, zone);
  }

  @Test
  void composesIpPidLoaderHashMsSinceMonthStartAndCounter() {
    UniqIdGenerator ids = generator(ZoneOffset.UTC);
    assertEquals(PREFIX + "47B76000" + "0000", ids.next());
    assertEquals(PREFIX + "47B76000" + "0001", ids.next());
    clock.addAndGet(1);
    assertEquals(PREFIX + "47B76001" + "0002", ids.next());
  }

  @Test
  void usesTheLow16BitsOfThePid() {
    UniqIdGenerator ids =
        new UniqIdGenerator(address("10.0.0.2"), 0x51234, 0x0A0B0C0D, clock::get, ZoneOffset.UTC);
    assertTrue(ids.next().startsWith(PREFIX));
  }

  @Test
  void countsMonthsInTheGivenZone() {
    // in Shanghai (UTC+8) November started at 2023-10-31T16:00Z
    assertEquals(PREFIX + "496ED400" + "0000", generator(ZoneId.of("Asia/Shanghai")).next());
  }

  @Test
  void restartsTheTimeFieldWhenTheMonthRollsOver() {
    UniqIdGenerator ids = generator(ZoneOffset.UTC);
    ids.next();
    clock.set(Instant.parse("2023-12-01T00:00:00.005Z").toEpochMilli());
    assertEquals(PREFIX + "00000005" + "0001", ids.next());
  }

  @Test
  void followsTheClockBackIntoThePreviousMonth() {
    clock.set(Instant.parse("2023-12-01T00:00:00.005Z").toEpochMilli());
    UniqIdGenerator ids = generator(ZoneOffset.UTC);
    ids.next();
    clock.set(Instant.parse("2023-11-30T23:59:59.999Z").toEpochMilli());
    // 2,591,999,999 ms into November: past Integer.MAX_VALUE, written as 32 unsigned bits
    assertEquals(PREFIX + "9A7EC7FF" + "0001", ids.next());
  }

  @Test
  void wrapsTheCounterAfter65536Ids() {
    UniqIdGenerator ids = generator(ZoneOffset.UTC);
    for (int i = 0; i < 65_535; i++) {
      ids.next();
    }
    assertTrue(ids.next().endsWith("FFFF"));
    assertTrue(ids.next().endsWith("0000"));
  }

  @Test
  void makes56CharacterIdsFromAnIpv6Address() {
    UniqIdGenerator ids =
        new UniqIdGenerator(address("2001:db8::1"), 1, 2, clock::get, ZoneOffset.UTC);
    String id = ids.next();
    assertEquals(56, id.length());
    assertEquals(
        "20010DB8000000000000000000000001" + "0001" + "00000002" + "47B76000" + "0000", id);
  }

  @Test
  void givesDistinctIdsAcrossThreads() throws Exception {
    UniqIdGenerator ids = generator(ZoneOffset.UTC);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10_000; i++) {
                    seen.add(ids.next());
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(40_000, seen.size());
  }

  @Test
  void forThisProcessMakes32HexCharacters() {
    String id = UniqIdGenerator.forThisProcess(address("127.0.0.1")).next();
    assertEquals(32, id.length());
    assertTrue(id.matches("[0-9A-F]{32}"), id);
    assertTrue(id.startsWith("7F000001"), id);
  }
}
