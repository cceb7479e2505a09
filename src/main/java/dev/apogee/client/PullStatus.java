package dev.apogee.client;

/** The outcome of one pull. */
public enum PullStatus {
  /** Messages were found (some may have been filtered out on the client). */
  FOUND,
  /** Nothing new in the queue, also after waiting the poll time. */
  NO_NEW_MSG,
  /** Messages were there but none matched the subscription. */
  NO_MATCHED_MSG,
  /** The offset asked for is outside the queue; the next offset is where the queue is valid. */
  OFFSET_ILLEGAL
}
