package dev.apogee.remoting;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ROCKETMQ binary command header (protocol 1.4):
 *
 * <pre>
 * int16 code | byte language | int16 version | int32 opaque | int32 flag
 * int32 remarkLength, remark bytes            (0 = no remark)
 * int32 extLength, then until extLength is consumed:
 *   int16 keyLength, key bytes | int32 valueLength, value bytes
 * </pre>
 *
 * A string of length 0 reads as null, so an ext entry with an empty key or value reads as absent;
 * entries with a null key or value are not written. Code and version are 16 bits on this wire: a
 * value outside a signed short cannot be written (RocketMQ would truncate it silently).
 *
 * <p>Stateless; safe from any thread.
 */
final class RocketMqHeaderCodec {
  /** code, language, version, opaque, flag. */
  private static final int FIXED_PART = 2 + 1 + 2 + 4 + 4;

  private RocketMqHeaderCodec() {}

  static void encode(RemotingCommand cmd, ByteBuf out) {
    out.writeShort(toShort(cmd.code(), "code"));
    out.writeByte(cmd.language().code());
    out.writeShort(toShort(cmd.version(), "version"));
    out.writeInt(cmd.opaque());
    out.writeInt(cmd.flag());
    String remark = cmd.remark();
    if (remark == null || remark.isEmpty()) {
      out.writeInt(0);
    } else {
      writeIntLengthString(out, remark);
    }
    int mapLengthAt = out.writerIndex();
    out.writeInt(0);
    for (Map.Entry<String, String> e : cmd.extFields().entrySet()) {
      if (e.getKey() != null && e.getValue() != null) {
        int keyAt = out.writerIndex();
        out.writeShort(0);
        int keyLength = out.writeCharSequence(e.getKey(), StandardCharsets.UTF_8);
        if (keyLength > Short.MAX_VALUE) {
          throw new IllegalArgumentException(
              "ext field name of " + keyLength + " bytes exceeds " + Short.MAX_VALUE);
        }
        out.setShort(keyAt, keyLength);
        writeIntLengthString(out, e.getValue());
      }
    }
    out.setInt(mapLengthAt, out.writerIndex() - mapLengthAt - 4);
  }

  private static void writeIntLengthString(ByteBuf out, String s) {
    int at = out.writerIndex();
    out.writeInt(0);
    out.setInt(at, out.writeCharSequence(s, StandardCharsets.UTF_8));
  }

  private static int toShort(int value, String field) {
    if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
      throw new IllegalArgumentException(
          field + " " + value + " does not fit the 16-bit field of a ROCKETMQ header");
    }
    return value;
  }

  static RemotingCommand decode(ByteBuf h) throws FrameException {
    try {
      return read(h);
    } catch (IndexOutOfBoundsException e) {
      throw new FrameException("ROCKETMQ header cut short: " + e.getMessage(), e);
    }
  }

  private static RemotingCommand read(ByteBuf h) throws FrameException {
    if (h.readableBytes() < FIXED_PART + 4 + 4) {
      throw new FrameException(
          "ROCKETMQ header of " + h.readableBytes() + " bytes is shorter than its fixed part");
    }
    RemotingCommand cmd = new RemotingCommand(h.readShort(), new LinkedHashMap<>());
    cmd.setLanguage(LanguageCode.fromCode(h.readByte()));
    cmd.setVersion(h.readShort());
    cmd.setOpaque(h.readInt());
    cmd.setFlag(h.readInt());
    cmd.setRemark(readString(h, h.readInt(), "remark"));
    int extLength = h.readInt();
    if (extLength < 0 || extLength > h.readableBytes()) {
      throw new FrameException(
          "ROCKETMQ header ext length "
              + extLength
              + " exceeds the "
              + h.readableBytes()
              + " bytes left");
    }
    int end = h.readerIndex() + extLength;
    while (h.readerIndex() < end) {
      if (end - h.readerIndex() < 2) {
        throw new FrameException("ROCKETMQ header ext entry cut short");
      }
      String key = readString(h, h.readShort(), "ext key", end);
      if (end - h.readerIndex() < 4) {
        throw new FrameException("ROCKETMQ header ext entry '" + key + "' has no value");
      }
      String value = readString(h, h.readInt(), "ext value", end);
      if (key != null && value != null) {
        cmd.extFields().put(key, value);
      }
    }
    cmd.setSerializeType(SerializeType.ROCKETMQ);
    return cmd;
  }

  private static String readString(ByteBuf h, int length, String what) throws FrameException {
    return readString(h, length, what, h.writerIndex());
  }

  private static String readString(ByteBuf h, int length, String what, int limit)
      throws FrameException {
    if (length == 0) {
      return null;
    }
    if (length < 0 || length > limit - h.readerIndex()) {
      throw new FrameException(
          "ROCKETMQ header "
              + what
              + " length "
              + length
              + " exceeds the "
              + (limit - h.readerIndex())
              + " bytes left");
    }
    String s = h.toString(h.readerIndex(), length, StandardCharsets.UTF_8);
    h.skipBytes(length);
    return s;
  }
}
