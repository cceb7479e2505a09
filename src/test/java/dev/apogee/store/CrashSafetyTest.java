package dev.apogee.store;

import static dev.apogee.store.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.config.ConfigSource;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.StoreConfig;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.MessageRecord;
import dev.apogee.store.message.RecordDecoder;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM that appends with SYNC_FLUSH, at random moments, 20 times; after each kill
 * the store recovers and every message the child saw acknowledged must be there, intact, at the
 * queue and offset it was acknowledged with; queues must be contiguous, and no torn record is ever
 * served.
 */
@ExtendWith(VertxExtension.class)
@Timeout(300)
class CrashSafetyTest {
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedMessageSurvivesSigkill(Vertx vertx) throws Exception {
    long seed = Long.getLong("apogee.crash.seed", System.nanoTime());
    System.out.println(
        "crash test seed " + seed + " (-Dapogee.crash.seed=" + seed + " repeats it)");
    Random random = new Random(seed);
    Path store = dir.resolve("store");
    Path ledger = dir.resolve("ledger");
    Files.createFile(ledger);
    int acked = 0;
    LineCounter lines = new LineCounter(ledger);
    for (int round = 0; round < ROUNDS; round++) {
      Process child = startChild(store, ledger, seed + round);
      // Kill after a random number of new acks: early in recovery's wake, or mid-stream.
      int target = acked + 1 + random.nextInt(round % 3 == 0 ? 20 : 600);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines.update() < target) {
        assertTrue(
            child.isAlive(), "child died on its own in round " + round + ": " + output(child));
        assertTrue(System.nanoTime() < deadline, "no progress in round " + round);
        LockSupport.parkNanos(200_000);
      }
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      acked = verify(vertx, store, ledger, round, seed);
    }
    assertTrue(acked > ROUNDS, "too few acknowledged messages: " + acked);
  }

  private int verify(Vertx vertx, Path storeDir, Path ledger, int round, long seed)
      throws Exception {
    Map<String, String> s = new HashMap<>(CrashChild.SETTINGS);
    s.put("storePathRootDir", storeDir.toString());
    ConfigSource src = ConfigSource.of(s);
    MessageStore store =
        await(MessageStore.open(vertx, StoreConfig.from(src), FlushConfig.from(src)));
    try {
      List<String> lines = Files.readAllLines(ledger, StandardCharsets.US_ASCII);
      int complete = 0;
      Map<Integer, Long> maxAcked = new HashMap<>();
      for (String line : lines) {
        String[] f = line.trim().split(" ");
        if (f.length != 4) {
          continue; // the line the kill cut short
        }
        complete++;
        int q = Integer.parseInt(f[0]);
        long qo = Long.parseLong(f[1]);
        long seq = Long.parseLong(f[2]);
        long crc = Long.parseLong(f[3]);
        maxAcked.merge(q, qo, Math::max);
        GetResult r = store.getMessages(CrashChild.TOPIC, q, qo, 1, 1 << 20, MessageFilter.ALL);
        try {
          String where = "round " + round + " seed " + seed + " queue " + q + " offset " + qo;
          assertEquals(GetStatus.FOUND, r.status(), where);
          MessageRecord m = RecordDecoder.decode(r.records().get(0).buffer(), 0);
          assertEquals(qo, m.queueOffset(), where);
          assertEquals(seq, ByteBuffer.wrap(m.body()).getLong(), where);
          assertEquals(crc, CrashChild.crc(m.body()), where);
        } finally {
          r.release();
        }
      }
      for (int q = 0; q < CrashChild.QUEUES; q++) {
        long max = store.maxOffsetInQueue(CrashChild.TOPIC, q);
        assertTrue(max > maxAcked.getOrDefault(q, -1L), "queue " + q + " lost its tail");
        long expect = store.minOffsetInQueue(CrashChild.TOPIC, q);
        long offset = expect;
        while (offset < max) {
          GetResult r =
              store.getMessages(CrashChild.TOPIC, q, offset, 32, 1 << 20, MessageFilter.ALL);
          try {
            assertEquals(GetStatus.FOUND, r.status(), "queue " + q + " offset " + offset);
            for (SelectedRecord rec : r.records()) {
              assertTrue(RecordDecoder.checkCrc(rec.buffer(), 0), "torn record served");
              MessageRecord m = RecordDecoder.decode(rec.buffer(), 0);
              assertEquals(expect++, m.queueOffset(), "queue offsets are contiguous");
            }
            offset = r.nextBeginOffset();
          } finally {
            r.release();
          }
        }
        assertEquals(max, expect);
      }
      assertEquals(store.commitLogMaxOffset(), store.dispatchedOffset());
      return complete;
    } finally {
      await(store.close());
    }
  }

  private static Process startChild(Path store, Path ledger, long seed) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            store.toString(),
            ledger.toString(),
            Long.toString(seed));
    pb.redirectErrorStream(true);
    pb.redirectOutput(new File(ledger + ".child-" + seed + ".log"));
    return pb.start();
  }

  /** Counts ledger lines incrementally, reading only what was appended since the last call. */
  private static final class LineCounter {
    private final Path file;
    private long position;
    private int count;

    LineCounter(Path file) {
      this.file = file;
    }

    int update() throws java.io.IOException {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        int n;
        while ((n = ch.read(buf, position)) > 0) {
          for (int i = 0; i < n; i++) {
            if (buf.get(i) == '\n') {
              count++;
            }
          }
          position += n;
          buf.clear();
        }
      }
      return count;
    }
  }

  private static String output(Process p) {
    return "exit " + (p.isAlive() ? "alive" : p.exitValue());
  }
}
