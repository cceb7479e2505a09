package dev.apogee.store;

/** Outcome of an append, mapped by the broker to a RocketMQ response code. */
public enum AppendStatus {
  /** Stored (and, with SYNC_FLUSH, durable). */
  PUT_OK,
  /** Stored, but its fsync did not complete within {@code syncFlushTimeout}. */
  FLUSH_DISK_TIMEOUT,
  /** The records handed in are malformed or larger than a commit log file can hold. */
  MESSAGE_ILLEGAL,
  /** The disk is nearly full: nothing was written; appends resume when space returns. */
  DISK_FULL,
  /** The store is shutting down or has failed: nothing was written. */
  SERVICE_NOT_AVAILABLE,
  /** An unexpected error while writing (logged); nothing was acknowledged. */
  UNKNOWN_ERROR;

  /** True when the records are in the commit log. */
  public boolean stored() {
    return this == PUT_OK || this == FLUSH_DISK_TIMEOUT;
  }
}
