package dev.apogee.remoting;

/**
 * How a command header is serialized: the high byte of a frame's header word (protocol 1.1). Every
 * frame says its own type; a peer decodes each frame by it.
 *
 * <p>Immutable; safe from any thread.
 */
public enum SerializeType {
  /** A UTF-8 JSON object (protocol 1.3). */
  JSON(0),
  /** RocketMQ's compact binary layout (protocol 1.4). */
  ROCKETMQ(1);

  private final int code;

  SerializeType(int code) {
    this.code = code;
  }

  /** The value of the header word's high byte. */
  public int code() {
    return code;
  }

  /** The type with this code, or null when the code is not one of ours. */
  public static SerializeType fromCode(int code) {
    return switch (code) {
      case 0 -> JSON;
      case 1 -> ROCKETMQ;
      default -> null;
    };
  }
}
