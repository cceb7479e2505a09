package dev.apogee.store;

import dev.apogee.config.StoreConfig;
import dev.apogee.store.log.CommitLog;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.queue.ConsumeQueue;
import dev.apogee.store.queue.ConsumeQueueTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a queue: its units from an offset, filtered by tags code and record, then the records
 * themselves as held slices of the commit log, with RocketMQ's outcomes and next offsets. Runs on
 * the caller's thread against mapped memory; stateless.
 */
final class QueueReader {
  /** Units examined per read at most (RocketMQ's 16,000 bytes of consume queue). */
  private static final int MAX_SCAN_UNITS = 800;

  private QueueReader() {}

  static GetResult read(
      ConsumeQueueTable queues,
      CommitLog commitLog,
      StoreConfig config,
      String topic,
      int queueId,
      long offset,
      int maxMsgNums,
      int maxBytes,
      MessageFilter filter) {
    ConsumeQueue cq = queues.find(topic, queueId);
    if (cq == null) {
      return new GetResult(GetStatus.NO_MATCHED_LOGIC_QUEUE, 0, 0, 0, List.of(), 0);
    }
    long min = cq.minOffset();
    long max = cq.maxOffset();
    if (max == 0) {
      return new GetResult(GetStatus.NO_MESSAGE_IN_QUEUE, 0, min, max, List.of(), 0);
    }
    if (offset < min) {
      return new GetResult(GetStatus.OFFSET_TOO_SMALL, min, min, max, List.of(), 0);
    }
    if (offset == max) {
      return new GetResult(GetStatus.OFFSET_OVERFLOW_ONE, offset, min, max, List.of(), 0);
    }
    if (offset > max) {
      return new GetResult(GetStatus.OFFSET_OVERFLOW_BADLY, max, min, max, List.of(), 0);
    }
    List<SelectedRecord> out = new ArrayList<>(Math.min(maxMsgNums, 32));
    long next = offset;
    int bytes = 0;
    int scanned = 0;
    boolean removing = false;
    long logMin = commitLog.minOffset();
    scan:
    while (out.size() < maxMsgNums && next < max && scanned < MAX_SCAN_UNITS) {
      ConsumeQueue.Units units = cq.units(next);
      if (units == null) {
        if (out.isEmpty() && scanned == 0) {
          long rolled = rollToNextFile(config, cq, next);
          return new GetResult(GetStatus.OFFSET_FOUND_NULL, rolled, min, max, List.of(), 0);
        }
        break;
      }
      try {
        int count = units.count();
        for (int i = 0; i < count; i++) {
          if (out.size() >= maxMsgNums || scanned >= MAX_SCAN_UNITS) {
            break scan;
          }
          long phy = units.phyOffset(i);
          int size = units.size(i);
          if (!out.isEmpty() && bytes + size > maxBytes) {
            break scan;
          }
          scanned++;
          if (!filter.matchesTagsCode(units.tagsCode(i))) {
            next++;
            continue;
          }
          SelectedRecord r = phy < logMin ? null : commitLog.selectRecord(phy, size);
          if (r == null) {
            removing = true;
            next++;
            continue;
          }
          if (!filter.matchesRecord(r.buffer().duplicate())) {
            r.release();
            next++;
            continue;
          }
          out.add(r);
          bytes += size;
          next++;
        }
      } finally {
        units.release();
      }
    }
    GetStatus status;
    if (!out.isEmpty()) {
      status = GetStatus.FOUND;
    } else if (removing) {
      status = GetStatus.MESSAGE_WAS_REMOVING;
    } else {
      status = GetStatus.NO_MATCHED_MESSAGE;
    }
    return new GetResult(status, next, min, max, out, bytes);
  }

  private static long rollToNextFile(StoreConfig config, ConsumeQueue cq, long offset) {
    long perFile = config.mappedFileSizeConsumeQueue() / StoreConfig.CQ_UNIT_SIZE;
    return offset + perFile - offset % perFile;
  }
}
