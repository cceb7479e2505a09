package dev.apogee.gateway;

/** A request the gateway refuses: the HTTP status and the message of the JSON error body. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
