package dev.apogee.remoting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Writes a command as one frame (protocol 1.1): frame length, header word (serialize type in the
 * high byte, header length in the low 24 bits), header, body.
 *
 * <p>The header goes into a small buffer of its own; the body is not copied but added behind it as
 * a second component of a composite buffer, holding a new reference. The command keeps its own
 * reference (and stays usable); the caller owns the returned buffer and releases it once written.
 *
 * <p>Stateless; safe from any thread (the command itself must not be touched concurrently).
 */
public final class FrameEncoder {
  /** Frame length and header word. */
  static final int PREFIX_LENGTH = 8;

  /** The largest header the 24-bit length of the header word can describe (0xFFFFFF). */
  static final int MAX_HEADER_LENGTH = 0xFFFFFF;

  private static final int HEADER_SIZE_HINT = 256;

  private FrameEncoder() {}

  /**
   * The frame for {@code cmd}, in its {@link RemotingCommand#serializeType()}.
   *
   * @throws IllegalArgumentException when a field does not fit the wire format
   */
  public static ByteBuf encode(RemotingCommand cmd) {
    ByteBuf header = Unpooled.buffer(HEADER_SIZE_HINT);
    try {
      header.writeLong(0);
      if (cmd.serializeType() == SerializeType.ROCKETMQ) {
        RocketMqHeaderCodec.encode(cmd, header);
      } else {
        JsonHeaderCodec.encode(cmd, header);
      }
      int headerLength = header.readableBytes() - PREFIX_LENGTH;
      if (headerLength > MAX_HEADER_LENGTH) {
        throw new IllegalArgumentException(
            "header of " + headerLength + " bytes exceeds " + MAX_HEADER_LENGTH);
      }
      ByteBuf body = cmd.body();
      int bodyLength = body == null ? 0 : body.readableBytes();
      long frameLength = 4L + headerLength + bodyLength;
      if (frameLength > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("frame of " + frameLength + " bytes is too long");
      }
      header.setInt(0, (int) frameLength);
      header.setInt(4, (cmd.serializeType().code() << 24) | headerLength);
      if (bodyLength == 0) {
        return header;
      }
      return Unpooled.wrappedBuffer(header, body.retainedDuplicate());
    } catch (RuntimeException e) {
      header.release();
      throw e;
    }
  }
}
