package dev.apogee.store;

import dev.apogee.store.file.MappedFile;
import dev.apogee.store.log.CommitLog;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.RecordCheck;
import dev.apogee.store.message.RecordDecoder;
import dev.apogee.store.message.RecordLayout;
import dev.apogee.store.queue.ConsumeQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery. Finds where the valid commit log ends after a crash: walks records from a safe
 * point, checking each one's framing ({@link RecordCheck}), its own physical offset and
 * (optionally) its body CRC. The first record that fails marks the end; everything after it is a
 * torn or garbage tail.
 */
final class StoreRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(StoreRecovery.class);

  private StoreRecovery() {}

  /**
   * Brings the store to a consistent state before it serves: checks the log from the s.checkpoint
   * (after a crash) or trusts it (after a clean stop), truncates a torn tail, loads and repairs
   * consume s.queues and the s.index, re-dispatches what they miss and restores queue offsets.
   */
  static void recover(MessageStore s) {
    long t0 = System.nanoTime();
    boolean crashed = Files.exists(s.config.abortFile());
    try {
      Files.createDirectories(s.config.configDir());
      Files.write(s.config.abortFile(), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + s.config.abortFile(), e);
    }
    s.commitLog.files().load();
    if (s.index != null) {
      s.index.load();
    }
    Checkpoint.State cp = s.checkpoint.read();
    long min = s.commitLog.minOffset();
    long logEnd = s.commitLog.files().maxOffset();
    long end;
    long dispatchFrom;
    if (!crashed && cp != null && cp.confirmPhyOffset() >= min && cp.confirmPhyOffset() <= logEnd) {
      end = cp.confirmPhyOffset();
      dispatchFrom = Math.min(end, Math.max(min, cp.logicsPhyOffset()));
    } else {
      long from = cp == null ? min : Math.max(min, cp.safeOffset());
      end = StoreRecovery.scanEnd(s.commitLog, from, s.config.checkCRCOnRecover());
      dispatchFrom = Math.min(end, from);
      if (crashed) {
        LOG.warn(
            "{}: recovering after an unclean stop: log checked from {} to {}",
            s.config.storePathRootDir(),
            from,
            end);
      } else if (logEnd > 0) {
        LOG.warn(
            "{}: no usable checkpoint: log checked from {} to {}",
            s.config.storePathRootDir(),
            from,
            end);
      }
    }
    s.commitLog.files().truncate(end);
    s.commitLog.files().setFlushedWhere(end);
    boolean rebuild = s.queues.load(end, end > min);
    if (!crashed && s.queues.truncatedOnLoad()) {
      // After a clean stop no unit may point past the log's end: such a queue is damaged.
      rebuild = true;
    }
    rebuild |= dropInconsistentQueues(s);
    if (s.index != null) {
      s.index.truncate(end);
    }
    if (rebuild) {
      LOG.warn(
          "{}: consume queues damaged or missing: rebuilding them from the commit log",
          s.config.storePathRootDir());
      dispatchFrom = min;
    }
    s.dispatcher.setDispatchedOffset(dispatchFrom);
    int redispatched = s.dispatcher.dispatch();
    for (ConsumeQueue cq : s.queues.all()) {
      s.commitLog.setQueueOffset(cq.topic(), cq.queueId(), cq.maxOffset());
    }
    s.commitLog.flush(0);
    s.flushQueuesAndCheckpoint();
    s.commitLog.files().prepare(end);
    LOG.info(
        "{}: store recovered in {} ms (commit log {}..{}, {} queues, {} records re-dispatched)",
        s.config.storePathRootDir(),
        (System.nanoTime() - t0) / 1_000_000,
        s.commitLog.minOffset(),
        end,
        s.queues.all().size(),
        redispatched);
  }

  /**
   * Drops s.queues whose last unit does not point at a record of that queue and offset (a damaged
   * file); returns true when any was dropped, so they are rebuilt from the log.
   */
  private static boolean dropInconsistentQueues(MessageStore s) {
    boolean dropped = false;
    long logMin = s.commitLog.minOffset();
    for (ConsumeQueue cq : s.queues.all()) {
      long max = cq.maxOffset();
      if (max <= cq.minOffset()) {
        continue;
      }
      long[] u = cq.unit(max - 1);
      if (u != null && u[0] < logMin) {
        continue;
      }
      SelectedRecord r = u == null ? null : s.commitLog.selectRecord(u[0], (int) u[1]);
      boolean ok = false;
      if (r != null) {
        ByteBuffer b = r.buffer();
        ok =
            b.getInt(RecordLayout.POS_TOTAL_SIZE) == u[1]
                && b.getInt(RecordLayout.POS_QUEUE_ID) == cq.queueId()
                && b.getLong(RecordLayout.POS_QUEUE_OFFSET) == max - 1;
        r.release();
      }
      if (!ok) {
        LOG.warn(
            "consume queue {}/{} does not match the commit log at offset {}: dropped",
            cq.topic(),
            cq.queueId(),
            max - 1);
        s.queues.drop(cq);
        dropped = true;
      }
    }
    return dropped;
  }

  /** The offset after the last valid record at or after {@code from}. */
  static long scanEnd(CommitLog log, long from, boolean checkCrc) {
    List<MappedFile> files = log.files().files();
    if (files.isEmpty()) {
      return 0;
    }
    long offset = Math.max(from, log.files().minOffset());
    while (true) {
      MappedFile f = log.files().findByOffset(offset);
      if (f == null) {
        return offset;
      }
      ByteBuffer b = f.mapped();
      int size = f.fileSize();
      int pos = (int) (offset - f.fileFromOffset());
      boolean nextFile = false;
      while (pos < size) {
        int len = checkRecord(b, pos, size, f.fileFromOffset() + pos, checkCrc);
        if (len == 0) {
          return f.fileFromOffset() + pos;
        }
        if (len < 0) {
          nextFile = true;
          break;
        }
        pos += len;
      }
      if (pos >= size) {
        nextFile = true;
      }
      if (!nextFile) {
        return f.fileFromOffset() + pos;
      }
      offset = f.fileFromOffset() + size;
      if (log.files().findByOffset(offset) == null) {
        return offset;
      }
    }
  }

  /**
   * The length of the valid record at {@code pos}; -1 for a blank end-of-file record that fills the
   * file; 0 when there is no valid record there. Beyond the codec's checks, a record must carry its
   * own position as its physical offset, so stale bytes from before a truncation never pass.
   */
  static int checkRecord(ByteBuffer b, int pos, int fileSize, long phy, boolean checkCrc) {
    RecordCheck c = RecordCheck.check(b, pos, fileSize, checkCrc);
    switch (c.status()) {
      case BLANK:
        return c.size() == fileSize - pos ? -1 : 0;
      case VALID:
        return RecordDecoder.physicalOffset(b, pos) == phy ? c.size() : 0;
      default:
        return 0;
    }
  }
}
