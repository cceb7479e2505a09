package dev.apogee.broker.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.apogee.protocol.BrokerStatsData;
import dev.apogee.protocol.ConsumeStats;
import dev.apogee.protocol.ConsumeStatsList;
import dev.apogee.protocol.MessageQueueKey;
import dev.apogee.protocol.OffsetWrapper;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.QueryConsumeQueueResponseBody;
import dev.apogee.protocol.QueryConsumeQueueResponseBody.ConsumeQueueData;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.junit.jupiter.api.Test;

/**
 * The bodies of VIEW_BROKER_STATS_DATA, GET_BROKER_CONSUME_STATS and QUERY_CONSUME_QUEUE: written
 * in the shape RocketMQ 5.5 writes them (field names, order, raw object keys) and read back by its
 * own classes as the admin tool reads them.
 */
class AdminStatsBodiesTest {

  @Test
  void brokerStatsDataHasTheThreeWindows() {
    BrokerStatsData ours =
        new BrokerStatsData(
            new BrokerStatsData.Item(5, 0.25, 1.25),
            new BrokerStatsData.Item(7, 0.5, 1.0),
            new BrokerStatsData.Item(0, 0.0, 0.0));
    String json = new String(ProtocolJson.write(ours), StandardCharsets.UTF_8);
    assertEquals(
        "{\"statsDay\":{\"avgpt\":0.0,\"sum\":0,\"tps\":0.0},"
            + "\"statsHour\":{\"avgpt\":1.0,\"sum\":7,\"tps\":0.5},"
            + "\"statsMinute\":{\"avgpt\":1.25,\"sum\":5,\"tps\":0.25}}",
        json);

    var theirs =
        RemotingSerializable.decode(
            json.getBytes(StandardCharsets.UTF_8),
            org.apache.rocketmq.remoting.protocol.body.BrokerStatsData.class);
    assertEquals(5, theirs.getStatsMinute().getSum());
    assertEquals(0.25, theirs.getStatsMinute().getTps());
    assertEquals(1.25, theirs.getStatsMinute().getAvgpt());
    assertEquals(7, theirs.getStatsHour().getSum());
    assertEquals(0, theirs.getStatsDay().getSum());
  }

  @Test
  void consumeStatsListHasOneSingleEntryMapPerGroup() {
    MessageQueueKey q0 = new MessageQueueKey("T1", "broker-a", 0);
    ConsumeStats t1 =
        new ConsumeStats(Map.of(q0, new OffsetWrapper(10, 4, 4, 1_700_000_000_000L)), 0.5);
    Map<String, List<ConsumeStats>> g1 = new LinkedHashMap<>();
    g1.put("g1", List.of(t1));
    Map<String, List<ConsumeStats>> idle = new LinkedHashMap<>();
    idle.put("idle", List.of());
    ConsumeStatsList ours = new ConsumeStatsList("127.0.0.1:10911", List.of(idle, g1), 6, 0);
    String json = new String(ProtocolJson.write(ours), StandardCharsets.UTF_8);
    assertEquals(
        "{\"brokerAddr\":\"127.0.0.1:10911\",\"consumeStatsList\":[{\"idle\":[]},{\"g1\":[{"
            + "\"consumeTps\":0.5,\"offsetTable\":{{\"brokerName\":\"broker-a\",\"queueId\":0,"
            + "\"topic\":\"T1\"}:{\"brokerOffset\":10,\"consumerOffset\":4,"
            + "\"lastTimestamp\":1700000000000,\"pullOffset\":4}}}]}],"
            + "\"totalDiff\":6,\"totalInflightDiff\":0}",
        json);

    var theirs =
        RemotingSerializable.decode(
            json.getBytes(StandardCharsets.UTF_8),
            org.apache.rocketmq.remoting.protocol.body.ConsumeStatsList.class);
    assertEquals("127.0.0.1:10911", theirs.getBrokerAddr());
    assertEquals(6, theirs.getTotalDiff());
    assertEquals(2, theirs.getConsumeStatsList().size());
    assertEquals(List.of(), theirs.getConsumeStatsList().get(0).get("idle"));
    var stats = theirs.getConsumeStatsList().get(1).get("g1").get(0);
    assertEquals(0.5, stats.getConsumeTps());
    assertEquals(
        10, stats.getOffsetTable().get(new MessageQueue("T1", "broker-a", 0)).getBrokerOffset());
    assertEquals(6, stats.computeTotalDiff());
  }

  @Test
  void consumeQueueBodyCarriesUnitsAndTheGroupsSubscription() {
    AdminStatsProcessor.SubscriptionView sub =
        new AdminStatsProcessor.SubscriptionView(
            "T1",
            "TagA || TagB",
            new TreeSet<>(Set.of("TagA", "TagB")),
            new TreeSet<>(Set.of("TagA".hashCode(), "TagB".hashCode())),
            1_700_000_000_000L,
            "TAG",
            false);
    QueryConsumeQueueResponseBody ours =
        new QueryConsumeQueueResponseBody(
            sub, "null", List.of(new ConsumeQueueData(729, 243, "TagA".hashCode())), 1, 0);
    String json = new String(ProtocolJson.write(ours), StandardCharsets.UTF_8);
    assertEquals(
        "{\"filterData\":\"null\",\"maxQueueIndex\":1,\"minQueueIndex\":0,\"queueData\":[{"
            + "\"eval\":false,\"physicOffset\":729,\"physicSize\":243,\"tagsCode\":2598919}],"
            + "\"subscriptionData\":{\"classFilterMode\":false,\"codeSet\":[2598919,2598920],"
            + "\"expressionType\":\"TAG\",\"subString\":\"TagA || TagB\","
            + "\"subVersion\":1700000000000,\"tagsSet\":[\"TagA\",\"TagB\"],\"topic\":\"T1\"}}",
        json);

    var theirs =
        RemotingSerializable.decode(
            json.getBytes(StandardCharsets.UTF_8),
            org.apache.rocketmq.remoting.protocol.body.QueryConsumeQueueResponseBody.class);
    assertEquals(1, theirs.getMaxQueueIndex());
    assertEquals(729, theirs.getQueueData().get(0).getPhysicOffset());
    assertEquals(243, theirs.getQueueData().get(0).getPhysicSize());
    assertEquals("TagA".hashCode(), theirs.getQueueData().get(0).getTagsCode());
    assertEquals("TagA || TagB", theirs.getSubscriptionData().getSubString());

    var offline =
        RemotingSerializable.decode(
            ProtocolJson.write(
                new QueryConsumeQueueResponseBody(null, "g@T1 is not online!", List.of(), 0, 0)),
            org.apache.rocketmq.remoting.protocol.body.QueryConsumeQueueResponseBody.class);
    assertNull(offline.getSubscriptionData());
    assertEquals("g@T1 is not online!", offline.getFilterData());
    assertEquals(List.of(), offline.getQueueData());
  }
}
