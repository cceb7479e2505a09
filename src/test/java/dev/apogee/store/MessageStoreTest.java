package dev.apogee.store;

import static dev.apogee.store.StoreFixture.await;
import static dev.apogee.store.StoreFixture.draft;
import static dev.apogee.store.StoreFixture.encode;
import static dev.apogee.store.StoreFixture.flushConfig;
import static dev.apogee.store.StoreFixture.props;
import static dev.apogee.store.StoreFixture.put;
import static dev.apogee.store.StoreFixture.storeConfig;
import static dev.apogee.store.StoreFixture.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.MessageRecord;
import dev.apogee.store.message.RecordDecoder;
import dev.apogee.store.message.RecordLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(120)
class MessageStoreTest {
  private static final Map<String, String> SMALL =
      Map.of(
          "mappedFileSizeCommitLog", "4096",
          "mappedFileSizeConsumeQueue", "200",
          "maxHashSlotNum", "16",
          "maxIndexNum", "64");

  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final AtomicReference<Double> disk = new AtomicReference<>(0.10);
  private final List<MessageStore> open = new ArrayList<>();

  private MessageStore.Options options() {
    return new MessageStore.Options(now::get, d -> disk.get());
  }

  private MessageStore openStore(
      Vertx vertx, Map<String, String> store, Map<String, String> flush) {
    MessageStore s =
        StoreFixture.open(vertx, storeConfig(dir, store), flushConfig(flush), options());
    open.add(s);
    return s;
  }

  private void close(MessageStore s) {
    await(s.close());
    open.remove(s);
  }

  @AfterEach
  void closeAll() {
    for (MessageStore s : open) {
      await(s.close());
    }
  }

  private static List<MessageRecord> readAll(MessageStore s, String topic, int queueId) {
    List<MessageRecord> out = new ArrayList<>();
    long offset = s.minOffsetInQueue(topic, queueId);
    while (true) {
      GetResult r = s.getMessages(topic, queueId, offset, 32, 1 << 20, MessageFilter.ALL);
      try {
        for (SelectedRecord rec : r.records()) {
          out.add(RecordDecoder.decode(rec.buffer(), 0));
        }
      } finally {
        r.release();
      }
      if (r.status() == GetStatus.OFFSET_OVERFLOW_ONE || r.nextBeginOffset() == offset) {
        return out;
      }
      offset = r.nextBeginOffset();
    }
  }

  private static void awaitDispatched(MessageStore s) {
    until("dispatch", Duration.ofSeconds(10), () -> s.dispatchedOffset() >= s.commitLogMaxOffset());
  }

  @Test
  void roundTripsEveryRecordField(Vertx vertx) {
    MessageStore s =
        openStore(vertx, Map.of("mappedFileSizeCommitLog", String.valueOf(16 << 20)), Map.of());
    String topic = "Tópico_ünïcode_主题";
    byte[] big = new byte[4 * 1024 * 1024];
    new Random(42).nextBytes(big);
    Map<String, String> p1 =
        props(
            MessageProperties.KEYS,
            "clé-1 键2",
            MessageProperties.TAGS,
            "TagA",
            MessageProperties.UNIQ_KEY,
            "0A0000020000AAAA0000000000000001",
            "user.prop",
            "välue ✓");
    AppendResult r1 =
        await(
            s.put(
                new PutRequest(
                    topic,
                    3,
                    encode(draft(topic, 3, "héllo".getBytes(StandardCharsets.UTF_8), p1)),
                    true)));
    AppendResult r2 =
        await(s.put(new PutRequest(topic, 3, encode(draft(topic, 3, new byte[0], props())), true)));
    AppendResult r3 =
        await(s.put(new PutRequest(topic, 3, encode(draft(topic, 3, big, props("k", "v"))), true)));
    assertEquals(AppendStatus.PUT_OK, r1.status());
    assertEquals(0, r1.queueOffset());
    assertEquals(1, r2.queueOffset());
    assertEquals(2, r3.queueOffset());
    assertEquals(0, r1.physicalOffset());
    assertEquals(r1.endOffset(), r2.physicalOffset());
    awaitDispatched(s);

    List<MessageRecord> got = readAll(s, topic, 3);
    assertEquals(3, got.size());
    MessageRecord m1 = got.get(0);
    assertEquals(topic, m1.topic());
    assertEquals(3, m1.queueId());
    assertEquals(7, m1.flag());
    assertEquals(0, m1.queueOffset());
    assertEquals(r1.physicalOffset(), m1.physicalOffset());
    assertEquals(now.get(), m1.storeTimestamp());
    assertEquals(1_700_000_000_000L, m1.bornTimestamp());
    assertEquals(StoreFixture.BORN, m1.bornHost());
    assertEquals(StoreFixture.STORE, m1.storeHost());
    assertEquals("héllo", new String(m1.body(), StandardCharsets.UTF_8));
    assertEquals(p1, m1.properties());
    assertEquals(0, got.get(1).body().length);
    assertArrayEquals(big, got.get(2).body());
    assertEquals(2, got.get(2).queueOffset());

    MessageStore.QueryResult q = s.queryByKey(topic, "键2", 10, 0, Long.MAX_VALUE);
    try {
      assertEquals(1, q.records().size());
      assertEquals(r1.physicalOffset(), q.records().get(0).offset());
    } finally {
      q.release();
    }
    SelectedRecord byId = s.selectRecord(r3.physicalOffset());
    assertNotNull(byId);
    assertEquals(r3.wroteBytes(), byId.buffer().remaining());
    byId.release();
  }

  @Test
  void rollsToNextFileWithBlankRecordAndKeepsQueuesAndIndexRight(Vertx vertx) throws Exception {
    MessageStore s = openStore(vertx, SMALL, Map.of());
    int n = 120;
    for (int i = 0; i < n; i++) {
      AppendResult r =
          await(
              s.put(
                  put(
                      "T",
                      i % 2,
                      ("m" + i).getBytes(StandardCharsets.UTF_8),
                      props(MessageProperties.KEYS, "key" + i, MessageProperties.TAGS, "t"))));
      assertEquals(AppendStatus.PUT_OK, r.status());
      assertEquals(i / 2, r.queueOffset());
      long fileStart = r.physicalOffset() - r.physicalOffset() % 4096;
      assertTrue(r.endOffset() <= fileStart + 4096, "record spans two files");
    }
    awaitDispatched(s);
    assertTrue(s.commitLogMaxOffset() > 3 * 4096, "expected several commit log files");
    // The first file ends with a blank record where the next record did not fit.
    Path first = dir.resolve("commitlog").resolve("00000000000000000000");
    assertTrue(Files.exists(first));
    for (int q = 0; q < 2; q++) {
      List<MessageRecord> got = readAll(s, "T", q);
      assertEquals(n / 2, got.size());
      for (int i = 0; i < got.size(); i++) {
        assertEquals(i, got.get(i).queueOffset());
        assertEquals("m" + (i * 2 + q), new String(got.get(i).body(), StandardCharsets.UTF_8));
      }
    }
    // 60 units per queue roll the 10-unit consume queue files.
    assertTrue(
        Files.list(dir.resolve("consumequeue").resolve("T").resolve("0")).count() >= 6,
        "consume queue should have rolled");
    for (int i : new int[] {0, 57, 119}) {
      MessageStore.QueryResult q = s.queryByKey("T", "key" + i, 4, 0, Long.MAX_VALUE);
      try {
        assertEquals(1, q.records().size(), "key" + i);
        MessageRecord m = RecordDecoder.decode(q.records().get(0).buffer(), 0);
        assertEquals("m" + i, new String(m.body(), StandardCharsets.UTF_8));
      } finally {
        q.release();
      }
    }
  }

  @Test
  void appendsABatchContiguouslyAtConsecutiveOffsets(Vertx vertx) {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    await(s.put(put("B", 0, "before")));
    MessageDraft[] ds = new MessageDraft[10];
    for (int i = 0; i < ds.length; i++) {
      ds[i] = draft("B", 0, ("b" + i).getBytes(StandardCharsets.UTF_8), props());
    }
    AppendResult r = await(s.put(new PutRequest("B", 0, encode(ds), true)));
    assertEquals(AppendStatus.PUT_OK, r.status());
    assertEquals(10, r.count());
    assertEquals(1, r.queueOffset());
    awaitDispatched(s);
    List<MessageRecord> got = readAll(s, "B", 0);
    assertEquals(11, got.size());
    long phy = r.physicalOffset();
    for (int i = 1; i < 11; i++) {
      assertEquals(i, got.get(i).queueOffset());
      assertEquals(phy, got.get(i).physicalOffset());
      phy += got.get(i).totalSize();
    }
    assertEquals(r.endOffset(), phy);
  }

  @Test
  void refusesMalformedRecordsAndKeepsServing(Vertx vertx) {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    io.netty.buffer.ByteBuf junk = io.netty.buffer.Unpooled.buffer();
    junk.writeInt(200).writeInt(0x12345678).writeZero(192);
    AppendResult bad = await(s.put(new PutRequest("J", 0, junk, true)));
    assertEquals(AppendStatus.MESSAGE_ILLEGAL, bad.status());
    assertEquals(0, s.commitLogMaxOffset());
    AppendResult ok = await(s.put(put("J", 0, "fine")));
    assertEquals(AppendStatus.PUT_OK, ok.status());
    assertEquals(0, ok.queueOffset());
  }

  @Test
  void answersRocketMqReadOutcomes(Vertx vertx) {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    assertEquals(
        GetStatus.NO_MATCHED_LOGIC_QUEUE,
        s.getMessages("X", 0, 0, 32, 1 << 20, MessageFilter.ALL).status());
    for (int i = 0; i < 5; i++) {
      await(s.put(put("X", 0, "x" + i)));
    }
    awaitDispatched(s);
    GetResult one = s.getMessages("X", 0, 5, 32, 1 << 20, MessageFilter.ALL);
    assertEquals(GetStatus.OFFSET_OVERFLOW_ONE, one.status());
    assertEquals(5, one.nextBeginOffset());
    GetResult badly = s.getMessages("X", 0, 9, 32, 1 << 20, MessageFilter.ALL);
    assertEquals(GetStatus.OFFSET_OVERFLOW_BADLY, badly.status());
    assertEquals(5, badly.nextBeginOffset());
    GetResult none =
        s.getMessages(
            "X", 0, 0, 32, 1 << 20, MessageFilter.tagCodes(java.util.Set.of("TagB".hashCode())));
    assertEquals(GetStatus.NO_MATCHED_MESSAGE, none.status());
    assertEquals(5, none.nextBeginOffset());
    GetResult some =
        s.getMessages(
            "X", 0, 1, 2, 1 << 20, MessageFilter.tagCodes(java.util.Set.of("TagA".hashCode())));
    assertEquals(GetStatus.FOUND, some.status());
    assertEquals(2, some.count());
    assertEquals(3, some.nextBeginOffset());
    assertEquals(0, some.minOffset());
    assertEquals(5, some.maxOffset());
    some.release();
  }

  @Test
  void findsOffsetsByStoreTime(Vertx vertx) {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    for (int i = 0; i < 10; i++) {
      now.set(1_000_000L + i * 1000L);
      await(s.put(put("S", 0, "s" + i)));
    }
    awaitDispatched(s);
    assertEquals(3, s.offsetByTimestamp("S", 0, 1_003_000L, false));
    assertEquals(4, s.offsetByTimestamp("S", 0, 1_003_500L, false));
    assertEquals(3, s.offsetByTimestamp("S", 0, 1_003_500L, true));
    assertEquals(10, s.offsetByTimestamp("S", 0, 9_000_000L, false));
    assertEquals(0, s.offsetByTimestamp("S", 0, 1L, true));
    assertEquals(1_000_000L, s.earliestMessageTime("S", 0));
  }

  @Test
  void recoversQuicklyAfterACleanClose(Vertx vertx) {
    MessageStore s = openStore(vertx, SMALL, Map.of());
    for (int i = 0; i < 50; i++) {
      await(s.put(put("R", i % 3, "r" + i)));
    }
    long end = s.commitLogMaxOffset();
    close(s);
    assertFalse(Files.exists(dir.resolve("abort")), "clean close removes the abort marker");
    MessageStore again = openStore(vertx, SMALL, Map.of());
    assertEquals(end, again.commitLogMaxOffset());
    assertEquals(17, again.maxOffsetInQueue("R", 0));
    AppendResult next = await(again.put(put("R", 0, "after")));
    assertEquals(17, next.queueOffset());
    assertTrue(
        next.physicalOffset() == end || next.physicalOffset() == (end / 4096 + 1) * 4096,
        "appends continue at the recovered end");
  }

  @Test
  void truncatesRandomBytesAtTheTailAfterACrash(Vertx vertx) throws Exception {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    for (int i = 0; i < 20; i++) {
      await(s.put(put("G", 0, "g" + i)));
    }
    long end = s.commitLogMaxOffset();
    close(s);
    Files.write(dir.resolve("abort"), new byte[0]);
    byte[] garbage = new byte[3000];
    new Random(7).nextBytes(garbage);
    try (RandomAccessFile raf =
        new RandomAccessFile(dir.resolve("commitlog/00000000000000000000").toFile(), "rw")) {
      raf.seek(end);
      raf.write(garbage);
    }
    MessageStore again = openStore(vertx, Map.of(), Map.of());
    assertEquals(end, again.commitLogMaxOffset());
    assertEquals(20, readAll(again, "G", 0).size());
    AppendResult next = await(again.put(put("G", 0, "g20")));
    assertEquals(20, next.queueOffset());
    assertEquals(end, next.physicalOffset());
    awaitDispatched(again);
    assertEquals(21, readAll(again, "G", 0).size());
  }

  @Test
  void truncatesAHalfWrittenRecordAfterACrash(Vertx vertx) throws Exception {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    for (int i = 0; i < 5; i++) {
      await(s.put(put("H", 0, "h" + i)));
    }
    long end = s.commitLogMaxOffset();
    close(s);
    Files.write(dir.resolve("abort"), new byte[0]);
    io.netty.buffer.ByteBuf rec = encode(draft("H", 0, new byte[500], props()));
    byte[] bytes = new byte[rec.readableBytes()];
    rec.getBytes(0, bytes);
    // A torn append: the queue offset and physical offset stamped, the body cut short.
    java.nio.ByteBuffer.wrap(bytes)
        .putLong(RecordLayout.POS_QUEUE_OFFSET, 5)
        .putLong(RecordLayout.POS_PHYSICAL_OFFSET, end);
    try (RandomAccessFile raf =
        new RandomAccessFile(dir.resolve("commitlog/00000000000000000000").toFile(), "rw")) {
      raf.seek(end);
      raf.write(bytes, 0, bytes.length / 2);
    }
    MessageStore again = openStore(vertx, Map.of(), Map.of());
    assertEquals(end, again.commitLogMaxOffset());
    assertEquals(5, again.maxOffsetInQueue("H", 0));
    assertEquals(5, readAll(again, "H", 0).size());
  }

  @Test
  void rebuildsADeletedConsumeQueueFromTheCommitLog(Vertx vertx) throws Exception {
    MessageStore s = openStore(vertx, SMALL, Map.of());
    for (int i = 0; i < 40; i++) {
      await(s.put(put("D", i % 2, "d" + i)));
    }
    close(s);
    deleteTree(dir.resolve("consumequeue/D/1"));
    MessageStore again = openStore(vertx, SMALL, Map.of());
    assertEquals(20, again.maxOffsetInQueue("D", 1));
    List<MessageRecord> got = readAll(again, "D", 1);
    assertEquals(20, got.size());
    assertEquals("d39", new String(got.get(19).body(), StandardCharsets.UTF_8));
    assertEquals(20, await(again.put(put("D", 1, "d40"))).queueOffset());
  }

  @Test
  void rebuildsADamagedConsumeQueueFromTheCommitLog(Vertx vertx) throws Exception {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    for (int i = 0; i < 10; i++) {
      await(s.put(put("Q", 0, "q" + i)));
    }
    close(s);
    try (RandomAccessFile raf =
        new RandomAccessFile(dir.resolve("consumequeue/Q/0/00000000000000000000").toFile(), "rw")) {
      raf.seek(9 * 20);
      raf.writeLong(123_456L);
      raf.writeInt(77);
    }
    MessageStore again = openStore(vertx, Map.of(), Map.of());
    List<MessageRecord> got = readAll(again, "Q", 0);
    assertEquals(10, got.size());
    assertEquals("q9", new String(got.get(9).body(), StandardCharsets.UTF_8));
  }

  @Test
  void deletesExpiredFilesAndReleasesTheirMappings(Vertx vertx) throws Exception {
    Map<String, String> cfg = new java.util.HashMap<>(SMALL);
    cfg.put("cleanResourceInterval", "20");
    MessageStore s = openStore(vertx, cfg, Map.of("flushIntervalConsumeQueue", "20"));
    for (int i = 0; i < 100; i++) {
      await(s.put(put("E", 0, "e" + i)));
    }
    awaitDispatched(s);
    Path first = dir.resolve("commitlog/00000000000000000000").toAbsolutePath();
    assertTrue(mapped(first), "the first file is mapped while in use");
    // Files are 73 hours old, and the disk is over diskMaxUsedSpaceRatio: delete at any hour.
    now.addAndGet(73 * 3_600_000L);
    disk.set(0.80);
    until("first file deleted", Duration.ofSeconds(20), () -> !Files.exists(first));
    until("first file unmapped", Duration.ofSeconds(20), () -> !mapped(first));
    // Every file but the one being written is old: retention settles with only that one left.
    long lastFileStart = (s.commitLogMaxOffset() - 1) / 4096 * 4096;
    until(
        "retention settles", Duration.ofSeconds(20), () -> s.commitLogMinOffset() == lastFileStart);
    until(
        "queue follows",
        Duration.ofSeconds(20),
        () -> {
          long[] u = s.unitAt("E", 0, s.minOffsetInQueue("E", 0));
          return u != null && u[0] >= lastFileStart;
        });
    long min = s.minOffsetInQueue("E", 0);
    assertTrue(min > 0);
    GetResult r = s.getMessages("E", 0, 0, 32, 1 << 20, MessageFilter.ALL);
    assertEquals(GetStatus.OFFSET_TOO_SMALL, r.status());
    assertEquals(min, r.nextBeginOffset());
    List<MessageRecord> rest = readAll(s, "E", 0);
    assertEquals(100 - min, rest.size());
    assertEquals(min, rest.get(0).queueOffset());
    assertTrue(rest.get(0).physicalOffset() >= lastFileStart);
    assertEquals("e99", new String(rest.get(rest.size() - 1).body(), StandardCharsets.UTF_8));
  }

  @Test
  void refusesAppendsWhenTheDiskIsNearlyFullAndResumes(Vertx vertx) {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    await(s.put(put("F", 0, "before")));
    disk.set(0.95);
    await(s.checkDisk());
    AppendResult refused = await(s.put(put("F", 0, "refused")));
    assertEquals(AppendStatus.DISK_FULL, refused.status());
    awaitDispatched(s);
    assertEquals(1, readAll(s, "F", 0).size());
    disk.set(0.50);
    await(s.checkDisk());
    AppendResult ok = await(s.put(put("F", 0, "after")));
    assertEquals(AppendStatus.PUT_OK, ok.status());
    assertEquals(1, ok.queueOffset());
  }

  @Test
  void syncFlushAnswersAfterTheFsyncAsAGroupCommit(Vertx vertx) {
    MessageStore s = openStore(vertx, Map.of(), Map.of("flushDiskType", "SYNC_FLUSH"));
    List<Future<AppendResult>> fs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      fs.add(
          s.put(put("Y", i % 4, "y" + i))
              .map(
                  r -> {
                    assertTrue(s.commitLogFlushedOffset() >= r.endOffset(), "acked before fsync");
                    return r;
                  }));
    }
    for (Future<AppendResult> f : fs) {
      assertEquals(AppendStatus.PUT_OK, await(f).status());
    }
  }

  @Test
  void wakesArrivalListenerWithTheQueueMaxOffset(Vertx vertx) {
    MessageStore s = openStore(vertx, Map.of(), Map.of());
    AtomicLong seen = new AtomicLong(-1);
    s.setArrivalListener(
        (t, q, max) -> {
          if (t.equals("W") && q == 2) {
            seen.set(max);
          }
        });
    await(s.put(put("W", 2, "w")));
    await(s.put(put("W", 2, "w")));
    until("arrival", Duration.ofSeconds(10), () -> seen.get() == 2);
  }

  @Test
  void refusesASecondStoreOnTheSameDirectory(Vertx vertx) {
    openStore(vertx, Map.of(), Map.of());
    Future<MessageStore> second =
        MessageStore.open(vertx, storeConfig(dir, Map.of()), flushConfig(Map.of()), options());
    Throwable t = second.toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
    assertNotNull(t);
    assertTrue(String.valueOf(t.getMessage()).contains("in use"), String.valueOf(t));
  }

  static boolean mapped(Path file) {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .anyMatch(l -> l.contains(file.toString()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void deleteTree(Path p) throws java.io.IOException {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
