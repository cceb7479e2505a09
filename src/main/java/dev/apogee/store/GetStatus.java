package dev.apogee.store;

/** Outcome of reading a queue; the broker maps it to RocketMQ's pull response codes. */
public enum GetStatus {
  /** Messages returned. */
  FOUND,
  /** Units were scanned but none matched the filter. */
  NO_MATCHED_MESSAGE,
  /** A unit pointed at a record that is being deleted. */
  MESSAGE_WAS_REMOVING,
  /** The unit was not found (its consume queue file rolled or was removed). */
  OFFSET_FOUND_NULL,
  /** The offset is past the end of the queue by more than one. */
  OFFSET_OVERFLOW_BADLY,
  /** The offset is exactly the end of the queue: nothing new. */
  OFFSET_OVERFLOW_ONE,
  /** The offset is below the first message still stored. */
  OFFSET_TOO_SMALL,
  /** The queue does not exist. */
  NO_MATCHED_LOGIC_QUEUE,
  /** The queue exists but holds no message. */
  NO_MESSAGE_IN_QUEUE
}
