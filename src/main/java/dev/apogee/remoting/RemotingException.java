package dev.apogee.remoting;

/**
 * An invocation that did not get its response: the connection could not be opened, the request
 * could not be written, or the connection closed while the response was awaited.
 */
public class RemotingException extends RuntimeException {
  public RemotingException(String message) {
    super(message);
  }

  public RemotingException(String message, Throwable cause) {
    super(message, cause);
  }
}
