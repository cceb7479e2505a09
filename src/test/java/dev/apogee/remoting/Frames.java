package dev.apogee.remoting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds and takes apart raw frames for tests. */
final class Frames {
  private Frames() {}

  /** Bytes from a hex dump in which quoted parts are literal UTF-8 and spaces separate. */
  static byte[] dump(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ') {
        i++;
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        out.writeBytes(text.substring(i + 1, end).getBytes(StandardCharsets.UTF_8));
        i = end + 1;
      } else {
        int end = text.indexOf(' ', i);
        end = end < 0 ? text.length() : end;
        out.writeBytes(HexFormat.of().parseHex(text.substring(i, end)));
        i = end;
      }
    }
    return out.toByteArray();
  }

  /** A frame around a raw header of {@code type} and an optional body. */
  static byte[] frame(int type, byte[] header, byte[] body) {
    int bodyLength = body == null ? 0 : body.length;
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + bodyLength);
    b.putInt(4 + header.length + bodyLength);
    b.putInt((type << 24) | header.length);
    b.put(header);
    if (body != null) {
      b.put(body);
    }
    return b.array();
  }

  static byte[] frame(int type, String header) {
    return frame(type, header.getBytes(StandardCharsets.UTF_8), null);
  }

  /** Encodes {@code cmd} (keeping it) and returns the frame's bytes. */
  static byte[] encode(RemotingCommand cmd) {
    ByteBuf frame = FrameEncoder.encode(cmd);
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  /** Decodes every whole frame of {@code bytes} fed as one chunk. */
  static List<RemotingCommand> decode(byte[] bytes) throws FrameException {
    List<RemotingCommand> out = new ArrayList<>();
    new FrameDecoder(FrameDecoder.DEFAULT_MAX_FRAME_LENGTH, out::add)
        .feed(Unpooled.wrappedBuffer(bytes));
    return out;
  }

  static RemotingCommand decodeOne(byte[] bytes) throws FrameException {
    List<RemotingCommand> all = decode(bytes);
    if (all.size() != 1) {
      throw new AssertionError("expected one command, got " + all.size());
    }
    return all.get(0);
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
