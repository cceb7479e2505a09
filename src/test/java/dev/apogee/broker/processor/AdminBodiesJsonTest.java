package dev.apogee.broker.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.protocol.ProtocolJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.rocketmq.remoting.protocol.LanguageCode;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.remoting.protocol.body.ProducerConnection;
import org.apache.rocketmq.remoting.protocol.body.SubscriptionGroupWrapper;
import org.apache.rocketmq.remoting.protocol.heartbeat.ConsumeType;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.Test;

/**
 * The admin answers' bodies written as the previous, Jackson-based writer wrote them, and read by
 * RocketMQ 5.5.0's own classes as the admin tool reads them.
 */
class AdminBodiesJsonTest {
  private static final AdminStatsProcessor.ConnectionInfo CLIENT_1 =
      new AdminStatsProcessor.ConnectionInfo("cid@1", "1.2.3.4:5", "JAVA", 513);
  private static final AdminStatsProcessor.ConnectionInfo CLIENT_2 =
      new AdminStatsProcessor.ConnectionInfo("cid@2", "x", null, 1);
  private static final AdminStatsProcessor.SubscriptionView SUBSCRIPTION =
      new AdminStatsProcessor.SubscriptionView(
          "T1",
          "a || b",
          new TreeSet<>(Set.of("b", "a")),
          new TreeSet<>(Set.of(98, 97)),
          17,
          "TAG",
          false);
  private static final SubscriptionGroupConfig GROUP =
      new SubscriptionGroupConfig(
          "cg1", true, false, true, false, 1, 16, 0, 1, true, 2, 15, Map.of("k", "v"));

  private static final String GROUP_JSON =
      "{\"attributes\":{\"k\":\"v\"},\"brokerId\":0,\"consumeBroadcastEnable\":true,"
          + "\"consumeEnable\":true,\"consumeFromMinEnable\":false,\"consumeMessageOrderly\":false,"
          + "\"consumeTimeoutMinute\":15,\"groupName\":\"cg1\",\"groupSysFlag\":2,"
          + "\"notifyConsumerIdsChangedEnable\":true,\"retryMaxTimes\":16,\"retryQueueNums\":1,"
          + "\"whichBrokerWhenConsumeSlowly\":1}";

  @Test
  void consumerConnectionLeavesOutWhatIsUnknown() {
    var body =
        new AdminStatsProcessor.ConsumerConnection(
            List.of(CLIENT_1, CLIENT_2),
            Map.of("T1", SUBSCRIPTION),
            "CONSUME_PASSIVELY",
            "CLUSTERING",
            null);

    assertEquals(
        "{\"connectionSet\":[{\"clientAddr\":\"1.2.3.4:5\",\"clientId\":\"cid@1\",\"language\":"
            + "\"JAVA\",\"version\":513},{\"clientAddr\":\"x\",\"clientId\":\"cid@2\",\"version\":1}],"
            + "\"consumeType\":\"CONSUME_PASSIVELY\",\"messageModel\":\"CLUSTERING\","
            + "\"subscriptionTable\":{\"T1\":{\"classFilterMode\":false,\"codeSet\":[97,98],"
            + "\"expressionType\":\"TAG\",\"subString\":\"a || b\",\"subVersion\":17,"
            + "\"tagsSet\":[\"a\",\"b\"],\"topic\":\"T1\"}}}",
        ProtocolJson.writeString(body));
  }

  @Test
  void theAdminToolReadsConsumerConnection() {
    var body =
        new AdminStatsProcessor.ConsumerConnection(
            List.of(CLIENT_1),
            Map.of("T1", SUBSCRIPTION),
            "CONSUME_PASSIVELY",
            "BROADCASTING",
            "CONSUME_FROM_LAST_OFFSET");

    ConsumerConnection theirs =
        RemotingSerializable.decode(ProtocolJson.write(body), ConsumerConnection.class);

    assertEquals(ConsumeType.CONSUME_PASSIVELY, theirs.getConsumeType());
    assertEquals(MessageModel.BROADCASTING, theirs.getMessageModel());
    assertEquals("CONSUME_FROM_LAST_OFFSET", theirs.getConsumeFromWhere().name());
    var connection = theirs.getConnectionSet().iterator().next();
    assertEquals("cid@1", connection.getClientId());
    assertEquals(LanguageCode.JAVA, connection.getLanguage());
    assertEquals(513, connection.getVersion());
    var sub = theirs.getSubscriptionTable().get("T1");
    assertEquals(Set.of("a", "b"), sub.getTagsSet());
    assertEquals(Set.of(97, 98), sub.getCodeSet());
    assertEquals(17, sub.getSubVersion());
  }

  @Test
  void producerConnection() {
    var body = new AdminStatsProcessor.ProducerConnection(List.of(CLIENT_1));

    assertEquals(
        "{\"connectionSet\":[{\"clientAddr\":\"1.2.3.4:5\",\"clientId\":\"cid@1\","
            + "\"language\":\"JAVA\",\"version\":513}]}",
        ProtocolJson.writeString(body));
    assertEquals(
        "{\"connectionSet\":[]}",
        ProtocolJson.writeString(new AdminStatsProcessor.ProducerConnection(List.of())));
    ProducerConnection theirs =
        RemotingSerializable.decode(ProtocolJson.write(body), ProducerConnection.class);
    assertEquals("1.2.3.4:5", theirs.getConnectionSet().iterator().next().getClientAddr());
  }

  @Test
  void subscriptionGroupWrapper() {
    var body =
        new AdminBrokerProcessor.SubscriptionGroupWrapper(
            Map.of("cg1", GROUP), Map.of("cg1", Map.of("T1", 1)));

    assertEquals(GROUP_JSON, ProtocolJson.writeString(GROUP));
    assertEquals(
        "{\"forbiddenTable\":{\"cg1\":{\"T1\":1}},\"subscriptionGroupTable\":{\"cg1\":"
            + GROUP_JSON
            + "}}",
        ProtocolJson.writeString(body));
    SubscriptionGroupWrapper theirs =
        RemotingSerializable.decode(ProtocolJson.write(body), SubscriptionGroupWrapper.class);
    var group = theirs.getSubscriptionGroupTable().get("cg1");
    assertEquals(16, group.getRetryMaxTimes());
    assertEquals(2, group.getGroupSysFlag());
    assertEquals(Map.of("k", "v"), group.getAttributes());
  }
}
