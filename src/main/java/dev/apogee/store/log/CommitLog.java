package dev.apogee.store.log;

import static dev.apogee.store.message.RecordLayout.BLANK_MIN_LENGTH;
import static dev.apogee.store.message.RecordLayout.MAGIC_BLANK;
import static dev.apogee.store.message.RecordLayout.MAGIC_V1;
import static dev.apogee.store.message.RecordLayout.MAGIC_V2;
import static dev.apogee.store.message.RecordLayout.POS_MAGIC;
import static dev.apogee.store.message.RecordLayout.POS_PHYSICAL_OFFSET;
import static dev.apogee.store.message.RecordLayout.POS_QUEUE_ID;
import static dev.apogee.store.message.RecordLayout.POS_QUEUE_OFFSET;
import static dev.apogee.store.message.RecordLayout.POS_SYS_FLAG;
import static dev.apogee.store.message.RecordLayout.TRANSACTION_PREPARED_TYPE;
import static dev.apogee.store.message.RecordLayout.TRANSACTION_ROLLBACK_TYPE;

import dev.apogee.store.AppendResult;
import dev.apogee.store.AppendStatus;
import dev.apogee.store.PutRequest;
import dev.apogee.store.file.FileAllocator;
import dev.apogee.store.file.MappedFile;
import dev.apogee.store.file.MappedFileQueue;
import dev.apogee.store.message.RecordLayout;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The commit log: every record of every topic, appended in arrival order to fixed-size mapped files
 * (protocol doc 3.3 and 4.1). A record never spans two files: when one does not fit, the rest of
 * the file gets a blank record and the write moves to the next file.
 *
 * <p>Threading: {@link #append} and the queue-offset table belong to one writer thread (the store
 * verticle). Readers on any thread use {@link #maxOffset}, {@link #selectRecord} and the file
 * queue; bytes below {@code maxOffset()} are complete and never change.
 */
public final class CommitLog {
  private final MappedFileQueue files;
  private final int fileSize;

  /**
   * Records appended but not yet written, all for {@link #pendingFile}, from {@code pendingStart}.
   */
  private ByteBuffer[] pending = new ByteBuffer[256];

  private ByteBuf[] owners = new ByteBuf[256];
  private int pendingCount;
  private MappedFile pendingFile;
  private int pendingStart;
  private int pendingEnd;
  private long pendingTimestamp;

  /** Next queue offset of each queue, per topic: the writer's own table, indexed by queue id. */
  private final Map<String, long[]> queueOffsets = new HashMap<>();

  public CommitLog(Path dir, int fileSize, FileAllocator allocator) {
    this.files = new MappedFileQueue(dir, fileSize, allocator, true);
    this.fileSize = fileSize;
  }

  public MappedFileQueue files() {
    return files;
  }

  public int fileSize() {
    return fileSize;
  }

  /** Offset after the last complete record. Any thread. */
  public long maxOffset() {
    return files.maxOffset();
  }

  /** First offset still stored. Any thread. */
  public long minOffset() {
    MappedFile f = files.first();
    return f == null ? 0 : f.fileFromOffset();
  }

  public long flushedOffset() {
    return files.flushedWhere();
  }

  /** Largest records buffer one append can take: a file less the blank record's room. */
  public int maxAppendLength() {
    return fileSize - BLANK_MIN_LENGTH;
  }

  /** Sets the next queue offset of a queue (recovery). Writer only. */
  public void setQueueOffset(String topic, int queueId, long next) {
    long[] arr = queueOffsetsOf(topic, queueId);
    arr[queueId] = next;
  }

  /** Next queue offset of a queue. Writer only. */
  public long queueOffset(String topic, int queueId) {
    long[] arr = queueOffsets.get(topic);
    return arr == null || queueId >= arr.length ? 0 : arr[queueId];
  }

  /** Forgets a topic's queue offsets (topic deleted). Writer only. */
  public void removeTopic(String topic) {
    queueOffsets.remove(topic);
  }

  private long[] queueOffsetsOf(String topic, int queueId) {
    long[] arr = queueOffsets.get(topic);
    if (arr == null || queueId >= arr.length) {
      long[] grown = new long[Math.max(queueId + 1, arr == null ? 8 : arr.length * 2)];
      if (arr != null) {
        System.arraycopy(arr, 0, grown, 0, arr.length);
      }
      queueOffsets.put(topic, grown);
      arr = grown;
    }
    return arr;
  }

  /**
   * Appends the records of {@code req}, stamping queue offsets, physical offsets and {@code now} as
   * store time into the request's buffer, and queues them for the next {@link #commit()}: they are
   * neither readable nor to be acknowledged before it. Malformed input is refused whole and nothing
   * is queued. Takes ownership of the request's buffer in every case. Writer only.
   */
  public AppendResult append(PutRequest req, long now) {
    ByteBuf src = req.records();
    int len = src.readableBytes();
    int count = countRecords(src, req.queueId());
    if (count <= 0 || len > maxAppendLength()) {
      src.release();
      return AppendResult.failed(AppendStatus.MESSAGE_ILLEGAL);
    }
    MappedFile f;
    int pos;
    if (pendingFile != null) {
      f = pendingFile;
      pos = pendingEnd;
    } else {
      f = files.lastOrCreate(files.maxOffset());
      pos = f.wrotePosition();
    }
    if (pos + len + BLANK_MIN_LENGTH > fileSize) {
      // Not enough room: close this file with a blank record and move to the next one.
      ByteBuffer blank = ByteBuffer.allocate(BLANK_MIN_LENGTH);
      blank.putInt(0, fileSize - pos).putInt(4, MAGIC_BLANK);
      queue(f, pos, blank, null);
      pendingEnd = fileSize;
      commit();
      f = files.lastOrCreate(f.fileFromOffset() + fileSize);
      pos = f.wrotePosition();
    }
    long phy = f.fileFromOffset() + pos;
    long[] offsets = queueOffsetsOf(req.topic(), req.queueId());
    long firstQueueOffset = -1;
    int base = src.readerIndex();
    int p = base;
    int end = base + len;
    while (p < end) {
      int size = src.getInt(p);
      int sysFlag = src.getInt(p + POS_SYS_FLAG);
      int tranType = RecordLayout.transactionType(sysFlag);
      long qo;
      if (tranType == TRANSACTION_PREPARED_TYPE || tranType == TRANSACTION_ROLLBACK_TYPE) {
        // Half and rollback records never enter a consume queue, so they take no queue offset.
        qo = 0;
      } else {
        qo = offsets[req.queueId()]++;
      }
      if (firstQueueOffset < 0) {
        firstQueueOffset = qo;
      }
      src.setLong(p + POS_QUEUE_OFFSET, qo);
      src.setLong(p + POS_PHYSICAL_OFFSET, phy + (p - base));
      src.setLong(p + RecordLayout.posStoreTimestamp(sysFlag), now);
      p += size;
    }
    queue(f, pos, src.nioBuffer(base, len), src);
    pendingEnd = pos + len;
    pendingTimestamp = now;
    return new AppendResult(AppendStatus.PUT_OK, phy, len, firstQueueOffset, count, now);
  }

  private void queue(MappedFile f, int pos, ByteBuffer bytes, ByteBuf owner) {
    if (pendingFile == null) {
      pendingFile = f;
      pendingStart = pos;
    }
    if (pendingCount == pending.length) {
      pending = java.util.Arrays.copyOf(pending, pendingCount * 2);
      owners = java.util.Arrays.copyOf(owners, pendingCount * 2);
    }
    pending[pendingCount] = bytes;
    owners[pendingCount] = owner;
    pendingCount++;
  }

  /**
   * Writes every queued record into the file in one gathering write and publishes them to readers.
   * Until this returns, no append since the last commit may be acknowledged. Writer only. On an I/O
   * error the queued records are dropped and the error is thrown: the caller must stop appending
   * (queue offsets were already taken).
   */
  public void commit() {
    if (pendingCount == 0) {
      return;
    }
    MappedFile f = pendingFile;
    try {
      f.write(pending, pendingCount, pendingStart);
      if (pendingTimestamp > 0) {
        f.setLastStoreTimestamp(pendingTimestamp);
      }
      f.setWrotePosition(pendingEnd);
    } finally {
      for (int i = 0; i < pendingCount; i++) {
        pending[i] = null;
        if (owners[i] != null) {
          owners[i].release();
          owners[i] = null;
        }
      }
      pendingCount = 0;
      pendingFile = null;
      pendingTimestamp = 0;
    }
  }

  /**
   * Counts the records in {@code buf} after checking that each has a record magic, a size that
   * stays inside the buffer, and {@code queueId}. Returns -1 for malformed input.
   */
  static int countRecords(ByteBuf buf, int queueId) {
    int p = buf.readerIndex();
    int end = buf.writerIndex();
    int n = 0;
    while (p < end) {
      if (end - p < RecordLayout.POS_BORN_HOST) {
        return -1;
      }
      int size = buf.getInt(p);
      int magic = buf.getInt(p + POS_MAGIC);
      if (size < RecordLayout.POS_BORN_HOST || size > end - p) {
        return -1;
      }
      if (magic != MAGIC_V1 && magic != MAGIC_V2) {
        return -1;
      }
      if (buf.getInt(p + POS_QUEUE_ID) != queueId) {
        return -1;
      }
      p += size;
      n++;
    }
    return n;
  }

  /**
   * The record at {@code offset}, held: the caller must release {@link SelectedRecord#file()}. Null
   * when the offset is not a stored position. Any thread.
   */
  public SelectedRecord selectRecord(long offset, int size) {
    if (offset < 0 || size <= 0 || offset + size > maxOffset()) {
      return null;
    }
    MappedFile f = files.findByOffset(offset);
    if (f == null) {
      return null;
    }
    int pos = (int) (offset - f.fileFromOffset());
    if (pos + size > fileSize || !f.hold()) {
      return null;
    }
    return new SelectedRecord(f, f.slice(pos, size), offset);
  }

  /** The record at {@code offset} reading its size from the log; held, or null. Any thread. */
  public SelectedRecord selectRecord(long offset) {
    if (offset < 0 || offset + 8 > maxOffset()) {
      return null;
    }
    MappedFile f = files.findByOffset(offset);
    if (f == null || !f.hold()) {
      return null;
    }
    int pos = (int) (offset - f.fileFromOffset());
    int size = f.getInt(pos);
    int magic = f.getInt(pos + POS_MAGIC);
    if ((magic != MAGIC_V1 && magic != MAGIC_V2)
        || size < RecordLayout.POS_BORN_HOST
        || pos + size > f.wrotePosition()) {
      f.release();
      return null;
    }
    return new SelectedRecord(f, f.slice(pos, size), offset);
  }

  /** Store time of the record at {@code offset}, or -1. Any thread. */
  public long storeTimestampAt(long offset, int size) {
    SelectedRecord r = selectRecord(offset, size);
    if (r == null) {
      return -1;
    }
    try {
      int sysFlag = r.buffer().getInt(POS_SYS_FLAG);
      return r.buffer().getLong(RecordLayout.posStoreTimestamp(sysFlag));
    } finally {
      r.release();
    }
  }

  /** Flushes written bytes when at least {@code leastPages} are dirty (0: all). Any one thread. */
  public boolean flush(int leastPages) {
    return files.flush(leastPages);
  }

  public void close() {
    files.close();
  }
}
