package dev.apogee.store.message;

/**
 * A message that cannot become a stored record, or bytes that are not one. These are expected
 * outcomes of client input, so the exception carries a {@link Reason} for the caller to map to a
 * response code, and a message naming the field, its value and the limit. It records no stack
 * trace: it is cheap to throw on an event loop and the trace would only show the codec.
 */
public final class RecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Reason {
    /** The topic is null or empty. */
    TOPIC_EMPTY,
    /** The topic is over 32767 UTF-8 bytes. */
    TOPIC_TOO_LONG,
    /** The properties string is over 32767 UTF-8 bytes. */
    PROPERTIES_TOO_LONG,
    /** The body is over the caller's maximum message size. */
    BODY_TOO_LARGE,
    /** A SEND_BATCH_MESSAGE body does not parse into entries (protocol doc 3.6). */
    MALFORMED_BATCH,
    /** Bytes that should hold a stored record do not. */
    MALFORMED_RECORD
  }

  private final Reason reason;

  public RecordException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
