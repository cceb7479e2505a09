package dev.apogee.store.queue;

import static dev.apogee.config.StoreConfig.CQ_UNIT_SIZE;

import dev.apogee.store.file.MappedFile;
import dev.apogee.store.file.MappedFileQueue;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One topic queue's index into the commit log: a 20-byte unit per message (commit log offset,
 * record size, tags code; protocol doc 4.2); unit {@code n} is queue offset {@code n}.
 *
 * <p>Threading: one writer (the dispatcher) appends and truncates; any thread reads units below
 * {@link #maxOffset()}, holding the file it reads from.
 */
public final class ConsumeQueue {
  private final String topic;
  private final int queueId;
  private final MappedFileQueue files;
  private final int fileSize;

  /** The dispatcher's mark: the dispatch round in which this queue last grew (its thread only). */
  public long arrivalRound;

  /** Offsets below this point at commit log data already deleted. */
  private volatile long minLogicOffset;

  public ConsumeQueue(String topic, int queueId, Path dir, int fileSize) {
    this.topic = topic;
    this.queueId = queueId;
    this.files = new MappedFileQueue(dir, fileSize, null);
    this.fileSize = fileSize;
  }

  public String topic() {
    return topic;
  }

  public int queueId() {
    return queueId;
  }

  public MappedFileQueue files() {
    return files;
  }

  /**
   * Maps the files and finds the end: the first unit with a non-positive size in the last file that
   * has any. Units pointing at or past {@code commitLogEnd} are dropped.
   */
  public boolean load(long commitLogEnd) {
    files.load();
    // Drop trailing files that hold no unit (allocated but never written).
    while (!files.isEmpty()) {
      MappedFile last = files.last();
      int end = scanEnd(last);
      if (end == 0 && files.files().size() > 1) {
        files.deleteLast(last);
        continue;
      }
      last.setWrotePosition(end);
      last.setFlushedPosition(end);
      break;
    }
    files.setFlushedWhere(files.maxOffset());
    MappedFile first = files.first();
    minLogicOffset = first == null ? 0 : first.fileFromOffset() / CQ_UNIT_SIZE;
    long before = files.maxOffset();
    truncateFrom(commitLogEnd);
    return files.maxOffset() != before;
  }

  private static int scanEnd(MappedFile f) {
    ByteBuffer b = f.mapped();
    int size = f.fileSize();
    for (int p = 0; p + CQ_UNIT_SIZE <= size; p += CQ_UNIT_SIZE) {
      if (b.getInt(p + 8) <= 0) {
        return p;
      }
    }
    return size - size % CQ_UNIT_SIZE;
  }

  /**
   * Writes the unit for {@code queueOffset}. Units already present are left alone (re-dispatch
   * after a crash is idempotent); a gap is filled with empty units. Writer only.
   */
  public void put(long queueOffset, long phyOffset, int size, long tagsCode) {
    long at = queueOffset * CQ_UNIT_SIZE;
    long max = files.maxOffset();
    if (files.isEmpty()) {
      minLogicOffset = queueOffset;
    } else if (at < max) {
      return;
    }
    MappedFile f = files.lastOrCreate(files.isEmpty() ? at : max);
    while (f.fileFromOffset() + f.wrotePosition() < at) {
      // A gap (units lost with a damaged file): pad with empty units so offsets stay aligned.
      long pad = Math.min(at, f.fileFromOffset() + fileSize);
      f.setWrotePosition((int) (pad - f.fileFromOffset()));
      f = files.lastOrCreate(pad);
    }
    int pos = f.wrotePosition();
    ByteBuffer b = f.mapped();
    b.putLong(pos, phyOffset);
    b.putInt(pos + 8, size);
    b.putLong(pos + 12, tagsCode);
    f.setWrotePosition(pos + CQ_UNIT_SIZE);
  }

  /** Next queue offset to be written. Any thread. */
  public long maxOffset() {
    return files.maxOffset() / CQ_UNIT_SIZE;
  }

  /** First queue offset still readable. Any thread. */
  public long minOffset() {
    long fileMin = files.minOffset() / CQ_UNIT_SIZE;
    return Math.max(fileMin, minLogicOffset);
  }

  /**
   * Units from {@code queueOffset} to the end of its file or of the queue, held: release the
   * result. Null when the offset is not readable. Any thread.
   */
  public Units units(long queueOffset) {
    if (queueOffset < minOffset() || queueOffset >= maxOffset()) {
      return null;
    }
    long at = queueOffset * CQ_UNIT_SIZE;
    MappedFile f = files.findByOffset(at);
    if (f == null || !f.hold()) {
      return null;
    }
    int pos = (int) (at - f.fileFromOffset());
    int end = f.wrotePosition();
    if (pos >= end) {
      f.release();
      return null;
    }
    return new Units(f, f.slice(pos, end - pos), queueOffset);
  }

  /** The unit at {@code queueOffset} as [phyOffset, size, tagsCode], or null. Any thread. */
  public long[] unit(long queueOffset) {
    Units u = units(queueOffset);
    if (u == null) {
      return null;
    }
    try {
      return new long[] {u.phyOffset(0), u.size(0), u.tagsCode(0)};
    } finally {
      u.release();
    }
  }

  /** Drops units pointing at or past {@code commitLogEnd} (recovery). Writer only. */
  public void truncateFrom(long commitLogEnd) {
    while (true) {
      MappedFile last = files.last();
      if (last == null) {
        return;
      }
      int pos = last.wrotePosition();
      ByteBuffer b = last.mapped();
      int keep = pos;
      while (keep >= CQ_UNIT_SIZE && b.getLong(keep - CQ_UNIT_SIZE) >= commitLogEnd) {
        keep -= CQ_UNIT_SIZE;
      }
      if (keep == pos) {
        return;
      }
      if (keep == 0 && files.files().size() > 1) {
        // The whole last file pointed past the end: remove it and look at the one before.
        files.deleteLast(last);
        continue;
      }
      files.truncate(last.fileFromOffset() + keep);
      return;
    }
  }

  /**
   * Moves the minimum past units that point below {@code commitLogMin} and deletes files wholly
   * below it (retention). Never deletes the last file. Writer only.
   */
  public void deleteBelow(long commitLogMin) {
    while (files.files().size() > 1) {
      MappedFile first = files.first();
      long lastPhy = first.mapped().getLong(first.fileSize() - CQ_UNIT_SIZE);
      if (lastPhy >= commitLogMin) {
        break;
      }
      files.deleteFirst(first);
    }
    long min = minOffset();
    long max = maxOffset();
    while (min < max) {
      long[] u = unit(min);
      if (u == null || u[0] >= commitLogMin) {
        break;
      }
      min++;
    }
    minLogicOffset = min;
  }

  public boolean flush(int leastPages) {
    return files.flush(leastPages);
  }

  public void close() {
    files.close();
  }

  public void destroy() {
    files.destroyAll();
  }

  /** A run of units sliced from one held file. */
  public record Units(MappedFile file, ByteBuffer buffer, long firstOffset) {
    public int count() {
      return buffer.limit() / CQ_UNIT_SIZE;
    }

    public long phyOffset(int i) {
      return buffer.getLong(i * CQ_UNIT_SIZE);
    }

    public int size(int i) {
      return buffer.getInt(i * CQ_UNIT_SIZE + 8);
    }

    public long tagsCode(int i) {
      return buffer.getLong(i * CQ_UNIT_SIZE + 12);
    }

    public void release() {
      file.release();
    }
  }
}
