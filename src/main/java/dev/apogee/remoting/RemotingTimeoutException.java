package dev.apogee.remoting;

/** An invocation whose response did not arrive within its timeout. */
public final class RemotingTimeoutException extends RemotingException {
  public RemotingTimeoutException(String message) {
    super(message);
  }
}
