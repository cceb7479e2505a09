package dev.apogee.store;

import dev.apogee.bus.Addresses;
import dev.apogee.bus.LocalCodec;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.FlushDiskType;
import dev.apogee.config.StoreConfig;
import dev.apogee.store.file.FileAllocator;
import dev.apogee.store.index.IndexQueryResult;
import dev.apogee.store.index.IndexService;
import dev.apogee.store.log.CommitLog;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.RecordDecoder;
import dev.apogee.store.queue.ConsumeQueue;
import dev.apogee.store.queue.ConsumeQueueTable;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message store: what request processors call. Appends go through one writer (the store
 * verticle) into the commit log; consume queues and the key index are built from the log by the
 * index verticle; the flush verticle makes appends durable (periodically, or as a group commit
 * before the reply with SYNC_FLUSH); the clean verticle applies retention and watches the disk.
 *
 * <p>Threading: every public method may be called from any thread. {@link #put} never blocks and
 * completes on the caller's context. Reads ({@link #getMessages}, {@link #selectRecord}, …) work on
 * mapped memory in the calling thread and return held slices the caller must release.
 */
public final class MessageStore {
  private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Records dispatched per round before the index thread yields. */
  private static final int DISPATCH_BATCH = 65536;

  private enum State {
    RUNNING,
    /** A commit log write failed: nothing more is appended until a restart recovers. */
    FAILED,
    CLOSING,
    CLOSED
  }

  /** Test and embedding seams: the clock and the disk probe. */
  public record Options(LongSupplier clock, DiskGuard.UsageProbe diskProbe) {
    public static Options defaults() {
      return new Options(System::currentTimeMillis, DiskGuard.FILE_STORE);
    }
  }

  final Vertx vertx;
  final StoreConfig config;
  final FlushConfig flushConfig;
  final LongSupplier clock;
  final int id = IDS.incrementAndGet();
  final String appendAddress = Addresses.of(Addresses.STORE_APPEND, id);
  final String flushAddress = Addresses.of(Addresses.STORE_FLUSH, id);
  final String dispatchAddress = Addresses.of(Addresses.STORE_DISPATCH, id);

  final CommitLog commitLog;
  final ConsumeQueueTable queues;
  final IndexService index;
  final Dispatcher dispatcher;
  final Checkpoint checkpoint;
  final DiskGuard diskGuard;
  private final FileAllocator allocator;
  private final FileChannel lockChannel;
  private final FileLock lock;

  final AppendQueue appendQueue = new AppendQueue();

  /** The store thread's list of appends taken in one drain. */
  private final List<PendingAppend> drained = new ArrayList<>();

  final AtomicBoolean appendScheduled = new AtomicBoolean();
  final AtomicBoolean dispatchScheduled = new AtomicBoolean();

  /** SYNC_FLUSH appends written and waiting for their fsync, oldest first. */
  final ConcurrentLinkedDeque<PendingAppend> flushWaiters = new ConcurrentLinkedDeque<>();

  private final LongAdder putsInFlight = new LongAdder();

  /** Replies of the store thread, handed to each caller context once per drain. */
  private final Replies storeReplies = new Replies();

  /** Replies of the flush thread. */
  private final Replies flushReplies = new Replies();

  private volatile State state = State.RUNNING;
  private volatile MessageArrivalListener arrivalListener;
  private volatile LongConsumer flushListener = nanos -> {};
  private final List<String> deployments = new ArrayList<>();
  private Promise<Void> closed;
  private long timeoutSweeper = -1;
  volatile Context storeContext;
  volatile Context flushContext;
  volatile Context indexContext;

  private MessageStore(Vertx vertx, StoreConfig config, FlushConfig flushConfig, Options options) {
    this.vertx = vertx;
    this.config = config;
    this.flushConfig = flushConfig;
    this.clock = options.clock();
    try {
      Files.createDirectories(config.storePathRootDir());
      this.lockChannel =
          FileChannel.open(config.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      this.lock = tryLock(lockChannel);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open store at " + config.storePathRootDir(), e);
    }
    if (lock == null) {
      throw new IllegalStateException(
          "store at " + config.storePathRootDir() + " is in use by another process");
    }
    this.allocator = new FileAllocator(config.warmMapedFileEnable());
    this.commitLog =
        new CommitLog(config.storePathCommitLog(), config.mappedFileSizeCommitLog(), allocator);
    this.queues =
        new ConsumeQueueTable(config.consumeQueueDir(), config.mappedFileSizeConsumeQueue());
    this.index =
        config.messageIndexEnable()
            ? new IndexService(config.indexDir(), config.maxHashSlotNum(), config.maxIndexNum())
            : null;
    this.checkpoint = new Checkpoint(config.checkpointFile());
    this.dispatcher =
        new Dispatcher(commitLog, queues, index, this::onArrival, config.messageDelayLevel());
    this.diskGuard =
        new DiskGuard(
            config.storePathCommitLog(), options.diskProbe(), config.diskSpaceWarningLevelRatio());
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      // Held by another store of this same process.
      ch.close();
      return null;
    }
  }

  /** Opens (recovering if needed) the store under the configured root and deploys its verticles. */
  public static Future<MessageStore> open(Vertx vertx, StoreConfig store, FlushConfig flush) {
    return open(vertx, store, flush, Options.defaults());
  }

  /** As {@link #open(Vertx, StoreConfig, FlushConfig)} with an injected clock and disk probe. */
  public static Future<MessageStore> open(
      Vertx vertx, StoreConfig store, FlushConfig flush, Options options) {
    LocalCodec.registerAll(vertx, Signal.class);
    return vertx
        .executeBlocking(
            () -> {
              MessageStore s = new MessageStore(vertx, store, flush, options);
              try {
                StoreRecovery.recover(s);
              } catch (RuntimeException e) {
                s.closeFiles();
                throw e;
              }
              return s;
            },
            false)
        .compose(s -> s.deploy().map(s));
  }

  // ---------------------------------------------------------------- recovery

  /** Forces queues and index, then records how far everything is durable. Index thread. */
  void flushQueuesAndCheckpoint() {
    long dispatched = dispatcher.dispatchedOffset();
    long dispatchedTs = dispatcher.lastStoreTimestamp();
    for (ConsumeQueue cq : queues.all()) {
      cq.flush(0);
    }
    if (index != null) {
      index.flush();
    }
    long confirm = commitLog.flushedOffset();
    checkpoint.write(
        new Checkpoint.State(
            dispatchedTs, dispatchedTs, dispatchedTs, confirm, dispatched, dispatched));
  }

  // ---------------------------------------------------------------- verticles

  private Future<Void> deploy() {
    DeploymentOptions store =
        new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setInstances(1)
            .setWorkerPoolName("apogee-store-" + id)
            .setWorkerPoolSize(1);
    DeploymentOptions flush =
        new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setWorkerPoolName("apogee-flush-" + id)
            .setWorkerPoolSize(1);
    DeploymentOptions idx =
        new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setWorkerPoolName("apogee-index-" + id)
            .setWorkerPoolSize(1);
    DeploymentOptions clean =
        new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setWorkerPoolName("apogee-clean-" + id)
            .setWorkerPoolSize(1);
    return vertx
        .deployVerticle(new StoreVerticle(this), store)
        .compose(
            d -> {
              deployments.add(d);
              return vertx.deployVerticle(new FlushVerticle(this), flush);
            })
        .compose(
            d -> {
              deployments.add(d);
              return vertx.deployVerticle(new IndexVerticle(this), idx);
            })
        .compose(
            d -> {
              deployments.add(d);
              return vertx.deployVerticle(new CleanVerticle(this), clean);
            })
        .map(
            d -> {
              deployments.add(d);
              diskGuard.check();
              timeoutSweeper = vertx.setPeriodic(50, t -> sweepFlushTimeouts());
              return null;
            });
  }

  // ---------------------------------------------------------------- writes

  /**
   * Appends the request's records. Completes on the caller's context with the result: PUT_OK once
   * written (with SYNC_FLUSH and {@code waitStoreMsgOK}, once durable), FLUSH_DISK_TIMEOUT when the
   * fsync took longer than {@code syncFlushTimeout}, or a refusal status with nothing written.
   * Never fails the future for expected conditions.
   */
  public Future<AppendResult> put(PutRequest request) {
    ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
    // Completed on the caller's context by a batch task (see Replies), not one task per reply.
    Promise<AppendResult> promise = Promise.promise();
    putsInFlight.increment();
    try {
      if (state != State.RUNNING) {
        request.records().release();
        return ctx.succeededFuture(AppendResult.failed(AppendStatus.SERVICE_NOT_AVAILABLE));
      }
      appendQueue.offer(new PendingAppend(request, promise, ctx));
    } finally {
      putsInFlight.decrement();
    }
    if (appendScheduled.compareAndSet(false, true)) {
      vertx.eventBus().send(appendAddress, Signal.WAKE);
    }
    return promise.future();
  }

  /**
   * Drains queued appends into the commit log. Store thread. The wake-up flag is cleared only once
   * the queue looks empty, and the queue is checked again after: producers that enqueue meanwhile
   * see the flag still set and send nothing, so under load one wake-up carries many appends.
   */
  void drainAppends(int max) {
    if (state == State.FAILED) {
      failQueued();
      return;
    }
    boolean sync = flushConfig.flushDiskType() == FlushDiskType.SYNC_FLUSH;
    List<PendingAppend> batch = drained;
    int n = 0;
    while (true) {
      PendingAppend p;
      while (n < max && (p = appendQueue.poll()) != null) {
        n++;
        p.result = appendOne(p.request);
        batch.add(p);
      }
      if (n >= max) {
        // Yield to other work on this thread; the flag stays set, so wake ourselves.
        vertx.eventBus().send(appendAddress, Signal.WAKE);
        break;
      }
      appendScheduled.set(false);
      if (!appendQueue.hasNext() || !appendScheduled.compareAndSet(false, true)) {
        break;
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      commitLog.commit();
    } catch (RuntimeException e) {
      fail("writing the commit log failed", e);
      for (PendingAppend p : batch) {
        storeReplies.add(p, AppendResult.failed(AppendStatus.UNKNOWN_ERROR));
      }
      batch.clear();
      storeReplies.send();
      return;
    }
    boolean waiting = false;
    long now = System.nanoTime();
    for (PendingAppend p : batch) {
      if (sync && p.result.status().stored() && p.request.waitStoreMsgOK()) {
        p.flushWaitStart = now;
        flushWaiters.add(p);
        waiting = true;
      } else {
        storeReplies.add(p, p.result);
      }
    }
    batch.clear();
    storeReplies.send();
    if (dispatchScheduled.compareAndSet(false, true)) {
      vertx.eventBus().send(dispatchAddress, Signal.WAKE);
    }
    if (waiting) {
      vertx.eventBus().send(flushAddress, Signal.WAKE);
    }
  }

  private void fail(String what, RuntimeException e) {
    state = State.FAILED;
    LOG.error(
        "{}: {}; the store refuses appends from now on: {}",
        config.storePathRootDir(),
        what,
        e.toString(),
        e);
  }

  /** Answers every queued append SERVICE_NOT_AVAILABLE (failed or closed store). Store thread. */
  private void failQueued() {
    PendingAppend p;
    while ((p = appendQueue.poll()) != null) {
      p.request.records().release();
      storeReplies.add(p, AppendResult.failed(AppendStatus.SERVICE_NOT_AVAILABLE));
    }
    appendScheduled.set(false);
    storeReplies.send();
  }

  private AppendResult appendOne(PutRequest req) {
    try {
      if (diskGuard.full()) {
        req.records().release();
        return AppendResult.failed(AppendStatus.DISK_FULL);
      }
      return commitLog.append(req, clock.getAsLong());
    } catch (RuntimeException e) {
      LOG.error("append to {} queue {} failed: {}", req.topic(), req.queueId(), e.toString(), e);
      if (req.records().refCnt() > 0) {
        req.records().release();
      }
      return AppendResult.failed(AppendStatus.UNKNOWN_ERROR);
    }
  }

  /** One fsync for every waiting append, then their replies. Flush thread. */
  void groupCommit() {
    if (flushWaiters.isEmpty()) {
      return;
    }
    flushCommitLog(0);
    long flushed = commitLog.flushedOffset();
    long timeoutNanos = flushConfig.syncFlushTimeout() * 1_000_000L;
    long now = System.nanoTime();
    PendingAppend w;
    while ((w = flushWaiters.peekFirst()) != null && w.result.endOffset() <= flushed) {
      flushWaiters.pollFirst();
      boolean late = now - w.flushWaitStart > timeoutNanos;
      flushReplies.add(w, late ? w.result.withStatus(AppendStatus.FLUSH_DISK_TIMEOUT) : w.result);
    }
    flushReplies.send();
  }

  /** Answers FLUSH_DISK_TIMEOUT to appends whose fsync is overdue (the append stays stored). */
  private void sweepFlushTimeouts() {
    long timeoutNanos = flushConfig.syncFlushTimeout() * 1_000_000L;
    long now = System.nanoTime();
    for (PendingAppend w : flushWaiters) {
      if (now - w.flushWaitStart <= timeoutNanos) {
        break;
      }
      AppendResult late = w.result.withStatus(AppendStatus.FLUSH_DISK_TIMEOUT);
      PendingAppend waiter = w;
      w.context.runOnContext(v -> waiter.promise.tryComplete(late));
    }
  }

  /** Deletes queue and index files below the commit log's minimum. Index thread. */
  void followRetention() {
    long min = commitLog.minOffset();
    for (ConsumeQueue cq : queues.all()) {
      cq.deleteBelow(min);
    }
    if (index != null) {
      index.deleteFilesBefore(min);
    }
  }

  /** Dispatches new records, until none is left or a batch is done. Index thread. */
  void dispatchNew() {
    while (true) {
      dispatcher.dispatch(commitLog.maxOffset(), DISPATCH_BATCH);
      if (dispatcher.behindBytes() > 0) {
        // A full batch: let the timer and other work run, then continue.
        vertx.eventBus().send(dispatchAddress, Signal.WAKE);
        return;
      }
      dispatchScheduled.set(false);
      if (dispatcher.behindBytes() == 0 || !dispatchScheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void onArrival(String topic, int queueId, long maxOffset) {
    MessageArrivalListener l = arrivalListener;
    if (l != null) {
      l.arrived(topic, queueId, maxOffset);
    }
  }

  /** Sets who is told when queues grow (the broker's long polling). */
  public void setArrivalListener(MessageArrivalListener listener) {
    this.arrivalListener = listener;
  }

  /** Told the duration in nanoseconds of every commit log flush that wrote something. */
  public void setFlushListener(LongConsumer listener) {
    this.flushListener = listener;
  }

  /** Flushes the commit log (at least {@code leastPages} dirty pages, 0: all) and times it. */
  boolean flushCommitLog(int leastPages) {
    long t0 = System.nanoTime();
    boolean flushed = commitLog.flush(leastPages);
    if (flushed) {
      flushListener.accept(System.nanoTime() - t0);
    }
    return flushed;
  }

  // ---------------------------------------------------------------- reads

  /**
   * Reads up to {@code maxMsgNums} messages (and about {@code maxBytes}) of a queue from {@code
   * offset}, keeping those {@code filter} accepts. RocketMQ's outcomes and next offsets. The
   * records are held: call {@link GetResult#release()}.
   */
  public GetResult getMessages(
      String topic, int queueId, long offset, int maxMsgNums, int maxBytes, MessageFilter filter) {
    return QueueReader.read(
        queues, commitLog, config, topic, queueId, offset, maxMsgNums, maxBytes, filter);
  }

  /** Next queue offset to be written in the queue (0 when unknown). */
  public long maxOffsetInQueue(String topic, int queueId) {
    ConsumeQueue cq = queues.find(topic, queueId);
    return cq == null ? 0 : cq.maxOffset();
  }

  /** First queue offset still stored (0 when unknown). */
  public long minOffsetInQueue(String topic, int queueId) {
    ConsumeQueue cq = queues.find(topic, queueId);
    return cq == null ? 0 : cq.minOffset();
  }

  /**
   * The unit at a queue offset as [commit log offset, size, tags code], or null. The tags code of a
   * {@link Dispatcher#SCHEDULE_TOPIC} unit is the message's due time.
   */
  public long[] unitAt(String topic, int queueId, long queueOffset) {
    ConsumeQueue cq = queues.find(topic, queueId);
    return cq == null ? null : cq.unit(queueOffset);
  }

  /** Store time of the message at a queue offset, or -1. */
  public long storeTimestampAt(String topic, int queueId, long queueOffset) {
    long[] u = unitAt(topic, queueId, queueOffset);
    return u == null ? -1 : commitLog.storeTimestampAt(u[0], (int) u[1]);
  }

  /** Store time of the oldest message still in the queue, or -1. */
  public long earliestMessageTime(String topic, int queueId) {
    return storeTimestampAt(topic, queueId, minOffsetInQueue(topic, queueId));
  }

  /**
   * The queue offset for a store time: {@code upper} false gives the first message stored at or
   * after {@code timestamp} (the queue's max offset when none), true the last stored at or before
   * it (the min offset when none).
   */
  public long offsetByTimestamp(String topic, int queueId, long timestamp, boolean upper) {
    ConsumeQueue cq = queues.find(topic, queueId);
    if (cq == null) {
      return 0;
    }
    long lo = cq.minOffset();
    long hi = cq.maxOffset() - 1;
    long min = lo;
    long max = cq.maxOffset();
    long found = -1;
    while (lo <= hi) {
      long mid = (lo + hi) >>> 1;
      long ts = storeTimestampAt(topic, queueId, mid);
      if (ts < 0) {
        // The unit's record is gone (retention): look only above it.
        lo = mid + 1;
        continue;
      }
      if (upper) {
        if (ts <= timestamp) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      } else {
        if (ts >= timestamp) {
          found = mid;
          hi = mid - 1;
        } else {
          lo = mid + 1;
        }
      }
    }
    if (found >= 0) {
      return found;
    }
    return upper ? min : max;
  }

  /**
   * A heap copy of the record at {@code physicalOffset}, or null when there is none: for answers
   * that carry one record as a plain body. Reads a mapped file, so not on an event loop.
   */
  public byte[] copyRecord(long physicalOffset) {
    SelectedRecord r = selectRecord(physicalOffset);
    if (r == null) {
      return null;
    }
    try {
      ByteBuffer b = r.buffer().duplicate();
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } finally {
      r.release();
    }
  }

  public SelectedRecord selectRecord(long physicalOffset) {
    return commitLog.selectRecord(physicalOffset);
  }

  /**
   * Messages of {@code topic} whose KEYS contain {@code key} or whose UNIQ_KEY is {@code key},
   * stored within {@code [begin, end]}, newest first, at most {@code maxNum}. Records are held.
   */
  public QueryResult queryByKey(String topic, String key, int maxNum, long begin, long end) {
    if (index == null) {
      return new QueryResult(List.of(), 0, 0);
    }
    IndexQueryResult ix = index.query(topic, key, maxNum, begin, end);
    List<SelectedRecord> out = new ArrayList<>();
    for (long phy : ix.phyOffsets()) {
      SelectedRecord r = commitLog.selectRecord(phy);
      if (r == null) {
        continue;
      }
      if (matchesKey(r.buffer(), topic, key)) {
        out.add(r);
      } else {
        r.release();
      }
    }
    return new QueryResult(out, ix.lastUpdateTimestamp(), ix.lastUpdatePhyOffset());
  }

  /** Drops index hash collisions: the record must be of the topic and carry the key. */
  private static boolean matchesKey(ByteBuffer rec, String topic, String key) {
    if (!topic.equals(RecordDecoder.topic(rec, 0))) {
      return false;
    }
    if (key.equals(RecordDecoder.property(rec, 0, MessageProperties.UNIQ_KEY))) {
      return true;
    }
    String keys = RecordDecoder.property(rec, 0, MessageProperties.KEYS);
    if (keys != null) {
      for (String k : keys.split(" ")) {
        if (k.equals(key)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Messages found by key, held until {@link #release()}. */
  public record QueryResult(
      List<SelectedRecord> records, long indexLastUpdateTimestamp, long indexLastUpdatePhyOffset) {
    public void release() {
      records.forEach(SelectedRecord::release);
    }
  }

  // ---------------------------------------------------------------- state

  public StoreConfig config() {
    return config;
  }

  public long commitLogMinOffset() {
    return commitLog.minOffset();
  }

  public long commitLogMaxOffset() {
    return commitLog.maxOffset();
  }

  public long commitLogFlushedOffset() {
    return commitLog.flushedOffset();
  }

  public long dispatchedOffset() {
    return dispatcher.dispatchedOffset();
  }

  public long dispatchBehindBytes() {
    return dispatcher.behindBytes();
  }

  /** Disk use (0..1) of the commit log's disk at the last check. */
  public double diskUsedRatio() {
    return diskGuard.lastRatio();
  }

  public boolean diskFull() {
    return diskGuard.full();
  }

  /** Re-reads the disk use now (normally every {@code cleanResourceInterval}). */
  public Future<Double> checkDisk() {
    return vertx.executeBlocking(diskGuard::check, false);
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Stops taking appends, finishes the queued ones, flushes, dispatches, writes a clean checkpoint,
   * undeploys the verticles, unmaps every file and removes the abort marker.
   */
  public synchronized Future<Void> close() {
    if (closed != null) {
      return closed.future();
    }
    closed = Promise.promise();
    if (state == State.RUNNING) {
      state = State.CLOSING;
    }
    if (timeoutSweeper >= 0) {
      vertx.cancelTimer(timeoutSweeper);
    }
    Future<Void> f =
        vertx
            .executeBlocking(
                () -> {
                  while (putsInFlight.sum() > 0) {
                    Thread.onSpinWait();
                  }
                  return null;
                },
                false)
            .compose(v -> onContext(storeContext, () -> drainAppends(Integer.MAX_VALUE)))
            .compose(v -> onContext(storeContext, this::failQueued))
            .compose(v -> onContext(flushContext, this::groupCommitAll))
            .compose(
                v ->
                    onContext(
                        indexContext,
                        () -> {
                          dispatcher.dispatch();
                          flushQueuesAndCheckpoint();
                        }))
            .compose(v -> undeployAll())
            .compose(
                v ->
                    vertx.executeBlocking(
                        () -> {
                          closeFiles();
                          Files.deleteIfExists(config.abortFile());
                          return null;
                        },
                        false))
            .map(
                v -> {
                  state = State.CLOSED;
                  LOG.info("{}: store closed", config.storePathRootDir());
                  return (Void) null;
                });
    f.onComplete(closed);
    return closed.future();
  }

  private void groupCommitAll() {
    commitLog.flush(0);
    groupCommit();
    PendingAppend w;
    while ((w = flushWaiters.pollFirst()) != null) {
      flushReplies.add(w, w.result);
    }
    flushReplies.send();
  }

  private Future<Void> undeployAll() {
    Future<Void> f = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String d = deployments.get(i);
      f = f.compose(v -> vertx.undeploy(d));
    }
    return f;
  }

  private static Future<Void> onContext(Context ctx, Runnable r) {
    if (ctx == null) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          try {
            r.run();
            p.complete();
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  private void closeFiles() {
    allocator.close();
    commitLog.close();
    queues.close();
    if (index != null) {
      index.close();
    }
    checkpoint.close();
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the store lock: {}", e.toString());
    }
  }
}
