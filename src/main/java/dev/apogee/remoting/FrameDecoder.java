package dev.apogee.remoting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.function.Consumer;

/**
 * Turns the bytes of one connection, as they arrive (split or coalesced at any byte), into
 * commands. A small state machine:
 *
 * <ol>
 *   <li>PREFIX: the 8 bytes of frame length and header word. The length is checked as soon as its 4
 *       bytes are in, the header word as soon as its are; a bad value fails before the rest of the
 *       frame is awaited.
 *   <li>FRAME: the header and body ({@code frameLength - 4} bytes). When a chunk holds all of them
 *       the frame is a slice of the chunk (no copy); otherwise they are gathered in one buffer that
 *       grows as bytes arrive, so a peer announcing 16 MiB and sending nothing costs nothing.
 * </ol>
 *
 * Each command's body is a slice of those bytes holding its own reference (see {@link
 * RemotingCommand}). After a {@link FrameException} the stream cannot be trusted: the decoder
 * refuses further input and its connection must be closed.
 *
 * <p>Not thread-safe: one decoder per connection, fed from that connection's event loop.
 */
public final class FrameDecoder {
  /** The official decoder's limit (protocol 1.1). */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 16 * 1024 * 1024;

  /** First capacity of a frame gathered from several chunks; it grows as bytes arrive. */
  private static final int GATHER_INITIAL = 4096;

  private enum State {
    PREFIX,
    FRAME,
    FAILED
  }

  private final int maxFrameLength;
  private final Consumer<RemotingCommand> sink;
  private final ByteBuf prefix = Unpooled.buffer(FrameEncoder.PREFIX_LENGTH);
  private State state = State.PREFIX;
  private int frameLength = -1;
  private int headerWord;
  private ByteBuf gathered;

  /** Hands each decoded command to {@code sink}, on the feeding thread. */
  public FrameDecoder(int maxFrameLength, Consumer<RemotingCommand> sink) {
    if (maxFrameLength < 8) {
      throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " is below 8");
    }
    this.maxFrameLength = maxFrameLength;
    this.sink = sink;
  }

  /** Decodes what {@code chunk} completes; keeps a partial frame for the next chunk. */
  public void feed(Buffer chunk) throws FrameException {
    feed(((BufferInternal) chunk).getByteBuf());
  }

  /** As {@link #feed(Buffer)}; reads {@code in} to its end without taking over a reference. */
  public void feed(ByteBuf in) throws FrameException {
    if (state == State.FAILED) {
      throw new IllegalStateException("decoder already failed on an earlier frame");
    }
    try {
      while (in.isReadable()) {
        if (state == State.PREFIX) {
          readPrefix(in);
        } else {
          readFrame(in);
        }
      }
    } catch (FrameException | RuntimeException e) {
      state = State.FAILED;
      release();
      throw e;
    }
  }

  /** Drops a partly received frame; call when the connection closes. */
  public void release() {
    if (gathered != null) {
      gathered.release();
      gathered = null;
    }
  }

  private void readPrefix(ByteBuf in) throws FrameException {
    if (!prefix.isReadable() && in.readableBytes() >= FrameEncoder.PREFIX_LENGTH) {
      checkLength(in.readInt());
      checkHeaderWord(in.readInt());
      state = State.FRAME;
      return;
    }
    int n = Math.min(FrameEncoder.PREFIX_LENGTH - prefix.readableBytes(), in.readableBytes());
    prefix.writeBytes(in, n);
    if (frameLength < 0 && prefix.readableBytes() >= 4) {
      checkLength(prefix.getInt(0));
    }
    if (prefix.readableBytes() == FrameEncoder.PREFIX_LENGTH) {
      checkHeaderWord(prefix.getInt(4));
      prefix.clear();
      state = State.FRAME;
    }
  }

  private void checkLength(int length) throws FrameException {
    if (length < 4) {
      throw new FrameException("frame length " + length + " is below 4");
    }
    if (length > maxFrameLength) {
      throw new FrameException("frame length " + length + " exceeds the limit " + maxFrameLength);
    }
    frameLength = length;
  }

  private void checkHeaderWord(int word) throws FrameException {
    int type = word >>> 24;
    int headerLength = word & FrameEncoder.MAX_HEADER_LENGTH;
    if (SerializeType.fromCode(type) == null) {
      throw new FrameException("unknown serialize type " + type);
    }
    if (headerLength == 0) {
      throw new FrameException("empty header");
    }
    if (headerLength > frameLength - 4) {
      throw new FrameException(
          "header length " + headerLength + " exceeds frame length " + frameLength + " - 4");
    }
    headerWord = word;
  }

  private void readFrame(ByteBuf in) throws FrameException {
    int rest = frameLength - 4;
    if (gathered == null && in.readableBytes() >= rest) {
      complete(in.readRetainedSlice(rest));
      return;
    }
    if (gathered == null) {
      gathered = Unpooled.buffer(Math.min(rest, GATHER_INITIAL), rest);
    }
    gathered.writeBytes(in, Math.min(rest - gathered.readableBytes(), in.readableBytes()));
    if (gathered.readableBytes() == rest) {
      ByteBuf frame = gathered;
      gathered = null;
      complete(frame);
    }
  }

  /** Decodes header and body from {@code frame}, whose reference this method takes over. */
  private void complete(ByteBuf frame) throws FrameException {
    state = State.PREFIX;
    frameLength = -1;
    int headerLength = headerWord & FrameEncoder.MAX_HEADER_LENGTH;
    RemotingCommand cmd;
    try {
      ByteBuf header = frame.slice(frame.readerIndex(), headerLength);
      cmd =
          SerializeType.fromCode(headerWord >>> 24) == SerializeType.ROCKETMQ
              ? RocketMqHeaderCodec.decode(header)
              : JsonHeaderCodec.decode(header);
      int bodyLength = frame.readableBytes() - headerLength;
      if (bodyLength > 0) {
        cmd.setBody(frame.retainedSlice(frame.readerIndex() + headerLength, bodyLength));
      }
    } finally {
      frame.release();
    }
    sink.accept(cmd);
  }
}
