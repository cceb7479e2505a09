package dev.apogee.broker.schedule;

import dev.apogee.broker.state.JsonFile;
import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.JsonIn;
import dev.apogee.protocol.JsonOut;
import dev.apogee.protocol.ProtocolJson;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How far delivery has come in each delay level's queue of {@code SCHEDULE_TOPIC_XXXX}: the queue
 * offset of the next scheduled message, by level. Saved to {@code config/delayOffset.json} in
 * RocketMQ's shape ({@code {"dataVersion":{...},"offsetTable":{"1":5,"2":0}}}) and answered to
 * GET_ALL_DELAY_OFFSET in the same shape.
 *
 * <p>Thread-safe: the scheduling thread moves offsets, request threads read them, and a worker
 * saves snapshots. Saves never go back in time: a snapshot older than the last one written is
 * dropped, so a late periodic save cannot overwrite the final one taken at stop.
 */
public final class DelayOffsetTable {
  private static final String TABLE = "offsetTable";
  private static final String VERSION = "dataVersion";

  private final JsonFile file;
  private final AtomicLongArray offsets;
  private final AtomicLong changes = new AtomicLong();
  private final long startedAt;
  private long written = -1;

  /** A table of {@code maxLevel} levels, all at offset 0, saved to {@code file}. */
  public DelayOffsetTable(JsonFile file, int maxLevel, long now) {
    this.file = file;
    this.offsets = new AtomicLongArray(maxLevel);
    this.startedAt = now;
  }

  public int maxLevel() {
    return offsets.length();
  }

  /**
   * Loads saved offsets; levels beyond {@link #maxLevel()} are ignored. Blocking.
   *
   * @throws IllegalStateException when the file is not a delay offset table (malformed JSON, a
   *     level that is not a number)
   */
  public void load() {
    byte[] content = file.read();
    if (content == null) {
      return;
    }
    Map<Integer, Long> saved;
    try {
      saved = ProtocolJson.readTolerant(content, DelayOffsetTable::readTable);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read delay offsets from " + file.path() + ": " + e.getMessage(), e);
    }
    saved.forEach(
        (level, offset) -> {
          if (level >= 1 && level <= offsets.length() && offset != null && offset >= 0) {
            offsets.set(level - 1, offset);
          }
        });
  }

  static Map<Integer, Long> readTable(JsonIn in) {
    Map<Integer, Long> table = null;
    in.beginObject("DelayOffsetSerializeWrapper");
    while (in.nextField()) {
      if (in.fieldName().equals(TABLE)) {
        table = in.map(Integer::valueOf, JsonIn::longValue);
      } else {
        in.skipValue();
      }
    }
    return table == null ? Map.of() : table;
  }

  /** The next offset to deliver of {@code level} (1-based). */
  public long offset(int level) {
    return offsets.get(level - 1);
  }

  /** Moves {@code level} to {@code offset}. */
  public void set(int level, long offset) {
    if (offsets.getAndSet(level - 1, offset) != offset) {
      changes.incrementAndGet();
    }
  }

  /** How many times an offset moved; a save is due when it differs from the last saved one. */
  public long changes() {
    return changes.get();
  }

  /** Every level's offset, by level. */
  public Map<Integer, Long> snapshot() {
    Map<Integer, Long> m = new TreeMap<>();
    for (int i = 0; i < offsets.length(); i++) {
      m.put(i + 1, offsets.get(i));
    }
    return m;
  }

  /** The table as RocketMQ's DelayOffsetSerializeWrapper JSON. */
  public byte[] toJson() {
    return encode(snapshot(), changes.get());
  }

  private byte[] encode(Map<Integer, Long> table, long version) {
    DataVersion dv = new DataVersion(startedAt, version, 0);
    return ProtocolJson.writePretty(
        out ->
            out.beginObject().field(VERSION, dv).field(TABLE, table, JsonOut::value).endObject());
  }

  /**
   * Saves the offsets as of now unless a save at least as recent was written already. Blocking;
   * returns whether it wrote.
   */
  public boolean save() {
    long version = changes.get();
    Map<Integer, Long> table = snapshot();
    synchronized (this) {
      if (version <= written) {
        return false;
      }
      file.write(encode(table, version));
      written = version;
      return true;
    }
  }
}
