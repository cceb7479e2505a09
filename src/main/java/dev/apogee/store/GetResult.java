package dev.apogee.store;

import dev.apogee.store.log.SelectedRecord;
import java.util.List;

/**
 * Messages read from a queue: each a slice of the mapped commit log (no copy), held until {@link
 * #release()}, which the reader must call once it has written them out.
 *
 * @param status the outcome
 * @param nextBeginOffset the queue offset to read from next
 * @param minOffset first queue offset stored
 * @param maxOffset next queue offset to be written
 * @param records the stored records, in queue order (empty unless FOUND)
 * @param totalBytes sum of the records' sizes
 */
public record GetResult(
    GetStatus status,
    long nextBeginOffset,
    long minOffset,
    long maxOffset,
    List<SelectedRecord> records,
    int totalBytes) {

  public int count() {
    return records.size();
  }

  /** Lets go of every record's file. */
  public void release() {
    for (SelectedRecord r : records) {
      r.release();
    }
  }
}
