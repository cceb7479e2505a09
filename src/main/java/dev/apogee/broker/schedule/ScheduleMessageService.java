package dev.apogee.broker.schedule;

import dev.apogee.config.DelayLevels;
import dev.apogee.store.AppendResult;
import dev.apogee.store.AppendStatus;
import dev.apogee.store.Dispatcher;
import dev.apogee.store.MessageStore;
import dev.apogee.store.PutRequest;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageRecord;
import dev.apogee.store.message.RecordDecoder;
import dev.apogee.store.message.RecordEncoder;
import dev.apogee.store.message.RecordException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers delayed messages (protocol doc 5.8): each delay level's queue of {@code
 * SCHEDULE_TOPIC_XXXX} is read in order, and a message whose due time (the unit's tags code) has
 * come is written again to its real topic and queue; then the level's offset moves past it. A level
 * with nothing due sleeps until its next due time, or until the store reports a new unit in its
 * queue ({@link #wake}); there is no polling.
 *
 * <p>Offsets move only after the store accepted the re-written messages, and are saved every second
 * when they moved and at stop, so a crash delivers a due message at least once: those written since
 * the last save are written again after the restart.
 *
 * <p>Threading: everything but {@link #wake} runs on the context of {@link #start()} (a worker:
 * units and records are read from mapped files there), and every callback is brought back to it
 * with {@code runOnContext}, so timers are set there too; {@link #wake} may be called from any
 * thread. Saving the offsets goes to {@code saver}, so an fsync never delays delivery.
 */
public final class ScheduleMessageService {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleMessageService.class);
  private static final String TOPIC = Dispatcher.SCHEDULE_TOPIC;

  /** Messages of one level written in one go before their results are awaited. */
  static final int BATCH = 64;

  /** Wait before trying a level again after the store refused a write (RocketMQ: 10 s). */
  static final long RETRY_AFTER_FAILURE_MS = 1_000;

  /** What {@link #write} answers for a message it skips (after logging why). */
  private static final AppendResult SKIPPED = AppendResult.failed(AppendStatus.MESSAGE_ILLEGAL);

  /** Interval of the offset saves. */
  static final long SAVE_INTERVAL_MS = 1_000;

  private final Vertx vertx;
  private final MessageStore store;
  private final DelayLevels levels;
  private final DelayOffsetTable offsets;
  private final LongSupplier clock;
  private final WorkerExecutor saver;
  private final Level[] state;
  private final AtomicIntegerArray wakeQueued;
  private volatile Context context;
  private boolean stopped;
  private long saveTimer = -1;
  private int inFlight;
  private Promise<Void> drained;

  /** One level's progress; touched on the service's context only. */
  private static final class Level {
    final int level;
    final int queueId;
    final long delayMillis;
    long timer = -1;
    boolean busy;
    long failedAt = -1;

    Level(int level, long delayMillis) {
      this.level = level;
      this.queueId = ScheduledMessages.queueId(level);
      this.delayMillis = delayMillis;
    }
  }

  public ScheduleMessageService(
      Vertx vertx,
      MessageStore store,
      DelayLevels levels,
      DelayOffsetTable offsets,
      LongSupplier clock,
      WorkerExecutor saver) {
    this.vertx = vertx;
    this.store = store;
    this.levels = levels;
    this.offsets = offsets;
    this.clock = clock;
    this.saver = saver;
    this.state = new Level[levels.maxLevel()];
    for (int i = 0; i < state.length; i++) {
      state[i] = new Level(i + 1, levels.millis(i + 1));
    }
    this.wakeQueued = new AtomicIntegerArray(state.length);
  }

  /** The offsets by level, for GET_ALL_DELAY_OFFSET. */
  public DelayOffsetTable offsets() {
    return offsets;
  }

  /**
   * Loads the saved offsets, fits them into each queue's range and starts every level. Call on the
   * (worker) context that is to run the service; blocks while loading.
   */
  public void start() {
    offsets.load();
    context = vertx.getOrCreateContext();
    for (Level s : state) {
      long min = store.minOffsetInQueue(TOPIC, s.queueId);
      long max = store.maxOffsetInQueue(TOPIC, s.queueId);
      long o = offsets.offset(s.level);
      long fitted = Math.max(min, Math.min(max, o));
      if (fitted != o) {
        LOG.warn(
            "delay level {}: saved offset {} outside the queue's range [{}, {}]; starting at {}",
            s.level,
            o,
            min,
            max,
            fitted);
        offsets.set(s.level, fitted);
      }
      pass(s);
    }
    saveTimer = vertx.setPeriodic(SAVE_INTERVAL_MS, t -> saveIfMoved());
    LOG.info("delayed delivery started: {} levels ({})", state.length, levels);
  }

  /** Tells the level of schedule-topic queue {@code queueId} that units arrived. Any thread. */
  public void wake(int queueId) {
    Context ctx = context;
    if (ctx == null || queueId < 0 || queueId >= state.length) {
      return;
    }
    if (wakeQueued.compareAndSet(queueId, 0, 1)) {
      ctx.runOnContext(
          v -> {
            wakeQueued.set(queueId, 0);
            Level s = state[queueId];
            // A pending timer is for an earlier unit: a new unit is due no sooner.
            if (s.timer < 0) {
              pass(s);
            }
          });
    }
  }

  /**
   * Stops delivering, waits for the writes in flight and saves the offsets. On the service's
   * context.
   */
  public Future<Void> stop() {
    stopped = true;
    if (saveTimer >= 0) {
      vertx.cancelTimer(saveTimer);
    }
    for (Level s : state) {
      cancelTimer(s);
    }
    Future<Void> idle;
    if (inFlight == 0) {
      idle = Future.succeededFuture();
    } else {
      drained = Promise.promise();
      idle = drained.future();
    }
    return idle.compose(v -> saver.executeBlocking(offsets::save, true)).mapEmpty();
  }

  private void saveIfMoved() {
    saver
        .executeBlocking(offsets::save, true)
        .onFailure(e -> LOG.error("saving the delay offsets failed: {}", e.toString()));
  }

  private void cancelTimer(Level s) {
    if (s.timer >= 0) {
      vertx.cancelTimer(s.timer);
      s.timer = -1;
    }
  }

  private void sleep(Level s, long millis) {
    cancelTimer(s);
    s.timer =
        vertx.setTimer(
            Math.max(1, millis),
            id -> {
              s.timer = -1;
              pass(s);
            });
  }

  /** Writes what is due of one level, or sleeps until its next due time. */
  private void pass(Level s) {
    if (stopped || s.busy) {
      return;
    }
    cancelTimer(s);
    long now = clock.getAsLong();
    long max = store.maxOffsetInQueue(TOPIC, s.queueId);
    long from = offsets.offset(s.level);
    long min = store.minOffsetInQueue(TOPIC, s.queueId);
    if (from < min) {
      LOG.warn(
          "delay level {}: units {} to {} were deleted by retention before delivery",
          s.level,
          from,
          min - 1);
      from = min;
      offsets.set(s.level, from);
    }
    List<Future<AppendResult>> writes = new ArrayList<>();
    long o = from;
    while (o < max && writes.size() < BATCH) {
      long[] unit = store.unitAt(TOPIC, s.queueId, o);
      if (unit == null) {
        break;
      }
      long due = ScheduledMessages.correctedDueTime(now, unit[2], s.delayMillis);
      if (due > now) {
        sleep(s, due - now);
        break;
      }
      writes.add(write(s, o, unit[0]));
      o++;
    }
    if (writes.isEmpty()) {
      if (o < max && s.timer < 0) {
        // A unit not readable yet: look again shortly rather than spin.
        sleep(s, RETRY_AFTER_FAILURE_MS);
      }
      return;
    }
    s.busy = true;
    inFlight++;
    long first = from;
    // The store completes its futures on this context's threads but not as a dispatch on it:
    // come back explicitly, so the level's state and the timers it sets stay on this context.
    Future.join(writes).onComplete(ar -> context.runOnContext(v -> written(s, first, writes)));
  }

  /** Advances past every write the store took, up to the first it refused for now. */
  private void written(Level s, long first, List<Future<AppendResult>> writes) {
    s.busy = false;
    long next = first;
    AppendStatus refused = null;
    for (Future<AppendResult> w : writes) {
      AppendStatus st = w.succeeded() ? w.result().status() : AppendStatus.UNKNOWN_ERROR;
      if (!st.stored() && st != AppendStatus.MESSAGE_ILLEGAL) {
        refused = st;
        break;
      }
      if (st == AppendStatus.MESSAGE_ILLEGAL && w.result() != SKIPPED) {
        LOG.error(
            "delay level {}: the store refused the message at offset {} as illegal; skipped",
            s.level,
            next);
      }
      next++;
    }
    offsets.set(s.level, next);
    if (--inFlight == 0 && drained != null) {
      drained.complete();
    }
    if (stopped) {
      return;
    }
    if (refused != null) {
      if (s.failedAt < 0) {
        LOG.warn(
            "delay level {}: the store refused the due message at offset {} ({}); trying again"
                + " every {} ms",
            s.level,
            next,
            refused,
            RETRY_AFTER_FAILURE_MS);
      }
      s.failedAt = next;
      sleep(s, RETRY_AFTER_FAILURE_MS);
      return;
    }
    if (s.failedAt >= 0) {
      LOG.info("delay level {}: delivering again", s.level);
      s.failedAt = -1;
    }
    pass(s);
  }

  /**
   * Writes the scheduled record at {@code phyOffset} to its real queue. A record that cannot be
   * delivered (gone, malformed, without a real topic) is logged and skipped: it can never succeed.
   */
  private Future<AppendResult> write(Level s, long queueOffset, long phyOffset) {
    MessageDraft draft;
    SelectedRecord r = store.selectRecord(phyOffset);
    if (r == null) {
      LOG.error(
          "delay level {}: no record at commit log offset {} for queue offset {}; skipped",
          s.level,
          phyOffset,
          queueOffset);
      return Future.succeededFuture(SKIPPED);
    }
    try {
      MessageRecord m = RecordDecoder.decode(r.buffer(), 0);
      draft = ScheduledMessages.redeliver(m);
    } catch (RecordException | IllegalArgumentException e) {
      LOG.error(
          "delay level {}: the message at queue offset {} (commit log offset {}) cannot be"
              + " delivered: {}; skipped",
          s.level,
          queueOffset,
          phyOffset,
          e.getMessage());
      return Future.succeededFuture(SKIPPED);
    } finally {
      r.release();
    }
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(RecordEncoder.recordLength(draft));
    try {
      // The body was stored once already, so it fits; today's maxMessageSize does not apply.
      RecordEncoder.encode(draft, buf, Integer.MAX_VALUE);
    } catch (RuntimeException e) {
      buf.release();
      LOG.error(
          "delay level {}: the message at queue offset {} cannot be encoded again: {}; skipped",
          s.level,
          queueOffset,
          e.getMessage());
      return Future.succeededFuture(SKIPPED);
    }
    return store.put(new PutRequest(draft.topic(), draft.queueId(), buf, false));
  }
}
