package dev.apogee.client;

/**
 * A request the client refused or could not complete on its own side: a message that breaks a
 * limit, a topic without a route, a client that is closed. The message says which value broke which
 * rule.
 */
public class ClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClientException(String message) {
    super(message);
  }

  public ClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
