package dev.apogee.broker.processor;

/**
 * A request the broker refuses with a RocketMQ response code and a remark (a bad header field, an
 * unknown topic, a forbidden send). Expected, so it carries no stack trace.
 */
public final class RequestException extends RuntimeException {
  private final int code;

  public RequestException(int code, String remark) {
    super(remark, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public String remark() {
    return getMessage();
  }
}
