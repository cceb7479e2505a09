package dev.apogee.broker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.store.MessageFilter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeartbeatDataTest {
  // The sample of protocol doc 1.10, as the official client writes it.
  private static final String SAMPLE =
      "{\"clientID\":\"192.168.0.2@12345#1234567890\",\"consumerDataSet\":[{\"consumeFromWhere\":"
          + "\"CONSUME_FROM_LAST_OFFSET\",\"consumeType\":\"CONSUME_PASSIVELY\",\"groupName\":\"cg1\","
          + "\"messageModel\":\"CLUSTERING\",\"subscriptionDataSet\":[{\"classFilterMode\":false,"
          + "\"codeSet\":[2598919,2598920],\"expressionType\":\"TAG\",\"subString\":\"TagA || TagB\","
          + "\"subVersion\":1700000000000,\"tagsSet\":[\"TagA\",\"TagB\"],\"topic\":\"T1\"}],"
          + "\"unitMode\":false}],\"heartbeatFingerprint\":0,\"producerDataSet\":[{\"groupName\":"
          + "\"CLIENT_INNER_PRODUCER\"}],\"withoutSub\":false}";

  @Test
  void readsTheOfficialClientsHeartbeat() {
    HeartbeatData h = HeartbeatData.parse(SAMPLE.getBytes(StandardCharsets.UTF_8));
    assertEquals("192.168.0.2@12345#1234567890", h.clientID());
    assertEquals(
        Set.of(new HeartbeatData.ProducerData("CLIENT_INNER_PRODUCER")), h.producerDataSet());
    HeartbeatData.ConsumerData c = h.consumerDataSet().iterator().next();
    assertEquals("cg1", c.groupName());
    assertFalse(c.broadcasting());
    SubscriptionData s = c.subscriptions().get(0);
    assertEquals("T1", s.topic());
    assertEquals(Set.of("TagA".hashCode(), "TagB".hashCode()), s.codeSet());
    assertEquals(1_700_000_000_000L, s.subVersion());
    MessageFilter f = s.tagFilter();
    assertTrue(f.matchesTagsCode("TagA".hashCode()));
    assertFalse(f.matchesTagsCode("TagC".hashCode()));
  }

  @Test
  void parsesTagExpressionsAsTheClientDoes() {
    SubscriptionData s = SubscriptionData.ofTags("T", " TagA ||TagB|| ", 0);
    assertEquals(Set.of("TagA", "TagB"), s.tagsSet());
    assertEquals(MessageFilter.ALL, SubscriptionData.ofTags("T", "*", 0).tagFilter());
  }

  @Test
  void refusesAnUnreadableBody() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HeartbeatData.parse("{\"clientID\":".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("unreadable heartbeat body"), e.getMessage());
  }
}
