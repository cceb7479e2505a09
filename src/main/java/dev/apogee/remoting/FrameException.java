package dev.apogee.remoting;

/**
 * A frame that cannot be decoded: a length out of bounds, an unknown serialize type, or a header
 * that does not parse. The stream can no longer be trusted past it, so the connection that sent it
 * is closed.
 */
public final class FrameException extends Exception {
  public FrameException(String message) {
    super(message);
  }

  public FrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
