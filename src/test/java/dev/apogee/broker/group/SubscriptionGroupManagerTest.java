package dev.apogee.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apogee.broker.state.JsonFile;
import java.nio.file.Path;
import java.util.Map;
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
  void readsTheBodyMqadminSendsIgnoringFieldsItDoesNotKnow() throws Exception {
    String body =
        "{\"brokerId\":0,\"consumeBroadcastEnable\":true,\"consumeEnable\":false,"
            + "\"consumeFromMinEnable\":true,\"consumeMessageOrderly\":false,\"consumeTimeoutMinute\":15,"
            + "\"groupName\":\"cg2\",\"groupRetryPolicy\":{\"type\":\"CUSTOMIZED\"},\"groupSysFlag\":0,"
            + "\"notifyConsumerIdsChangedEnable\":true,\"retryMaxTimes\":3,\"retryQueueNums\":1,"
            + "\"whichBrokerWhenConsumeSlowly\":1,\"attributes\":{}}";
    SubscriptionGroupConfig g =
        new ObjectMapper()
            .configure(
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                false)
            .readValue(body, SubscriptionGroupConfig.class);
    SubscriptionGroupManager m = manager(true);
    m.update(g);
    assertFalse(m.find("cg2").consumeEnable());
    assertEquals(3, m.find("cg2").retryMaxTimes());
    assertEquals(Map.of(), m.find("cg2").attributes());
    assertTrue(m.delete("cg2"));
    assertNull(m.find("cg2"));
  }
}
