package dev.apogee.remoting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.rocketmq.remoting.netty.NettyDecoder;
import org.apache.rocketmq.remoting.netty.NettyEncoder;
import org.apache.rocketmq.remoting.protocol.LanguageCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our frames against RocketMQ 5.5.0's own codec: its {@code NettyEncoder} and {@code NettyDecoder}
 * (the classes on its channel pipeline) run in an embedded channel. The serialize type is chosen
 * per command with {@code setSerializeTypeCurrentRPC}, which is what the process-wide {@code
 * rocketmq.serialize.type} property sets as each command's default.
 */
class RocketMqCompatibilityTest {
  private static final byte[] BODY = "body bytes \u00e9\u4e3b".getBytes(StandardCharsets.UTF_8);

  private static org.apache.rocketmq.remoting.protocol.SerializeType theirs(SerializeType t) {
    return org.apache.rocketmq.remoting.protocol.SerializeType.valueOf(t.name());
  }

  /** What RocketMQ's encoder writes for {@code cmd}. */
  private static byte[] encodeWithRocketMq(
      org.apache.rocketmq.remoting.protocol.RemotingCommand cmd) {
    EmbeddedChannel channel = new EmbeddedChannel(new NettyEncoder());
    assertTrue(channel.writeOutbound(cmd));
    ByteBuf out = channel.readOutbound();
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
      channel.finishAndReleaseAll();
    }
  }

  /** What RocketMQ's decoder makes of {@code frame}. */
  private static org.apache.rocketmq.remoting.protocol.RemotingCommand decodeWithRocketMq(
      byte[] frame) {
    EmbeddedChannel channel = new EmbeddedChannel(new NettyDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(frame));
    org.apache.rocketmq.remoting.protocol.RemotingCommand cmd = channel.readInbound();
    assertTrue(channel.isOpen(), "RocketMQ's decoder closes the channel on a bad frame");
    channel.finishAndReleaseAll();
    return cmd;
  }

  @ParameterizedTest
  @EnumSource(SerializeType.class)
  void decodesARocketMqOnewayRequest(SerializeType type) throws Exception {
    var cmd = org.apache.rocketmq.remoting.protocol.RemotingCommand.createRequestCommand(37, null);
    cmd.setSerializeTypeCurrentRPC(theirs(type));
    cmd.setOpaque(1234);
    cmd.setVersion(513);
    cmd.setLanguage(LanguageCode.GO);
    cmd.setRemark("commit é");
    cmd.addExtField("producerGroup", "pg");
    cmd.addExtField("commitLogOffset", "4096");
    cmd.addExtField("fromTransactionCheck", "false");
    cmd.setBody(BODY);
    cmd.markOnewayRPC();

    RemotingCommand ours = Frames.decodeOne(encodeWithRocketMq(cmd));

    assertEquals(37, ours.code());
    assertEquals(1234, ours.opaque());
    assertEquals(513, ours.version());
    assertEquals(dev.apogee.remoting.LanguageCode.GO, ours.language());
    assertTrue(ours.isOneway());
    assertFalse(ours.isResponse());
    assertEquals("commit é", ours.remark());
    assertEquals(
        Map.of("producerGroup", "pg", "commitLogOffset", "4096", "fromTransactionCheck", "false"),
        ours.extFields());
    assertEquals(4096L, ours.extLong("commitLogOffset"));
    assertFalse(ours.extBoolean("fromTransactionCheck"));
    assertArrayEquals(BODY, ours.bodyBytes());
    assertEquals(type, ours.serializeType());
  }

  @ParameterizedTest
  @EnumSource(SerializeType.class)
  void decodesARocketMqResponseWithoutExtFieldsOrBody(SerializeType type) throws Exception {
    var cmd =
        org.apache.rocketmq.remoting.protocol.RemotingCommand.createResponseCommand(
            17, "No topic route info in name server for the topic: T1");
    cmd.setSerializeTypeCurrentRPC(theirs(type));
    cmd.setOpaque(7);

    RemotingCommand ours = Frames.decodeOne(encodeWithRocketMq(cmd));

    assertTrue(ours.isResponse());
    assertEquals(17, ours.code());
    assertEquals(7, ours.opaque());
    assertEquals("No topic route info in name server for the topic: T1", ours.remark());
    assertTrue(ours.extFields().isEmpty());
    assertNull(ours.body());
  }

  @ParameterizedTest
  @EnumSource(SerializeType.class)
  void rocketMqDecodesOurOnewayRequest(SerializeType type) {
    RemotingCommand ours =
        RemotingCommand.request(RequestCode.CHECK_TRANSACTION_STATE)
            .setSerializeType(type)
            .setOpaque(99)
            .setRemark("check ü")
            .putExt("msgId", "0A0000020000AAAA")
            .putExt("tranStateTableOffset", 12)
            .setBody(BODY)
            .markOneway();

    var theirs = decodeWithRocketMq(Frames.encode(ours));

    assertNotNull(theirs);
    assertEquals(RequestCode.CHECK_TRANSACTION_STATE, theirs.getCode());
    assertEquals(99, theirs.getOpaque());
    assertEquals(RemotingCommand.CURRENT_VERSION, theirs.getVersion());
    assertEquals(LanguageCode.JAVA, theirs.getLanguage());
    assertTrue(theirs.isOnewayRPC());
    assertFalse(theirs.isResponseType());
    assertEquals("check ü", theirs.getRemark());
    assertEquals(
        Map.of("msgId", "0A0000020000AAAA", "tranStateTableOffset", "12"), theirs.getExtFields());
    assertArrayEquals(BODY, theirs.getBody());
    assertEquals(theirs(type), theirs.getSerializeTypeCurrentRPC());
  }

  @ParameterizedTest
  @EnumSource(SerializeType.class)
  void rocketMqDecodesOurResponse(SerializeType type) {
    RemotingCommand request = RemotingCommand.request(RequestCode.SEND_MESSAGE_V2).setOpaque(5);
    request.setSerializeType(type);
    RemotingCommand ours = RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    ours.putExt("msgId", "ABC").putExt("queueId", 1).putExt("queueOffset", 10L);

    var theirs = decodeWithRocketMq(Frames.encode(ours));

    assertTrue(theirs.isResponseType());
    assertEquals(0, theirs.getCode());
    assertEquals(5, theirs.getOpaque());
    assertNull(theirs.getRemark());
    assertEquals(
        Map.of("msgId", "ABC", "queueId", "1", "queueOffset", "10"), theirs.getExtFields());
    assertNull(theirs.getBody());
  }

  @ParameterizedTest
  @EnumSource(SerializeType.class)
  void headersRoundTripThroughBothCodecsToTheSameBytes(SerializeType type) throws Exception {
    var cmd = org.apache.rocketmq.remoting.protocol.RemotingCommand.createRequestCommand(105, null);
    cmd.setSerializeTypeCurrentRPC(theirs(type));
    cmd.setOpaque(3);
    cmd.addExtField("topic", "T1");
    byte[] rocketMqBytes = encodeWithRocketMq(cmd);
    assertArrayEquals(rocketMqBytes, Frames.encode(Frames.decodeOne(rocketMqBytes)));
  }

  @Test
  void requestAndResponseCodesHaveRocketMqsValues() throws Exception {
    assertSameValues(RequestCode.class, org.apache.rocketmq.remoting.protocol.RequestCode.class);
    for (Field f : ResponseCode.class.getFields()) {
      Class<?> source =
          f.getInt(null) >= 0 && f.getInt(null) <= 4
              ? org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode.class
              : org.apache.rocketmq.remoting.protocol.ResponseCode.class;
      assertEquals(source.getField(f.getName()).getInt(null), f.getInt(null), f.getName());
    }
  }

  private static void assertSameValues(Class<?> ours, Class<?> theirs) throws Exception {
    Field[] fields = ours.getFields();
    assertTrue(fields.length > 40, "all codes are public");
    for (Field f : fields) {
      assertEquals(theirs.getField(f.getName()).getInt(null), f.getInt(null), f.getName());
    }
  }
}
