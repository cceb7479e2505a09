package dev.apogee.store;

/**
 * What an append did.
 *
 * @param status the outcome
 * @param physicalOffset commit log offset of the first record written (-1 when none)
 * @param wroteBytes bytes of all records written
 * @param queueOffset consume queue offset of the first record (-1 when none; 0 for transaction half
 *     and rollback records, which take no queue offset)
 * @param count records written
 * @param storeTimestamp store time stamped on the records
 */
public record AppendResult(
    AppendStatus status,
    long physicalOffset,
    int wroteBytes,
    long queueOffset,
    int count,
    long storeTimestamp) {

  public static AppendResult failed(AppendStatus status) {
    return new AppendResult(status, -1, 0, -1, 0, 0);
  }

  /** The same append, now with {@code newStatus} (a flush that timed out, say). */
  public AppendResult withStatus(AppendStatus newStatus) {
    return new AppendResult(
        newStatus, physicalOffset, wroteBytes, queueOffset, count, storeTimestamp);
  }

  /** Commit log offset just after the last record. */
  public long endOffset() {
    return physicalOffset + wroteBytes;
  }
}
