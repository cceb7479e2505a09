package dev.apogee.broker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.protocol.BodyFormatException;
import dev.apogee.store.MessageFilter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.remoting.protocol.heartbeat.ConsumeType;
import org.apache.rocketmq.remoting.protocol.heartbeat.ConsumerData;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.apache.rocketmq.remoting.protocol.heartbeat.ProducerData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void readsWhatTheOfficialClientsCodecWrites() throws Exception {
    var sub =
        org.apache.rocketmq.remoting.protocol.filter.FilterAPI.buildSubscriptionData(
            "T1", "TagA || TagB");
    ConsumerData consumer = new ConsumerData();
    consumer.setGroupName("cg1");
    consumer.setConsumeType(ConsumeType.CONSUME_PASSIVELY);
    consumer.setMessageModel(MessageModel.BROADCASTING);
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.getSubscriptionDataSet().add(sub);
    ProducerData producer = new ProducerData();
    producer.setGroupName("pg1");
    var theirs = new org.apache.rocketmq.remoting.protocol.heartbeat.HeartbeatData();
    theirs.setClientID("10.0.0.9@42#1");
    theirs.getConsumerDataSet().add(consumer);
    theirs.getProducerDataSet().add(producer);
    theirs.setHeartbeatFingerprint(77);
    theirs.setWithoutSub(true);

    HeartbeatData h = HeartbeatData.parse(theirs.encode());

    assertEquals("10.0.0.9@42#1", h.clientID());
    assertEquals(77, h.heartbeatFingerprint());
    assertTrue(h.withoutSub());
    assertEquals(Set.of(new HeartbeatData.ProducerData("pg1")), h.producerDataSet());
    HeartbeatData.ConsumerData c = h.consumerDataSet().iterator().next();
    assertEquals("CONSUME_PASSIVELY", c.consumeType());
    assertEquals("CONSUME_FROM_FIRST_OFFSET", c.consumeFromWhere());
    assertTrue(c.broadcasting());
    SubscriptionData s = c.subscriptions().get(0);
    assertEquals(
        new SubscriptionData(
            "T1",
            "TagA || TagB",
            Set.of("TagA", "TagB"),
            Set.of("TagA".hashCode(), "TagB".hashCode()),
            sub.getSubVersion(),
            "TAG",
            false),
        s);
  }

  @Test
  void skipsFieldsItDoesNotKnowAtEveryLevel() {
    String body =
        SAMPLE
            .replace("{\"clientID\"", "{\"extra\":[{\"a\":1}],\"clientID\"")
            .replace("{\"consumeFromWhere\"", "{\"x\":{},\"consumeFromWhere\"")
            .replace("{\"classFilterMode\"", "{\"filterClassSource\":null,\"classFilterMode\"");

    assertEquals(
        HeartbeatData.parse(SAMPLE.getBytes(StandardCharsets.UTF_8)),
        HeartbeatData.parse(body.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{\"clientID\":\"c\",\"consumerDataSet\":{}}",
        "{\"clientID\":\"c\",\"consumerDataSet\":[{\"subscriptionDataSet\":[{\"codeSet\":[\"x\"]}]}]}",
        "{\"clientID\":\"c\",\"producerDataSet\":[null]}",
        "{\"clientID\":\"c\",\"withoutSub\":\"yes\"}",
        "{\"clientID\":\"c\"} trailing"
      })
  void refusesMalformedBodiesAsBodyFormatErrors(String body) {
    BodyFormatException e =
        assertThrows(
            BodyFormatException.class,
            () -> HeartbeatData.parse(body.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("unreadable heartbeat body: "), e.getMessage());
  }

  @Test
  void refusesAHeartbeatWithoutAClientId() {
    assertThrows(
        IllegalArgumentException.class,
        () -> HeartbeatData.parse("{\"producerDataSet\":[]}".getBytes(StandardCharsets.UTF_8)));
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
