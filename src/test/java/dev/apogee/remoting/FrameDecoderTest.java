package dev.apogee.remoting;

import static dev.apogee.remoting.Frames.dump;
import static dev.apogee.remoting.Frames.encode;
import static dev.apogee.remoting.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final List<RemotingCommand> decoded = new ArrayList<>();
  private final FrameDecoder decoder = new FrameDecoder(1024, decoded::add);

  /** Three frames of both types, with and without bodies, back to back. */
  private static byte[] stream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      RemotingCommand cmd = RemotingCommand.request(RequestCode.SEND_MESSAGE_V2).setOpaque(i);
      cmd.putExt("a", "topic-" + i).setRemark(i == 1 ? "r" : null);
      cmd.setSerializeType(i % 2 == 0 ? SerializeType.JSON : SerializeType.ROCKETMQ);
      cmd.setBody(i == 2 ? null : ("body-" + i).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(encode(cmd));
    }
    return out.toByteArray();
  }

  private void assertStreamDecoded() {
    assertEquals(3, decoded.size());
    for (int i = 0; i < 3; i++) {
      RemotingCommand cmd = decoded.get(i);
      assertEquals(i, cmd.opaque());
      assertEquals("topic-" + i, cmd.ext("a"));
      assertEquals(i % 2 == 0 ? SerializeType.JSON : SerializeType.ROCKETMQ, cmd.serializeType());
      String body = i == 2 ? "" : "body-" + i;
      assertEquals(body, Frames.utf8(cmd.bodyBytes()));
    }
  }

  @Test
  void decodesAStreamFedOneByteAtATime() throws Exception {
    for (byte b : stream()) {
      decoder.feed(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertStreamDecoded();
  }

  @Test
  void decodesAStreamCoalescedIntoOneChunk() throws Exception {
    decoder.feed(Unpooled.wrappedBuffer(stream()));
    assertStreamDecoded();
  }

  @Test
  void decodesAStreamSplitAtRandomPoints() throws Exception {
    byte[] all = stream();
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      decoded.clear();
      FrameDecoder d = new FrameDecoder(1024, decoded::add);
      int at = 0;
      while (at < all.length) {
        int n = 1 + random.nextInt(Math.min(40, all.length - at));
        d.feed(Unpooled.wrappedBuffer(all, at, n));
        at += n;
      }
      try {
        assertStreamDecoded();
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ", round " + round, e);
      }
    }
  }

  @Test
  void bodyOfAFrameWithinOneChunkIsASliceOfThatChunk() throws Exception {
    byte[] bytes =
        encode(RemotingCommand.request(1).setBody("payload".getBytes(StandardCharsets.UTF_8)));
    ByteBuf chunk = Unpooled.wrappedBuffer(bytes);
    decoder.feed(chunk);
    ByteBuf body = decoded.get(0).body();
    assertTrue(body.hasArray());
    assertSame(bytes, body.array(), "the body shares the received bytes");
    decoded.get(0).release();
    assertEquals(1, chunk.refCnt(), "the body's reference was its own");
  }

  @Test
  void framesGatheredFromSeveralChunksReleaseTheirBufferWithTheBody() throws Exception {
    byte[] bytes =
        encode(RemotingCommand.request(1).setBody("payload".getBytes(StandardCharsets.UTF_8)));
    decoder.feed(Unpooled.wrappedBuffer(bytes, 0, 10));
    decoder.feed(Unpooled.wrappedBuffer(bytes, 10, bytes.length - 10));
    ByteBuf body = decoded.get(0).body();
    assertEquals(1, body.refCnt());
    decoded.get(0).release();
    assertEquals(0, body.refCnt());
  }

  @Test
  void rejectsALengthOverTheLimitAsSoonAsItsFourBytesArrive() throws Exception {
    decoder.feed(Unpooled.wrappedBuffer(dump("0000")));
    FrameException e =
        assertThrows(
            FrameException.class, () -> decoder.feed(Unpooled.wrappedBuffer(dump("0401"))));
    assertEquals("frame length 1025 exceeds the limit 1024", e.getMessage());
  }

  @Test
  void rejectsALengthBelowFour() {
    FrameException e =
        assertThrows(
            FrameException.class, () -> decoder.feed(Unpooled.wrappedBuffer(dump("00000003"))));
    assertEquals("frame length 3 is below 4", e.getMessage());
  }

  @Test
  void rejectsAHeaderLongerThanTheFrame() {
    FrameException e =
        assertThrows(
            FrameException.class,
            () -> decoder.feed(Unpooled.wrappedBuffer(dump("00000010 0000000d"))));
    assertEquals("header length 13 exceeds frame length 16 - 4", e.getMessage());
  }

  @Test
  void rejectsAnUnknownSerializeTypeAndAnEmptyHeader() {
    assertEquals(
        "unknown serialize type 2",
        assertThrows(
                FrameException.class,
                () -> decoder.feed(Unpooled.wrappedBuffer(dump("00000010 02000002"))))
            .getMessage());
    FrameDecoder other = new FrameDecoder(1024, decoded::add);
    assertEquals(
        "empty header",
        assertThrows(
                FrameException.class,
                () -> other.feed(Unpooled.wrappedBuffer(dump("00000004 00000000"))))
            .getMessage());
  }

  @Test
  void rejectsUnreadableHeaders() {
    byte[][] bad = {
      frame(0, "{\"code\":"),
      frame(0, "[1,2]"),
      frame(0, "{\"code\":1} trailing"),
      frame(0, "{\"code\":{}}"),
      frame(0, "{\"extFields\":[1]}"),
      frame(0, "{\"opaque\":99999999999}"),
      frame(1, dump("0001 00 0000"), null),
      frame(1, dump("0001 00 0000 00000000 00000000 00000005 \"ab\" 00000000"), null),
      frame(1, dump("0001 00 0000 00000000 00000000 00000000 00000009 0005 \"ab\""), null),
      frame(1, dump("0001 00 0000 00000000 00000000 00000000 00000004 0001 \"a\" 00"), null),
    };
    for (byte[] frame : bad) {
      FrameDecoder d = new FrameDecoder(1024, decoded::add);
      assertThrows(
          FrameException.class,
          () -> d.feed(Unpooled.wrappedBuffer(frame)),
          () -> "accepted " + Frames.utf8(frame));
    }
    assertTrue(decoded.isEmpty());
  }

  @Test
  void refusesInputAfterAFailure() {
    assertThrows(
        FrameException.class, () -> decoder.feed(Unpooled.wrappedBuffer(dump("00000003"))));
    assertThrows(IllegalStateException.class, () -> decoder.feed(Unpooled.wrappedBuffer(stream())));
  }

  @Test
  void encoderAddsTheBodyWithoutCopyingIt() throws Exception {
    ByteBuf body = Unpooled.wrappedBuffer("zero copy".getBytes(StandardCharsets.UTF_8));
    RemotingCommand cmd = RemotingCommand.request(7).setBody(body);
    ByteBuf frame = FrameEncoder.encode(cmd);
    assertTrue(frame instanceof CompositeByteBuf);
    CompositeByteBuf composite = (CompositeByteBuf) frame;
    assertSame(body.array(), composite.component(1).unwrap().array());
    assertEquals(2, body.refCnt(), "the frame holds a reference of its own");
    byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(frame);
    frame.release();
    assertEquals(1, body.refCnt());
    assertArrayEquals(
        "zero copy".getBytes(StandardCharsets.UTF_8), Frames.decodeOne(bytes).bodyBytes());
    cmd.release();
    assertEquals(0, body.refCnt());
  }
}
