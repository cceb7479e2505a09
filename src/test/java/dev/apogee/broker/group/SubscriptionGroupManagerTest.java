package dev.apogee.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.broker.state.JsonFile;
import dev.apogee.protocol.BodyFormatException;
import dev.apogee.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionGroupManagerTest {
  @TempDir Path dir;

  private SubscriptionGroupManager manager(boolean autoCreate) {
    return new SubscriptionGroupManager(
        new JsonFile(dir.resolve("config/subscriptionGroup.json")), autoCreate, Runnable::run);
  }

  @Test
  void createsAGroupOnFirstUseWithRocketMqDefaultsAndKeepsIt() {
    SubscriptionGroupManager m = manager(true);
    SubscriptionGroupConfig g = m.findOrCreate("cg1");
    assertEquals(1, g.retryQueueNums());
    assertEquals(16, g.retryMaxTimes());
    assertTrue(g.consumeBroadcastEnable());
    assertEquals(1, g.whichBrokerWhenConsumeSlowly());
    SubscriptionGroupManager again = manager(true);
    again.load();
    assertEquals(g, again.find("cg1"));
  }

  @Test
  void doesNotCreateWhenAutoCreationIsOff() {
    assertNull(manager(false).findOrCreate("cg1"));
  }

  @Test
  void readsTheBodyMqadminSendsIgnoringFieldsItDoesNotKnow() {
    String body =
        "{\"brokerId\":0,\"consumeBroadcastEnable\":true,\"consumeEnable\":false,"
            + "\"consumeFromMinEnable\":true,\"consumeMessageOrderly\":false,\"consumeTimeoutMinute\":15,"
            + "\"groupName\":\"cg2\",\"groupRetryPolicy\":{\"type\":\"CUSTOMIZED\"},\"groupSysFlag\":0,"
            + "\"notifyConsumerIdsChangedEnable\":true,\"retryMaxTimes\":3,\"retryQueueNums\":1,"
            + "\"whichBrokerWhenConsumeSlowly\":1,\"attributes\":{}}";
    SubscriptionGroupConfig g = ProtocolJson.read(body, SubscriptionGroupConfig::readJson);
    SubscriptionGroupManager m = manager(true);
    m.update(g);
    assertFalse(m.find("cg2").consumeEnable());
    assertEquals(3, m.find("cg2").retryMaxTimes());
    assertEquals(Map.of(), m.find("cg2").attributes());
    assertTrue(m.delete("cg2"));
    assertNull(m.find("cg2"));
  }

  private static final SubscriptionGroupConfig CG0 =
      new SubscriptionGroupConfig(
          "cg0", false, false, true, true, 2, 3, 1, 0, false, 4, 30, Map.of("b", "2", "a", "1"));

  @Test
  void savesGroupsSortedByNameWithTheirFieldsSorted() throws Exception {
    SubscriptionGroupManager m = manager(true);
    m.findOrCreate("cg1");
    m.update(CG0);

    assertEquals(
        """
        {
          "subscriptionGroupTable" : {
            "cg0" : {
              "attributes" : {
                "a" : "1",
                "b" : "2"
              },
              "brokerId" : 1,
              "consumeBroadcastEnable" : true,
              "consumeEnable" : false,
              "consumeFromMinEnable" : false,
              "consumeMessageOrderly" : true,
              "consumeTimeoutMinute" : 30,
              "groupName" : "cg0",
              "groupSysFlag" : 4,
              "notifyConsumerIdsChangedEnable" : false,
              "retryMaxTimes" : 3,
              "retryQueueNums" : 2,
              "whichBrokerWhenConsumeSlowly" : 0
            },
            "cg1" : {
              "attributes" : { },
              "brokerId" : 0,
              "consumeBroadcastEnable" : true,
              "consumeEnable" : true,
              "consumeFromMinEnable" : true,
              "consumeMessageOrderly" : false,
              "consumeTimeoutMinute" : 15,
              "groupName" : "cg1",
              "groupSysFlag" : 0,
              "notifyConsumerIdsChangedEnable" : true,
              "retryMaxTimes" : 16,
              "retryQueueNums" : 1,
              "whichBrokerWhenConsumeSlowly" : 1
            }
          }
        }""",
        Files.readString(dir.resolve("config/subscriptionGroup.json"), StandardCharsets.UTF_8));
  }

  @Test
  void loadsAFileThePreviousVersionWroteInDeclarationOrder() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(
        dir.resolve("config/subscriptionGroup.json"),
        """
        {
          "subscriptionGroupTable" : {
            "cg0" : {
              "groupName" : "cg0",
              "consumeEnable" : false,
              "consumeFromMinEnable" : false,
              "consumeBroadcastEnable" : true,
              "consumeMessageOrderly" : true,
              "retryQueueNums" : 2,
              "retryMaxTimes" : 3,
              "brokerId" : 1,
              "whichBrokerWhenConsumeSlowly" : 0,
              "notifyConsumerIdsChangedEnable" : false,
              "groupSysFlag" : 4,
              "consumeTimeoutMinute" : 30,
              "attributes" : {
                "a" : "1",
                "b" : "2"
              }
            }
          }
        }""");

    SubscriptionGroupManager m = manager(true);
    m.load();

    assertEquals(CG0, m.find("cg0"));
  }

  @Test
  void loadsAFileRocketMqWrote() throws Exception {
    var theirs = new org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig();
    theirs.setGroupName("cg9");
    theirs.setRetryMaxTimes(5);
    var wrapper = new org.apache.rocketmq.remoting.protocol.body.SubscriptionGroupWrapper();
    wrapper.getSubscriptionGroupTable().put("cg9", theirs);
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(
        dir.resolve("config/subscriptionGroup.json"), RemotingSerializable.toJson(wrapper, true));

    SubscriptionGroupManager m = manager(false);
    m.load();

    SubscriptionGroupConfig g = m.find("cg9");
    assertEquals(5, g.retryMaxTimes());
    assertEquals(theirs.getRetryQueueNums(), g.retryQueueNums());
    assertEquals(theirs.isConsumeBroadcastEnable(), g.consumeBroadcastEnable());
    assertEquals(theirs.getWhichBrokerWhenConsumeSlowly(), g.whichBrokerWhenConsumeSlowly());
    assertEquals(theirs.getConsumeTimeoutMinute(), g.consumeTimeoutMinute());
  }

  @Test
  void refusesACorruptFileWithItsPath() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(
        dir.resolve("config/subscriptionGroup.json"),
        "{\"subscriptionGroupTable\":{\"cg\":{\"retryMaxTimes\":1}}}");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> manager(true).load());
    assertTrue(e.getMessage().contains("subscriptionGroup.json"), e.getMessage());
    assertTrue(e.getMessage().contains("missing field groupName"), e.getMessage());
  }

  @Test
  void groupSettingsCrossRocketMqsCodecBothWays() {
    var theirs =
        RemotingSerializable.decode(
            ProtocolJson.write(CG0),
            org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig.class);

    assertEquals("cg0", theirs.getGroupName());
    assertEquals(1, theirs.getBrokerId());
    assertEquals(3, theirs.getRetryMaxTimes());
    assertEquals(Map.of("a", "1", "b", "2"), theirs.getAttributes());
    assertEquals(
        CG0,
        ProtocolJson.read(RemotingSerializable.encode(theirs), SubscriptionGroupConfig::readJson));
  }

  @Test
  void refusesGroupSettingsOfTheWrongShape() {
    for (String body :
        new String[] {
          "{\"groupName\":\"\"}",
          "{\"groupName\":\"g\",\"brokerId\":\"0\"}",
          "{\"groupName\":\"g\",\"attributes\":{\"a\":1}}",
          "{\"groupName\":\"g\",\"consumeEnable\":\"true\"}",
          "{\"groupName\":\"g\",\"retryMaxTimes\":1e3}",
          "{\"groupName\":\"g\""
        }) {
      assertThrows(
          BodyFormatException.class,
          () -> ProtocolJson.read(body, SubscriptionGroupConfig::readJson),
          body);
    }
  }
}
