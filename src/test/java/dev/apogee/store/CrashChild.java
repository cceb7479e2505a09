package dev.apogee.store;

import dev.apogee.config.ConfigSource;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.StoreConfig;
import dev.apogee.store.message.MessageProperties;
import io.vertx.core.Vertx;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The process {@link CrashSafetyTest} kills: opens (recovering) a SYNC_FLUSH store and appends
 * forever from many concurrent appenders, writing one line per acknowledged message to a ledger
 * outside the store: {@code queueId queueOffset seq crc32}. Lines are written only after the ack.
 */
public final class CrashChild {
  static final String TOPIC = "CrashTopic";
  static final int QUEUES = 4;
  static final Map<String, String> SETTINGS =
      Map.of(
          "mappedFileSizeCommitLog", "65536",
          "mappedFileSizeConsumeQueue", "2000",
          "maxHashSlotNum", "64",
          "maxIndexNum", "512",
          "flushDiskType", "SYNC_FLUSH");

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path storeDir = Path.of(args[0]);
    Path ledger = Path.of(args[1]);
    long seed = Long.parseLong(args[2]);
    Map<String, String> s = new java.util.HashMap<>(SETTINGS);
    s.put("storePathRootDir", storeDir.toString());
    ConfigSource src = ConfigSource.of(s);
    Vertx vertx = Vertx.vertx();
    MessageStore store =
        MessageStore.open(vertx, StoreConfig.from(src), FlushConfig.from(src))
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    FileOutputStream out = new FileOutputStream(ledger.toFile(), true);
    Random random = new Random(seed);
    for (int i = 0; i < 32; i++) {
      long seq = seed * 1_000_000L + i * 100_000L;
      vertx.runOnContext(v -> append(store, out, new Random(random.nextLong()), seq));
    }
    Thread.currentThread().join();
  }

  static byte[] body(long seq, Random r) {
    byte[] b = new byte[8 + r.nextInt(3000)];
    r.nextBytes(b);
    ByteBuffer.wrap(b).putLong(seq);
    return b;
  }

  static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }

  private static void append(MessageStore store, FileOutputStream out, Random r, long seq) {
    int q = r.nextInt(QUEUES);
    byte[] b = body(seq, r);
    long crc = crc(b);
    store
        .put(StoreFixture.put(TOPIC, q, b, StoreFixture.props(MessageProperties.KEYS, "k" + seq)))
        .onSuccess(
            res -> {
              if (res.status() == AppendStatus.PUT_OK) {
                String line = q + " " + res.queueOffset() + " " + seq + " " + crc + "\n";
                try {
                  synchronized (out) {
                    out.write(line.getBytes(StandardCharsets.US_ASCII));
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
              append(store, out, r, seq + 1);
            });
  }
}
