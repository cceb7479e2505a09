package dev.apogee.protocol;

/**
 * A JSON body that cannot be read as the type asked for: not JSON, or a required field missing or
 * out of range. The message names the type and what was wrong.
 */
public final class BodyFormatException extends RuntimeException {

  public BodyFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  public BodyFormatException(String message) {
    super(message);
  }
}
