package dev.apogee.protocol;

/**
 * A JSON body that cannot be read as the type asked for: not JSON, something after the value, a
 * value of the wrong type, or a required field missing or out of range. The message names the type,
 * what was wrong and where. An {@link IllegalArgumentException}: the argument, a body, is bad.
 */
public final class BodyFormatException extends IllegalArgumentException {

  public BodyFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  public BodyFormatException(String message) {
    super(message);
  }
}
