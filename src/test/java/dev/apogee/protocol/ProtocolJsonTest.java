package dev.apogee.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bodies against the exact samples of rocketmq-protocol.md 1.10. */
class ProtocolJsonTest {
  private static final MessageQueueKey BROKER_A_T1_Q0 = new MessageQueueKey("T1", "broker-a", 0);

  private static final String CONSUME_STATS =
      "{\"consumeTps\":1.5,\"offsetTable\":{{\"brokerName\":\"broker-a\",\"queueId\":0,"
          + "\"topic\":\"T1\"}:{\"brokerOffset\":10,\"consumerOffset\":5,"
          + "\"lastTimestamp\":1700000000000,\"pullOffset\":0}}}";

  private static final String TOPIC_STATS_TABLE =
      "{\"offsetTable\":{{\"brokerName\":\"broker-a\",\"queueId\":0,\"topic\":\"T1\"}:"
          + "{\"lastUpdateTimestamp\":1700000000000,\"maxOffset\":10,\"minOffset\":0}},"
          + "\"topicPutTps\":0.0}";

  private static final String RESET_OFFSET_BODY =
      "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"T1\"}:3}}";

  private static final String CLUSTER_INFO =
      "{\"brokerAddrTable\":{\"broker-a\":{\"brokerAddrs\":{0:\"127.0.0.1:10911\"},"
          + "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\","
          + "\"enableActingMaster\":false}},\"clusterAddrTable\":{\"DefaultCluster\":[\"broker-a\"]}}";

  private static final String TOPIC_CONFIG =
      "{\"attributes\":{},\"order\":false,\"perm\":6,\"readQueueNums\":4,"
          + "\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"T1\",\"topicSysFlag\":0,"
          + "\"writeQueueNums\":4}";

  @Test
  void writesConsumeStatsOffsetTableWithRawObjectKeysByteForByte() {
    ConsumeStats stats =
        new ConsumeStats(
            Map.of(BROKER_A_T1_Q0, new OffsetWrapper(10, 5, 0, 1_700_000_000_000L)), 1.5);

    assertEquals(CONSUME_STATS, ProtocolJson.writeString(stats));
  }

  @Test
  void writesResetOffsetBodyWithRawObjectKeysByteForByte() {
    ResetOffsetBody body = new ResetOffsetBody(Map.of(new MessageQueueKey("T1", "b", 0), 3L));

    assertEquals(RESET_OFFSET_BODY, ProtocolJson.writeString(body));
  }

  @Test
  void writesTopicStatsTableWithRawObjectKeysByteForByte() {
    TopicStatsTable table =
        new TopicStatsTable(
            Map.of(BROKER_A_T1_Q0, new TopicOffset(0, 10, 1_700_000_000_000L)), 0.0);

    assertEquals(TOPIC_STATS_TABLE, ProtocolJson.writeString(table));
  }

  @Test
  void rawObjectKeyMapWritesEachKeyAsItsOwnJsonInMapOrder() {
    Map<MessageQueueKey, Long> offsets = new LinkedHashMap<>();
    offsets.put(new MessageQueueKey("T1", "b", 1), 7L);
    offsets.put(new MessageQueueKey("T1", "b", 0), 3L);

    assertEquals(
        "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"T1\"}:7,"
            + "{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"T1\"}:3}}",
        ProtocolJson.writeString(
            out ->
                out.beginObject().rawKeyField("offsetTable", offsets, JsonOut::value).endObject()));
  }

  @Test
  void objectKeyedTablesListQueuesInTopicBrokerQueueOrder() {
    Map<MessageQueueKey, Long> offsets = new LinkedHashMap<>();
    offsets.put(new MessageQueueKey("T2", "a", 0), 1L);
    offsets.put(new MessageQueueKey("T1", "b", 1), 2L);
    offsets.put(new MessageQueueKey("T1", "b", 0), 3L);
    offsets.put(new MessageQueueKey("T1", "a", 5), 4L);

    assertEquals(
        List.of(
            new MessageQueueKey("T1", "a", 5),
            new MessageQueueKey("T1", "b", 0),
            new MessageQueueKey("T1", "b", 1),
            new MessageQueueKey("T2", "a", 0)),
        List.copyOf(new ResetOffsetBody(offsets).offsetTable().keySet()));
  }

  @Test
  void tolerantReaderReadsObjectKeyedBodiesAsOfficialServersWriteThem() {
    assertEquals(
        new ConsumeStats(
            Map.of(BROKER_A_T1_Q0, new OffsetWrapper(10, 5, 0, 1_700_000_000_000L)), 1.5),
        ProtocolJson.readTolerant(CONSUME_STATS, ConsumeStats::readJson));
    assertEquals(
        new ResetOffsetBody(Map.of(new MessageQueueKey("T1", "b", 0), 3L)),
        ProtocolJson.readTolerant(RESET_OFFSET_BODY, ResetOffsetBody::readJson));
    assertEquals(
        new TopicStatsTable(Map.of(BROKER_A_T1_Q0, new TopicOffset(0, 10, 1_700_000_000_000L)), 0),
        ProtocolJson.readTolerant(TOPIC_STATS_TABLE, TopicStatsTable::readJson));
  }

  @Test
  void standardReaderTakesObjectKeysWrittenAsJsonStrings() {
    assertEquals(
        new ResetOffsetBody(Map.of(new MessageQueueKey("T1", "b", 0), 3L)),
        ProtocolJson.read(
            "{\"offsetTable\":{\"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":0,"
                + "\\\"topic\\\":\\\"T1\\\"}\":3}}",
            ResetOffsetBody::readJson));
    assertThrows(
        BodyFormatException.class,
        () ->
            ProtocolJson.read("{\"offsetTable\":{\"not a queue\":3}}", ResetOffsetBody::readJson));
  }

  @Test
  void tolerantReaderReadsUnquotedNumericBrokerIdKeys() {
    BrokerData broker =
        ProtocolJson.readTolerant(
            "{\"brokerAddrs\":{0:\"127.0.0.1:10911\"}}", BrokerData::readJson);

    assertEquals(Map.of(0L, "127.0.0.1:10911"), broker.brokerAddrs());
    assertEquals("127.0.0.1:10911", broker.masterAddr().orElseThrow());
    assertEquals(
        ProtocolJson.read("{\"brokerAddrs\":{\"0\":\"127.0.0.1:10911\"}}", BrokerData::readJson),
        broker);
  }

  @Test
  void tolerantReaderReadsClusterInfoSample() {
    ClusterInfo info = ProtocolJson.readTolerant(CLUSTER_INFO, ClusterInfo::readJson);

    BrokerData a = info.brokerAddrTable().get("broker-a");
    assertEquals(
        new BrokerData("DefaultCluster", "broker-a", Map.of(0L, "127.0.0.1:10911"), null, false),
        a);
    assertEquals(Map.of("DefaultCluster", Set.of("broker-a")), info.clusterAddrTable());
  }

  @Test
  void tolerantReaderLeavesStringsThatLookLikeKeysAlone() {
    KvTable table =
        ProtocolJson.readTolerant(
            "{\"table\":{\"k\":\"{0:\\\"x\\\"}\",\"brace}\":\"a:b,c\"}}", KvTable::readJson);

    assertEquals(Map.of("k", "{0:\"x\"}", "brace}", "a:b,c"), table.table());
  }

  @Test
  void tolerantReaderRejectsMalformedBodiesNamingTheOffset() {
    for (String body :
        List.of("{\"table\":{0:\"x\"}", "{\"table\":{0 \"x\"}}", "{\"a\":\"x}", "]")) {
      BodyFormatException e =
          assertThrows(
              BodyFormatException.class, () -> ProtocolJson.readTolerant(body, KvTable::readJson));
      assertEquals(true, e.getMessage().contains("offset"), e.getMessage());
    }
  }

  @Test
  void standardReaderRejectsUnquotedKeys() {
    assertThrows(
        BodyFormatException.class,
        () -> ProtocolJson.read("{\"brokerAddrs\":{0:\"127.0.0.1:10911\"}}", BrokerData::readJson));
  }

  @Test
  void readerIgnoresUnknownPropertiesAndRejectsMissingOrNullBodies() {
    assertEquals(
        new TopicList(Set.of("T1"), null),
        ProtocolJson.read(
            "{\"topicList\":[\"T1\"],\"somethingNew\":{\"x\":1}}", TopicList::readJson));
    assertThrows(
        BodyFormatException.class, () -> ProtocolJson.read((byte[]) null, KvTable::readJson));
    assertThrows(BodyFormatException.class, () -> ProtocolJson.read("null", KvTable::readJson));
    assertThrows(BodyFormatException.class, () -> ProtocolJson.read("", KvTable::readJson));
    assertThrows(BodyFormatException.class, () -> ProtocolJson.read("{} {}", KvTable::readJson));
  }

  @Test
  void writesBrokerIdKeysQuotedAndOtherBodiesAsTheSamplesWithFieldsSorted() {
    ClusterInfo info =
        new ClusterInfo(
            Map.of(
                "broker-a",
                new BrokerData(
                    "DefaultCluster", "broker-a", Map.of(0L, "127.0.0.1:10911"), null, false)),
            Map.of("DefaultCluster", Set.of("broker-a")));

    assertEquals(CLUSTER_INFO.replace("{0:", "{\"0\":"), ProtocolJson.writeString(info));
    assertEquals(TOPIC_CONFIG, ProtocolJson.writeString(TopicConfig.of("T1", 4, 4, 6)));
    assertEquals("{\"topicList\":[\"T1\"]}", ProtocolJson.writeString(TopicList.of(Set.of("T1"))));
    assertEquals(
        "{\"table\":{\"brokerVersion\":\"479\"}}",
        ProtocolJson.writeString(new KvTable(Map.of("brokerVersion", "479"))));
  }

  @Test
  void topicConfigRoundTripsAndTakesRocketMqDefaultsForAbsentFields() {
    assertEquals(
        TopicConfig.of("T1", 4, 4, 6), ProtocolJson.read(TOPIC_CONFIG, TopicConfig::readJson));
    assertEquals(
        TopicConfig.of("T2", 16, 16, Perm.READ | Perm.WRITE),
        ProtocolJson.read("{\"topicName\":\"T2\"}", TopicConfig::readJson));
    assertThrows(
        BodyFormatException.class, () -> ProtocolJson.read("{\"perm\":6}", TopicConfig::readJson));
  }

  @Test
  void routeWithoutOrderConfigLeavesItOutAndAlwaysWritesFilterServerTable() {
    TopicRouteData route = TopicRouteData.of(List.of(), List.of());

    assertEquals(
        "{\"brokerDatas\":[],\"filterServerTable\":{},\"queueDatas\":[]}",
        ProtocolJson.writeString(route));
    assertEquals(
        "{\"brokerDatas\":[],\"filterServerTable\":{},\"orderTopicConf\":\"broker-a:4\","
            + "\"queueDatas\":[]}",
        ProtocolJson.writeString(route.withOrderTopicConf("broker-a:4")));
  }
}
