package dev.apogee.store.index;

import dev.apogee.store.file.MappedFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One key-index file in RocketMQ's layout (rocketmq-protocol.md 4.3): a 40-byte header, a table of
 * hash slots, then 20-byte entries chained newest to oldest per slot.
 *
 * <pre>
 * header  long beginTimestamp | long endTimestamp | long beginPhyOffset | long endPhyOffset
 *         | int hashSlotCount | int indexCount (next free entry; starts at 1, entry 0 unused)
 * slots   int newest entry of the slot (0 = empty), one per slot
 * entries int keyHash | long commitLogOffset | int timeDiffSeconds | int prevIndex (0 = end)
 * </pre>
 *
 * <p>Threading: one writer thread calls {@link #putKey}; any thread may call {@link #select} and
 * the header accessors at the same time. The writer fills an entry completely and only then stores
 * its number into the slot with release semantics; a reader loads the slot with acquire semantics,
 * so every entry it reaches, and every older entry down the chain, is whole. The header is kept in
 * volatile fields for readers and written into the mapping on every put, entry and slot first, so
 * after a crash the header never counts an entry that is not there.
 */
public final class IndexFile {
  /** Bytes of the header. */
  public static final int HEADER_SIZE = 40;

  /** Bytes of one hash slot. */
  public static final int SLOT_SIZE = 4;

  /** Bytes of one entry: key hash (4), commit log offset (8), time diff (4), previous entry (4). */
  public static final int ENTRY_SIZE = 20;

  private static final Logger LOG = LoggerFactory.getLogger(IndexFile.class);

  private static final int BEGIN_TIMESTAMP_AT = 0;
  private static final int END_TIMESTAMP_AT = 8;
  private static final int BEGIN_PHY_OFFSET_AT = 16;
  private static final int END_PHY_OFFSET_AT = 24;
  private static final int HASH_SLOT_COUNT_AT = 32;
  private static final int INDEX_COUNT_AT = 36;

  private static final int ENTRY_HASH_AT = 0;
  private static final int ENTRY_OFFSET_AT = 4;
  private static final int ENTRY_TIME_DIFF_AT = 12;
  private static final int ENTRY_PREV_AT = 16;

  /** Release/acquire access to a slot; slots are 4-byte aligned in a page-aligned mapping. */
  private static final VarHandle SLOT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final MappedFile file;
  private final ByteBuffer buf;
  private final int hashSlotNum;
  private final int indexNum;
  private final int entriesAt;

  private volatile long beginTimestamp;
  private volatile long endTimestamp;
  private volatile long beginPhyOffset;
  private volatile long endPhyOffset;
  private volatile int indexCount;

  /** Writer thread only. */
  private int hashSlotCount;

  private IndexFile(MappedFile file, int hashSlotNum, int indexNum) {
    this.file = file;
    this.buf = file.mapped();
    this.hashSlotNum = hashSlotNum;
    this.indexNum = indexNum;
    this.entriesAt = HEADER_SIZE + hashSlotNum * SLOT_SIZE;
  }

  /** Bytes of a file with {@code hashSlotNum} slots and room for {@code indexNum} entries. */
  public static long fileSize(int hashSlotNum, int indexNum) {
    return HEADER_SIZE + (long) hashSlotNum * SLOT_SIZE + (long) indexNum * ENTRY_SIZE;
  }

  /**
   * Maps {@code path}, creating it zero-filled if it does not exist, and reads its header. Holds
   * {@code indexNum - 1} entries, since entry 0 is never used.
   *
   * @throws IllegalArgumentException if the counts are out of range or the file would pass 2 GiB
   * @throws IllegalStateException if an existing file has a different size
   */
  public static IndexFile open(Path path, int hashSlotNum, int indexNum) {
    if (hashSlotNum < 1 || indexNum < 2) {
      throw new IllegalArgumentException(
          "index file needs at least 1 hash slot and 2 entries, was hashSlotNum="
              + hashSlotNum
              + " indexNum="
              + indexNum);
    }
    long size = fileSize(hashSlotNum, indexNum);
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "index file of hashSlotNum="
              + hashSlotNum
              + " indexNum="
              + indexNum
              + " would be "
              + size
              + " bytes, more than "
              + Integer.MAX_VALUE);
    }
    IndexFile f = new IndexFile(MappedFile.open(path, 0, (int) size), hashSlotNum, indexNum);
    f.readHeader();
    return f;
  }

  /**
   * RocketMQ's key hash: {@code abs(key.hashCode())}, with {@code Integer.MIN_VALUE} (whose
   * absolute value is itself) mapped to 0. Stored in the entry; the slot is this modulo the slot
   * count.
   */
  static int keyHash(String key) {
    return keyHashOf(key.hashCode());
  }

  /** {@link #keyHash} from a key's {@code String.hashCode()}. */
  static int keyHashOf(int stringHash) {
    int h = Math.abs(stringHash);
    return h < 0 ? 0 : h;
  }

  private void readHeader() {
    beginTimestamp = buf.getLong(BEGIN_TIMESTAMP_AT);
    endTimestamp = buf.getLong(END_TIMESTAMP_AT);
    beginPhyOffset = buf.getLong(BEGIN_PHY_OFFSET_AT);
    endPhyOffset = buf.getLong(END_PHY_OFFSET_AT);
    hashSlotCount = buf.getInt(HASH_SLOT_COUNT_AT);
    int count = buf.getInt(INDEX_COUNT_AT);
    if (count <= 0) {
      count = 1;
      buf.putInt(INDEX_COUNT_AT, count);
    } else if (count > indexNum) {
      throw new IllegalStateException(
          file.path() + " header counts " + count + " entries but the file holds " + indexNum);
    }
    indexCount = count;
    repairUncountedEntry();
  }

  /**
   * A crash between storing a slot and counting its entry leaves the slot pointing at the first
   * uncounted entry, which the next put overwrites. The entry itself is whole (it is written before
   * the slot), so its own link says where the slot pointed before: put that back.
   */
  private void repairUncountedEntry() {
    int count = indexCount;
    if (count >= indexNum) {
      return;
    }
    int at = entryPos(count);
    int hash = buf.getInt(at + ENTRY_HASH_AT);
    if (hash < 0) {
      return;
    }
    int slotPos = slotPos(hash);
    if (buf.getInt(slotPos) != count) {
      return;
    }
    int prev = buf.getInt(at + ENTRY_PREV_AT);
    int restored = prev > 0 && prev < count ? prev : 0;
    buf.putInt(slotPos, restored);
    LOG.warn(
        "{}: slot {} pointed at uncounted entry {} (crash during a put); restored it to {}",
        file.path(),
        hash % hashSlotNum,
        count,
        restored);
  }

  /**
   * Appends an entry for {@code key}. Writer thread only.
   *
   * @return false when the file is full (nothing written)
   */
  public boolean putKey(String key, long phyOffset, long storeTimestamp) {
    return putHash(keyHash(key), phyOffset, storeTimestamp);
  }

  /**
   * Appends an entry for a key given by its {@link #keyHash} (the dispatcher computes it from the
   * record's bytes without making the key string). Writer thread only.
   *
   * @return false when the file is full (nothing written)
   */
  public boolean putHash(int hash, long phyOffset, long storeTimestamp) {
    int count = indexCount;
    if (count >= indexNum) {
      return false;
    }
    if (count == 1) {
      // First entry: the file's times count from here (times of all entries are relative to it).
      beginTimestamp = storeTimestamp;
      buf.putLong(BEGIN_TIMESTAMP_AT, storeTimestamp);
      beginPhyOffset = phyOffset;
      buf.putLong(BEGIN_PHY_OFFSET_AT, phyOffset);
    }
    int slotPos = slotPos(hash);
    int head = buf.getInt(slotPos);
    if (head <= 0 || head >= count) {
      head = 0;
    }
    int at = entryPos(count);
    buf.putInt(at + ENTRY_HASH_AT, hash);
    buf.putLong(at + ENTRY_OFFSET_AT, phyOffset);
    buf.putInt(at + ENTRY_TIME_DIFF_AT, timeDiffSeconds(storeTimestamp));
    buf.putInt(at + ENTRY_PREV_AT, head);
    // Publishes the whole entry to readers that load the slot with acquire.
    SLOT.setRelease(buf, slotPos, count);

    indexCount = count + 1;
    buf.putInt(INDEX_COUNT_AT, count + 1);
    if (head == 0) {
      hashSlotCount++;
      buf.putInt(HASH_SLOT_COUNT_AT, hashSlotCount);
    }
    endPhyOffset = phyOffset;
    buf.putLong(END_PHY_OFFSET_AT, phyOffset);
    endTimestamp = storeTimestamp;
    buf.putLong(END_TIMESTAMP_AT, storeTimestamp);
    return true;
  }

  private int timeDiffSeconds(long storeTimestamp) {
    long begin = beginTimestamp;
    if (begin <= 0) {
      return 0;
    }
    long diff = (storeTimestamp - begin) / 1000;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, diff));
  }

  /**
   * Appends to {@code out}, newest first, the commit log offsets of entries whose key hash equals
   * {@code key}'s and whose time (begin timestamp + diff, second precision) lies in {@code [begin,
   * end]}, until {@code out} holds {@code maxNum} offsets. Offsets already in {@code out} are not
   * added again. Hash collisions are returned too: the caller checks the record. Any thread; does
   * nothing if the file is being closed or destroyed.
   */
  public void select(String key, int maxNum, long begin, long end, List<Long> out) {
    if (out.size() >= maxNum || !file.hold()) {
      return;
    }
    try {
      int hash = keyHash(key);
      int cur = (int) SLOT.getAcquire(buf, slotPos(hash));
      // Read after the slot: an entry being counted right now may equal the count, never exceed it.
      int count = indexCount;
      if (cur <= 0 || cur > count || cur >= indexNum) {
        return;
      }
      long fileBegin = beginTimestamp;
      Set<Long> seen = new HashSet<>(out);
      while (cur > 0 && out.size() < maxNum) {
        int at = entryPos(cur);
        int diff = buf.getInt(at + ENTRY_TIME_DIFF_AT);
        if (diff < 0) {
          break;
        }
        long time = fileBegin + diff * 1000L;
        if (buf.getInt(at + ENTRY_HASH_AT) == hash && time >= begin && time <= end) {
          long offset = buf.getLong(at + ENTRY_OFFSET_AT);
          if (seen.add(offset)) {
            out.add(offset);
          }
        }
        int prev = buf.getInt(at + ENTRY_PREV_AT);
        // Entries are appended in time order, so the rest of the chain is older still; and a
        // link never points forward, which also ends any walk through damaged bytes.
        if (time < begin || prev >= cur) {
          break;
        }
        cur = prev;
      }
    } finally {
      file.release();
    }
  }

  /** True when {@code [begin, end]} overlaps the file's span of store times. */
  public boolean isTimeMatched(long begin, long end) {
    return begin <= endTimestamp && end >= beginTimestamp;
  }

  /**
   * Adds to {@code out} the key hashes of the newest entries that point at {@code phyOffset}, i.e.
   * the keys already indexed for the record last put. Writer thread only.
   */
  void tailKeyHashes(long phyOffset, Set<Integer> out) {
    for (int i = indexCount - 1; i > 0; i--) {
      int at = entryPos(i);
      if (buf.getLong(at + ENTRY_OFFSET_AT) != phyOffset) {
        return;
      }
      out.add(buf.getInt(at + ENTRY_HASH_AT));
    }
  }

  /**
   * After the commit log was cut back to {@code commitLogEnd}: sets the header's end offset to the
   * newest entry pointing below it and returns that offset, or -1 if no entry does. Entries at or
   * past the cut stay (readers check offsets against the commit log). Writer thread only.
   */
  long rewindEnd(long commitLogEnd) {
    for (int i = indexCount - 1; i > 0; i--) {
      long offset = buf.getLong(entryPos(i) + ENTRY_OFFSET_AT);
      if (offset < commitLogEnd) {
        endPhyOffset = offset;
        buf.putLong(END_PHY_OFFSET_AT, offset);
        return offset;
      }
    }
    return -1;
  }

  private int slotPos(int hash) {
    return HEADER_SIZE + (hash % hashSlotNum) * SLOT_SIZE;
  }

  private int entryPos(int index) {
    return entriesAt + index * ENTRY_SIZE;
  }

  /** True when no entry fits any more. */
  public boolean isFull() {
    return indexCount >= indexNum;
  }

  /** True when no entry was ever put. */
  public boolean isEmpty() {
    return indexCount <= 1;
  }

  /** Entries used plus one (entry 0 is never used). */
  public int indexCount() {
    return indexCount;
  }

  /** Slots that hold a chain. */
  public int hashSlotCount() {
    return hashSlotCount;
  }

  public long beginTimestamp() {
    return beginTimestamp;
  }

  public long endTimestamp() {
    return endTimestamp;
  }

  public long beginPhyOffset() {
    return beginPhyOffset;
  }

  public long endPhyOffset() {
    return endPhyOffset;
  }

  public Path path() {
    return file.path();
  }

  /** Forces the whole mapping to disk (entries land at scattered positions). */
  public void flush() {
    file.forceAll();
  }

  /** Unmaps without deleting, once no reader holds the file. True when already unmapped. */
  public boolean close() {
    return file.close();
  }

  /** Deletes the file and unmaps it once no reader holds it. True when already unmapped. */
  public boolean destroy() {
    return file.destroy();
  }

  @Override
  public String toString() {
    return path().getFileName()
        + "[count="
        + indexCount
        + ",phy="
        + beginPhyOffset
        + ".."
        + endPhyOffset
        + "]";
  }
}
