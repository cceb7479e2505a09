package dev.apogee.client;

/**
 * A broker or name server answered a request with an error: {@link #code()} is its RocketMQ
 * response code (for example 16 NO_PERMISSION, 17 TOPIC_NOT_EXIST, 13 MESSAGE_ILLEGAL) and {@link
 * #remark()} its explanation.
 */
public class BrokerException extends ClientException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String remark;
  private final String address;

  public BrokerException(int code, String remark, String address) {
    super("code " + code + " from " + address + ": " + remark);
    this.code = code;
    this.remark = remark;
    this.address = address;
  }

  /** The response code. */
  public int code() {
    return code;
  }

  /** The remark of the response; may be null. */
  public String remark() {
    return remark;
  }

  /** The {@code host:port} that answered. */
  public String address() {
    return address;
  }
}
