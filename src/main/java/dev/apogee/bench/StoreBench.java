package dev.apogee.bench;

import dev.apogee.config.ConfigSource;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.StoreConfig;
import dev.apogee.store.AppendResult;
import dev.apogee.store.AppendStatus;
import dev.apogee.store.MessageStore;
import dev.apogee.store.PutRequest;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.RecordEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code apogee bench store}: appends messages through {@link MessageStore#put} (the path the
 * broker uses, record encoding included) for a fixed time in three modes, ASYNC_FLUSH with many
 * appends in flight, SYNC_FLUSH with one appender and SYNC_FLUSH with many, and measures this
 * disk's raw sequential bandwidth (write + fdatasync) and single-fdatasync latency in the same run
 * for comparison.
 */
@Command(
    name = "store",
    description = "Append messages straight into a store and report throughput and latency.")
public final class StoreBench implements Callable<Integer> {
  private static final InetSocketAddress HOST = new InetSocketAddress("127.0.0.1", 10911);

  /**
   * Properties with distinct unique keys, made once per run (not at class load: every start of the
   * broker loads this command class) so the bench measures the store, not itself.
   */
  private static String[] benchProperties() {
    String[] props = new String[1 << 16];
    for (int i = 0; i < props.length; i++) {
      props[i] =
          MessageProperties.encode(
              Map.of(
                  MessageProperties.TAGS,
                  "bench",
                  MessageProperties.UNIQ_KEY,
                  "7F0000010000BE4C" + String.format("%016X", i)));
    }
    return props;
  }

  @Option(
      names = "--dir",
      description =
          "Directory for the bench store (default: a new one under ./bench-data, deleted after).")
  Path dir;

  @Option(
      names = "--size",
      defaultValue = "1024",
      description = "Body size in bytes (default ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Seconds measured per mode (default ${DEFAULT-VALUE}).")
  int duration;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Seconds of warm-up per mode (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--queues",
      defaultValue = "8",
      description = "Queues of the bench topic (default ${DEFAULT-VALUE}).")
  int queues;

  @Option(
      names = "--async-inflight",
      defaultValue = "4096",
      description = "Appends in flight for ASYNC_FLUSH (default ${DEFAULT-VALUE}).")
  int asyncInflight;

  @Option(
      names = "--sync-appenders",
      defaultValue = "64",
      description =
          "Concurrent appenders for the many-appender SYNC_FLUSH mode (default ${DEFAULT-VALUE}).")
  int syncAppenders;

  @Option(
      names = "--modes",
      split = ",",
      defaultValue = "async,sync1,syncN",
      description = "Modes to run: async, sync1, syncN (default ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(
      names = "--set",
      description = "A store or flush setting for every mode, as key=value (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Spec CommandSpec spec;

  private String[] props;

  /** One measured row. */
  record Row(
      String mode, long messages, double seconds, long errors, Histogram latency, long bytes) {
    double rate() {
      return messages / seconds;
    }

    double mbPerSecond() {
      return bytes / seconds / (1024 * 1024);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    props = benchProperties();
    Path root = dir != null ? dir : Files.createDirectories(Path.of("bench-data"));
    Path work = Files.createTempDirectory(root, "store-");
    Vertx vertx = Vertx.vertx();
    List<Row> rows = new ArrayList<>();
    try {
      for (String m : modes) {
        switch (m.toLowerCase(Locale.ROOT)) {
          case "async" ->
              rows.add(
                  run(
                      vertx,
                      work.resolve("async"),
                      "ASYNC_FLUSH",
                      asyncInflight,
                      "async (" + asyncInflight + " in flight)"));
          case "sync1" ->
              rows.add(run(vertx, work.resolve("sync1"), "SYNC_FLUSH", 1, "sync, 1 appender"));
          case "syncn" ->
              rows.add(
                  run(
                      vertx,
                      work.resolve("syncN"),
                      "SYNC_FLUSH",
                      syncAppenders,
                      "sync, " + syncAppenders + " appenders"));
          default ->
              throw new IllegalArgumentException("unknown mode " + m + " (async, sync1, syncN)");
        }
        if (!json) {
          out.printf("  done: %s%n", rows.get(rows.size() - 1).mode());
          out.flush();
        }
      }
      long rawBytes =
          Math.max(
              64L << 20,
              rows.stream().mapToLong(Row::bytes).max().orElse(0) / Math.max(1, duration) * 2);
      rawBytes = Math.min(rawBytes, 1L << 30);
      double rawMbps = rawBandwidth(work.resolve("raw"), rawBytes);
      Histogram fsync = rawFdatasync(work.resolve("raw-sync"), 1000, size);
      Histogram groupSync = rawFdatasync(work.resolve("raw-group"), 300, size * syncAppenders);
      print(out, rows, rawMbps, fsync, groupSync);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      deleteTree(work);
    }
    return 0;
  }

  private Row run(Vertx vertx, Path storeDir, String flushType, int inflight, String label)
      throws Exception {
    Map<String, String> s = new LinkedHashMap<>(settings);
    s.put("storePathRootDir", storeDir.toString());
    s.put("flushDiskType", flushType);
    ConfigSource src = ConfigSource.of(s);
    StoreConfig sc = StoreConfig.from(src);
    FlushConfig fc = FlushConfig.from(src);
    MessageStore store =
        MessageStore.open(vertx, sc, fc)
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    try {
      return drive(vertx, store, inflight, label);
    } finally {
      store.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** What one event loop's appenders measure; touched only on that loop's thread. */
  private static final class LoopStats {
    final Histogram latency = new Histogram(3);
    long count;
    long bytes;
    long errors;
    int outstanding;
    final CompletableFuture<Void> finished = new CompletableFuture<>();
  }

  /** Keeps {@code inflight} appends outstanding, spread over the event loops, for the run. */
  private Row drive(Vertx vertx, MessageStore store, int inflight, String label) throws Exception {
    byte[] body = new byte[size];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    ByteBuf bodyBuf = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(body));
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long stopAt = measureFrom + TimeUnit.SECONDS.toNanos(duration);
    int loops = Math.min(inflight, Math.max(1, Runtime.getRuntime().availableProcessors()));
    List<LoopStats> stats = new ArrayList<>();
    for (int l = 0; l < loops; l++) {
      int share = inflight / loops + (l < inflight % loops ? 1 : 0);
      Context ctx = vertx.getOrCreateContext();
      LoopStats st = new LoopStats();
      stats.add(st);
      long base = l * 1_000_003L;
      ctx.runOnContext(
          v -> {
            st.outstanding = share;
            for (int i = 0; i < share; i++) {
              appendLoop(store, bodyBuf, base + i, st, measureFrom, stopAt);
            }
          });
    }
    Histogram all = new Histogram(3);
    long count = 0;
    long bytes = 0;
    long errors = 0;
    for (LoopStats st : stats) {
      st.finished.get(duration + warmup + 120L, TimeUnit.SECONDS);
      all.add(st.latency);
      count += st.count;
      bytes += st.bytes;
      errors += st.errors;
    }
    return new Row(label, count, duration, errors, all, bytes);
  }

  private void appendLoop(
      MessageStore store, ByteBuf body, long seq, LoopStats st, long measureFrom, long stopAt) {
    long t0 = System.nanoTime();
    if (t0 >= stopAt) {
      if (--st.outstanding == 0) {
        st.finished.complete(null);
      }
      return;
    }
    int queueId = (int) (seq % queues);
    // Distinct unique keys, as producers send them: the key index works as it would in use.
    String msgProps = props[(int) (seq & (props.length - 1))];
    MessageDraft d =
        new MessageDraft(
            "BenchTopic",
            queueId,
            0,
            0,
            System.currentTimeMillis(),
            HOST,
            HOST,
            0,
            0,
            body.duplicate(),
            msgProps);
    ByteBuf rec = PooledByteBufAllocator.DEFAULT.directBuffer(RecordEncoder.recordLength(d));
    RecordEncoder.encode(d, rec, Integer.MAX_VALUE);
    int len = rec.readableBytes();
    store
        .put(new PutRequest("BenchTopic", queueId, rec, true))
        .onComplete(
            ar -> {
              long t1 = System.nanoTime();
              if (t0 >= measureFrom && t1 <= stopAt) {
                AppendResult r = ar.succeeded() ? ar.result() : null;
                if (r != null && r.status() == AppendStatus.PUT_OK) {
                  st.latency.recordValue(Math.max(1, (t1 - t0) / 1000));
                  st.count++;
                  st.bytes += len;
                } else {
                  st.errors++;
                }
              }
              appendLoop(store, body, seq + 7, st, measureFrom, stopAt);
            });
  }

  /** MB/s of writing {@code bytes} sequentially in 1 MiB chunks, then one fdatasync. */
  static double rawBandwidth(Path file, long bytes) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
    long t0 = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long written = 0;
      while (written < bytes) {
        chunk.clear();
        written += ch.write(chunk, written);
      }
      ch.force(false);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    Files.deleteIfExists(file);
    return bytes / secs / (1024 * 1024);
  }

  /**
   * Latency (µs) of writing {@code bytes} at the end of a growing region of a preallocated file,
   * then fdatasync, {@code n} times.
   */
  static Histogram rawFdatasync(Path file, int n, int bytes) throws IOException {
    Histogram h = new Histogram(3);
    ByteBuffer one = ByteBuffer.allocateDirect(bytes);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      long size = (long) bytes * n;
      for (long p = 0; p < size; p += zeros.capacity()) {
        zeros.clear();
        ch.write(zeros, p);
      }
      ch.force(true);
      for (int i = 0; i < n; i++) {
        one.clear();
        long t0 = System.nanoTime();
        ch.write(one, (long) i * bytes);
        ch.force(false);
        h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
      }
    }
    Files.deleteIfExists(file);
    return h;
  }

  private void print(
      PrintWriter out, List<Row> rows, double rawMbps, Histogram fsync, Histogram groupSync) {
    // What one fsync per group of every appender's message allows on this disk, at best.
    double groupCeiling =
        (double) size * syncAppenders / (groupSync.getValueAtPercentile(50) / 1e6) / (1024 * 1024);
    if (json) {
      StringBuilder sb = new StringBuilder("{\"rows\":[");
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        Histogram h = r.latency();
        sb.append(i == 0 ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT,
                    "{\"mode\":\"%s\",\"messages\":%d,\"msgPerSec\":%.1f,\"mbPerSec\":%.2f,\"p50us\":%d,\"p99us\":%d,\"p999us\":%d,\"maxUs\":%d,\"errors\":%d}",
                    r.mode(),
                    r.messages(),
                    r.rate(),
                    r.mbPerSecond(),
                    h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9),
                    h.getMaxValue(),
                    r.errors()));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "],\"rawWriteMbPerSec\":%.2f,\"rawFdatasyncP50us\":%d,\"rawFdatasyncP99us\":%d,\"rawGroupFdatasyncP50us\":%d,\"groupCeilingMbPerSec\":%.2f,\"bodyBytes\":%d}",
              rawMbps,
              fsync.getValueAtPercentile(50),
              fsync.getValueAtPercentile(99),
              groupSync.getValueAtPercentile(50),
              groupCeiling,
              size));
      out.println(sb);
      out.flush();
      return;
    }
    out.printf(
        Locale.ROOT,
        "%nstore bench: %d-byte bodies, %d queues, %d s measured after %d s warm-up%n%n",
        size,
        queues,
        duration,
        warmup);
    out.printf(
        Locale.ROOT,
        "%-26s %12s %10s %10s %10s %10s %10s %8s%n",
        "mode",
        "msg/s",
        "MB/s",
        "p50 µs",
        "p99 µs",
        "p99.9 µs",
        "max µs",
        "errors");
    for (Row r : rows) {
      Histogram h = r.latency();
      out.printf(
          Locale.ROOT,
          "%-26s %12.0f %10.1f %10d %10d %10d %10d %8d%n",
          r.mode(),
          r.rate(),
          r.mbPerSecond(),
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          h.getMaxValue(),
          r.errors());
    }
    out.printf(
        Locale.ROOT,
        "%nthis disk, same run: sequential write + fdatasync %.1f MB/s; 1 KiB write + fdatasync p50 %d µs, p99 %d µs%n",
        rawMbps,
        fsync.getValueAtPercentile(50),
        fsync.getValueAtPercentile(99));
    out.printf(
        Locale.ROOT,
        "%d KiB write + fdatasync p50 %d µs: one fsync per %d appenders' messages allows at most %.1f MB/s%n",
        size * syncAppenders / 1024,
        groupSync.getValueAtPercentile(50),
        syncAppenders,
        groupCeiling);
    for (Row r : rows) {
      if (r.mode().startsWith("sync, 1 ")) {
        out.printf(
            Locale.ROOT,
            "sync 1 appender p50 / fdatasync p50: %.2f%n",
            (double) r.latency().getValueAtPercentile(50)
                / Math.max(1, fsync.getValueAtPercentile(50)));
      } else if (r.mode().startsWith("sync")) {
        out.printf(
            Locale.ROOT,
            "sync %d appenders MB/s / raw MB/s: %.2f; / the group-fsync ceiling: %.2f%n",
            syncAppenders,
            r.mbPerSecond() / rawMbps,
            r.mbPerSecond() / groupCeiling);
      }
    }
    out.flush();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
