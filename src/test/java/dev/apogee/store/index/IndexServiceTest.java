package dev.apogee.store.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexServiceTest {
  private static final int SLOTS = 16;

  /** 63 usable entries per file. */
  private static final int ENTRIES = 64;

  /** 2023-11-14T22:13:20Z */
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;
  private final List<IndexService> services = new ArrayList<>();

  @AfterEach
  void closeServices() {
    services.forEach(IndexService::close);
  }

  private IndexService load() {
    IndexService s = new IndexService(dir, SLOTS, ENTRIES);
    services.add(s);
    s.load();
    return s;
  }

  /** Closes {@code s} and loads the directory again, as a restart does. */
  private IndexService reload(IndexService s) {
    s.close();
    services.remove(s);
    return load();
  }

  private static List<Long> all(IndexService s, String key) {
    return s.query("T", key, Integer.MAX_VALUE, 0, Long.MAX_VALUE).phyOffsets();
  }

  /** Puts records 0..n-1 at offset 100*i, one second apart, keyed "k" + i and "all". */
  private static void putRecords(IndexService s, int from, int to) {
    for (int i = from; i < to; i++) {
      s.put("T", "k" + i + " all", null, 100L * i, T0 + 1_000L * i);
    }
  }

  private static List<Long> descendingOffsets(int from, int to) {
    return LongStream.range(from, to).map(i -> 100 * (to - 1 - (i - from))).boxed().toList();
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void findsRecordsByKeyAndByUniqueKey() {
    IndexService s = load();
    s.put("T", "order-1 customer-9", "UNIQ-1", 100, T0);
    s.put("T", "order-2 customer-9", "UNIQ-2", 200, T0 + 1_000);
    s.put("Other", "order-1", null, 300, T0 + 2_000);

    assertEquals(List.of(100L), all(s, "order-1"));
    assertEquals(List.of(200L), all(s, "order-2"));
    assertEquals(List.of(200L, 100L), all(s, "customer-9"));
    assertEquals(List.of(100L), all(s, "UNIQ-1"));
    assertEquals(List.of(200L), all(s, "UNIQ-2"));
    assertEquals(List.of(300L), s.query("Other", "order-1", 10, 0, Long.MAX_VALUE).phyOffsets());
    assertEquals(List.of(), all(s, "order-3"));

    IndexQueryResult r = s.query("T", "order-1", 10, 0, Long.MAX_VALUE);
    assertEquals(T0 + 2_000, r.lastUpdateTimestamp());
    assertEquals(300, r.lastUpdatePhyOffset());
  }

  @Test
  void skipsEmptyItemsOfTheKeysProperty() {
    IndexService s = load();
    s.put("T", "  a   b ", null, 100, T0);
    s.put("T", "", null, 200, T0);
    s.put("T", null, null, 300, T0);
    assertEquals(3, s.files().get(0).indexCount(), "two entries after the unused entry 0");
    assertEquals(List.of(100L), all(s, "a"));
    assertEquals(List.of(100L), all(s, "b"));
    assertEquals(List.of(), all(s, ""));
    assertEquals(300, s.indexedPhyOffset(), "records without keys still count as indexed");
  }

  @Test
  void returnsEachOffsetOnceWhenARecordRepeatsAKey() {
    IndexService s = load();
    s.put("T", "a a", "a", 100, T0);
    assertEquals(4, s.files().get(0).indexCount());
    assertEquals(List.of(100L), all(s, "a"));
  }

  @Test
  void filtersByStoreTime() {
    IndexService s = load();
    putRecords(s, 0, 10);
    List<Long> got = s.query("T", "all", 100, T0 + 3_000, T0 + 5_000).phyOffsets();
    assertEquals(List.of(500L, 400L, 300L), got);
    assertEquals(List.of(), s.query("T", "all", 100, T0 + 10_000, Long.MAX_VALUE).phyOffsets());
  }

  @Test
  void stopsAtMaxNum() {
    IndexService s = load();
    putRecords(s, 0, 10);
    assertEquals(List.of(900L, 800L), s.query("T", "all", 2, 0, Long.MAX_VALUE).phyOffsets());
    assertEquals(List.of(), s.query("T", "all", 0, 0, Long.MAX_VALUE).phyOffsets());
  }

  @Test
  void rollsToNewFileWhenFullAndQueriesAcrossFilesNewestFirst() {
    IndexService s = load();
    putRecords(s, 0, 40); // 80 entries: 63 in the first file, 17 in the second
    assertEquals(2, s.files().size());
    assertTrue(s.files().get(0).isFull());
    assertEquals(descendingOffsets(0, 40), all(s, "all"));
    assertEquals(List.of(100L * 5), all(s, "k5"));
    assertEquals(List.of(100L * 39), all(s, "k39"));
    assertEquals(
        List.of(3900L, 3800L, 3700L), s.query("T", "all", 3, 0, Long.MAX_VALUE).phyOffsets());
    List<Long> span = s.query("T", "all", 100, T0 + 30_000, T0 + 32_000).phyOffsets();
    assertEquals(List.of(3200L, 3100L, 3000L), span, "a range reaching across both files");
  }

  @Test
  void namesFilesByFirstStoreTimeAndKeepsNamesUniqueWithinAMillisecond() throws IOException {
    IndexService s = load();
    for (int i = 0; i < 100; i++) {
      s.put("T", "k" + i, null, i, T0);
    }
    assertEquals(
        List.of("20231114221320000", "20231114221320001"),
        fileNames(),
        "UTC time of the first record, then one millisecond later for the second file");
  }

  @Test
  void namesFollowCreationOrderWhenStoreTimeStepsBack() throws IOException {
    IndexService s = load();
    for (int i = 0; i < 63; i++) {
      s.put("T", "k" + i, null, i, T0);
    }
    s.put("T", "late", null, 63, T0 - 3_600_000);
    assertEquals(List.of("20231114221320000", "20231114221320001"), fileNames());
    IndexService again = reload(s);
    assertEquals(List.of(63L), all(again, "late"));
    assertEquals(63, again.indexedPhyOffset());
  }

  @Test
  void reloadAfterCloseAnswersTheSame() {
    IndexService s = load();
    putRecords(s, 0, 50);
    s.put("T", null, "U", 5_000, T0 + 50_000);
    List<Long> before = all(s, "all");
    IndexQueryResult uniq = s.query("T", "U", 10, 0, Long.MAX_VALUE);

    IndexService again = reload(s);
    assertEquals(2, again.files().size());
    assertEquals(before, all(again, "all"));
    assertEquals(List.of(2_000L), all(again, "k20"));
    assertEquals(uniq, again.query("T", "U", 10, 0, Long.MAX_VALUE));
    assertEquals(5_000, again.indexedPhyOffset());

    again.put("T", "all", null, 6_000, T0 + 60_000);
    assertEquals(6_000L, all(again, "all").get(0));
  }

  @Test
  void indexedPhyOffsetIsMinusOneWhenNothingIsIndexed() {
    IndexService s = load();
    assertEquals(-1, s.indexedPhyOffset());
    s.put("T", "a", null, 0, T0);
    assertEquals(0, s.indexedPhyOffset(), "the record at commit log offset 0 counts");
    assertEquals(0, reload(s).indexedPhyOffset());
  }

  @Test
  void ignoresRecordsBelowTheIndexedOffset() {
    IndexService s = load();
    s.put("T", "a", null, 500, T0);
    s.put("T", "b", null, 400, T0);
    assertEquals(List.of(), all(s, "b"));
    assertEquals(500, s.indexedPhyOffset());
  }

  @Test
  void replayOfTheLastRecordAddsOnlyTheKeysItMissed() {
    IndexService s = load();
    s.put("T", "a", null, 100, T0);
    s.put("T", "b", null, 200, T0); // as if a crash cut the put of "b c" short
    IndexService again = reload(s);
    assertEquals(200, again.indexedPhyOffset());

    again.put("T", "b c", null, 200, T0);
    assertEquals(4, again.files().get(0).indexCount(), "a, b, c: b not repeated");
    assertEquals(List.of(200L), all(again, "b"));
    assertEquals(List.of(200L), all(again, "c"));
  }

  @Test
  void truncateDeletesLaterFilesAndReindexesRecordsPastTheCut() throws IOException {
    IndexService s = load();
    putRecords(s, 0, 70); // three files: records 0-31, 31-62, 63-69 (record 31 spans a roll)
    assertEquals(3, s.files().size());
    List<String> names = fileNames();

    s.truncate(2_050); // the commit log now ends inside record 20
    assertEquals(List.of(names.get(0)), fileNames());
    assertEquals(2_000, s.indexedPhyOffset());
    assertEquals(2_000, s.files().get(0).endPhyOffset());

    // The replay writes different records from the cut on.
    for (int i = 21; i < 25; i++) {
      s.put("T", "new" + i, null, 100L * i, T0 + 100_000 + i);
    }
    assertEquals(2_400, s.indexedPhyOffset());
    assertEquals(List.of(2_100L), all(s, "new21"));
    assertEquals(List.of(2_000L), all(s, "k20"));
    assertEquals(List.of(), all(s, "k40"), "its file is gone");

    IndexService again = reload(s);
    assertEquals(2_400, again.indexedPhyOffset());
    assertEquals(List.of(2_400L), all(again, "new24"));
  }

  @Test
  void truncateWithoutReplayKeepsIndexedOffsetBelowTheCutAcrossRestart() {
    IndexService s = load();
    putRecords(s, 0, 10);
    s.truncate(500);
    assertEquals(400, s.indexedPhyOffset());
    IndexService again = reload(s);
    assertEquals(400, again.indexedPhyOffset());
    again.truncate(300);
    assertEquals(200, again.indexedPhyOffset());
    again.truncate(0);
    assertEquals(-1, again.indexedPhyOffset());
  }

  @Test
  void deleteFilesBeforeRemovesWholeOldFilesAndTheirMappings() throws IOException {
    IndexService s = load();
    putRecords(s, 0, 100); // 200 entries: four files
    assertEquals(4, s.files().size());
    IndexFile first = s.files().get(0);
    IndexFile second = s.files().get(1);
    String firstPath = first.path().toRealPath().toString();
    assertTrue(mappedPaths().contains(firstPath));

    assertEquals(0, s.deleteFilesBefore(first.endPhyOffset()), "the first file reaches that far");
    assertEquals(1, s.deleteFilesBefore(first.endPhyOffset() + 1));
    assertFalse(Files.exists(Path.of(firstPath)));
    assertFalse(mappedPaths().contains(firstPath), "unmapped, so its space is free");
    assertEquals(3, fileNames().size());
    assertEquals(List.of(), all(s, "k0"));
    assertEquals(List.of(100L * 40), all(s, "k40"));

    assertEquals(2, s.deleteFilesBefore(Long.MAX_VALUE), "never the file being written");
    assertFalse(Files.exists(second.path()));
    assertEquals(1, s.files().size());
    assertEquals(List.of(9_900L), all(s, "k99"));
  }

  /** Paths of files mapped into this process, deleted ones included. */
  private static List<String> mappedPaths() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .map(l -> l.split("\\s+", 6))
        .filter(f -> f.length == 6)
        .map(f -> f[5].replace(" (deleted)", ""))
        .collect(Collectors.toList());
  }

  @Test
  void loadDropsAnEmptyFileThatIsNotTheNewest() throws IOException {
    IndexService s = load();
    putRecords(s, 0, 5);
    s.close();
    services.remove(s);
    Path empty = dir.resolve("20000101000000000");
    Files.write(empty, new byte[(int) IndexFile.fileSize(SLOTS, ENTRIES)]);
    Path newestEmpty = dir.resolve("29991231000000000");
    Files.write(newestEmpty, new byte[(int) IndexFile.fileSize(SLOTS, ENTRIES)]);

    IndexService again = load();
    assertFalse(Files.exists(empty));
    assertTrue(Files.exists(newestEmpty), "the newest file is kept for writing");
    assertEquals(2, again.files().size());
    assertEquals(400, again.indexedPhyOffset());
    assertEquals(descendingOffsets(0, 5), all(again, "all"));
    IndexQueryResult r = again.query("T", "all", 1, T0, Long.MAX_VALUE);
    assertEquals(400, r.lastUpdatePhyOffset());
    again.put("T", "all", null, 500, T0 + 5_000);
    assertEquals(descendingOffsets(0, 6), all(again, "all"));
  }

  @Test
  void flushReportsTheStoreTimeOfTheNewestEntry() {
    IndexService s = load();
    assertEquals(0, s.flush());
    putRecords(s, 0, 40);
    assertEquals(T0 + 39_000, s.flush());
  }

  @Test
  void destroyDeletesEveryFile() throws IOException {
    IndexService s = load();
    putRecords(s, 0, 40);
    s.destroy();
    assertEquals(List.of(), fileNames());
    assertEquals(-1, s.indexedPhyOffset());
    assertEquals(List.of(), all(s, "all"));
  }

  @Test
  void concurrentReaderNeverSeesATornOrMissingEntry() throws Exception {
    IndexService s = load();
    int records = 3_000;
    AtomicInteger published = new AtomicInteger(-1);
    AtomicInteger checkedUpTo = new AtomicInteger(-1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> done =
          writer.submit(
              () -> {
                for (int i = 0; i < records; i++) {
                  s.put("T", "g" + (i % 7), "u" + i, offsetOf(i), T0 + i);
                  published.set(i);
                  if (i % 500 == 499) {
                    // Makes sure the reader looks at the index mid-write, however threads are run.
                    awaitAtLeast(checkedUpTo, i, deadline);
                  }
                }
                return null;
              });
      int checks = 0;
      while (!done.isDone()) {
        assertTrue(System.nanoTime() < deadline, "timed out after " + checks + " checks");
        int last = published.get();
        if (last < 0) {
          Thread.onSpinWait();
          continue;
        }
        // The newest record half the time: the one most likely to be caught half-written.
        int j = checks % 2 == 0 ? last : last - (checks * 31 % (last + 1));
        List<Long> got = all(s, "u" + j);
        assertTrue(got.contains(offsetOf(j)), "u" + j + " published but not found: " + got);
        for (long o : got) {
          int i = recordOf(o);
          assertEquals(IndexFile.keyHash("T#u" + j), IndexFile.keyHash("T#u" + i), "offset " + o);
        }
        for (long o : s.query("T", "g" + (j % 7), 8, 0, Long.MAX_VALUE).phyOffsets()) {
          assertEquals(j % 7, recordOf(o) % 7, "offset " + o);
        }
        checks++;
        checkedUpTo.set(last);
      }
      done.get(30, TimeUnit.SECONDS);
      assertTrue(checks >= records / 500, "the reader checked at every pause: " + checks);
    } finally {
      writer.shutdownNow();
    }
    for (int i = 0; i < records; i += 97) {
      assertEquals(List.of(offsetOf(i)), all(s, "u" + i));
    }
  }

  private static void awaitAtLeast(AtomicInteger value, int target, long deadline) {
    while (value.get() < target) {
      if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("gave up waiting for " + target + ", at " + value.get());
      }
      Thread.onSpinWait();
    }
  }

  private static long offsetOf(int record) {
    return 1_000L * record + 7;
  }

  /** The record an offset belongs to; fails on any offset no record has. */
  private static int recordOf(long offset) {
    assertEquals(7, offset % 1_000, "not a record's offset: " + offset);
    long i = offset / 1_000;
    assertTrue(i >= 0 && i < 3_000, "not a record's offset: " + offset);
    return (int) i;
  }
}
