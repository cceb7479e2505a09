package dev.apogee.remoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemotingCommandTest {
  @Test
  void requestCopiesExtFieldsLeavingNullValuesOut() {
    Map<String, String> ext = new HashMap<>();
    ext.put("topic", "T1");
    ext.put("none", null);
    RemotingCommand cmd = RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, ext);
    assertEquals(Map.of("topic", "T1"), cmd.extFields());
    assertEquals(LanguageCode.JAVA, cmd.language());
    assertEquals(RemotingCommand.CURRENT_VERSION, cmd.version());
    assertEquals(SerializeType.JSON, cmd.serializeType());
    assertFalse(cmd.isResponse());
    assertFalse(cmd.isOneway());
    assertTrue(RemotingCommand.request(1, null).extFields().isEmpty());
  }

  @Test
  void responseToCopiesOpaqueAndSerializeTypeAndSetsTheResponseFlag() {
    RemotingCommand request =
        RemotingCommand.request(10).setOpaque(77).setSerializeType(SerializeType.ROCKETMQ);
    RemotingCommand response =
        RemotingCommand.responseTo(request, ResponseCode.SYSTEM_BUSY, "busy");
    assertEquals(77, response.opaque());
    assertEquals(RemotingCommand.FLAG_RESPONSE, response.flag());
    assertEquals(SerializeType.ROCKETMQ, response.serializeType());
    assertEquals("busy", response.remark());
    assertTrue(response.extFields().isEmpty());
  }

  @Test
  void extReadersNameTheFieldInTheirErrors() {
    RemotingCommand cmd =
        RemotingCommand.request(11)
            .putExt("queueId", "x1")
            .putExt("queueOffset", 12345678901L)
            .putExt("sysFlag", 4)
            .putExt("unitMode", "TRUE")
            .putExt("batch", "yes");
    assertEquals(
        "header field 'topic' is missing",
        assertThrows(IllegalArgumentException.class, () -> cmd.requireExt("topic")).getMessage());
    assertEquals(
        "header field 'queueId' is not an int: 'x1'",
        assertThrows(IllegalArgumentException.class, () -> cmd.extInt("queueId")).getMessage());
    assertEquals(
        "header field 'queueOffset' is not an int: '12345678901'",
        assertThrows(IllegalArgumentException.class, () -> cmd.extInt("queueOffset")).getMessage());
    assertEquals(
        "header field 'batch' is not a boolean: 'yes'",
        assertThrows(IllegalArgumentException.class, () -> cmd.extBoolean("batch")).getMessage());
    assertEquals(
        "header field 'queueId' is not a long: 'x1'",
        assertThrows(IllegalArgumentException.class, () -> cmd.extLong("queueId", 0)).getMessage());
    assertEquals(12345678901L, cmd.extLong("queueOffset"));
    assertEquals(4, cmd.extInt("sysFlag"));
    assertTrue(cmd.extBoolean("unitMode"));
    assertEquals(-1, cmd.extInt("absent", -1));
    assertEquals(-2L, cmd.extLong("absent", -2L));
    assertFalse(cmd.extBoolean("absent", false));
    assertNull(cmd.ext("absent"));
  }

  @Test
  void putExtWithNullRemovesTheField() {
    RemotingCommand cmd = RemotingCommand.request(1).putExt("a", "1");
    cmd.putExt("a", null);
    assertTrue(cmd.extFields().isEmpty());
  }

  @Test
  void setBodyTakesOverTheReferenceAndReleasesTheOldBody() {
    ByteBuf first = Unpooled.buffer(4).writeInt(1);
    ByteBuf second = Unpooled.buffer(4).writeInt(2);
    RemotingCommand cmd = RemotingCommand.request(1).setBody(first);
    cmd.setBody(second);
    assertEquals(0, first.refCnt());
    assertEquals(1, second.refCnt());
    cmd.release();
    assertEquals(0, second.refCnt());
    assertNull(cmd.body());
    cmd.release();
    assertEquals(0, cmd.bodyBytes().length);
  }

  @Test
  void languageCodesMatchRocketMq() {
    for (org.apache.rocketmq.remoting.protocol.LanguageCode theirs :
        org.apache.rocketmq.remoting.protocol.LanguageCode.values()) {
      LanguageCode ours = LanguageCode.fromName(theirs.name());
      assertEquals(theirs.name(), ours.name());
      assertEquals(theirs.getCode(), ours.code());
      assertEquals(ours, LanguageCode.fromCode(theirs.getCode()));
    }
    assertEquals(LanguageCode.OTHER, LanguageCode.fromCode(-3));
    assertEquals(LanguageCode.OTHER, LanguageCode.fromCode(14));
  }
}
