package dev.apogee.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every body of the protocol package written to the exact bytes the previous, Jackson-based writer
 * produced (fields sorted, nulls left out, raw object keys), and read back equal.
 */
class BodyCodecTest {

  private static final BrokerData BROKER_A = brokerA();

  private static BrokerData brokerA() {
    Map<Long, String> addrs = new HashMap<>();
    addrs.put(0L, "10.0.0.1:10911");
    addrs.put(1L, "10.0.0.2:10911");
    addrs.put(10L, "10.0.0.3:10911");
    addrs.put(2L, "10.0.0.4:10911");
    return new BrokerData("C1", "broker-a", addrs, "zone-1", true);
  }

  private static final String BROKER_A_JSON =
      "{\"brokerAddrs\":{\"0\":\"10.0.0.1:10911\",\"1\":\"10.0.0.2:10911\",\"2\":\"10.0.0.4:10911\","
          + "\"10\":\"10.0.0.3:10911\"},\"brokerName\":\"broker-a\",\"cluster\":\"C1\","
          + "\"enableActingMaster\":true,\"zoneName\":\"zone-1\"}";

  private static final TopicConfig T1 =
      new TopicConfig(
          "T1",
          4,
          8,
          7,
          TopicFilterType.MULTI_TAG,
          3,
          true,
          Map.of("+message.type", "FIFO", "+a", "b"));

  /** A body, the text it is written as, and how it is read. */
  record Case(String name, JsonBody body, String json, JsonReader<?> reader) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> bodies() {
    return Stream.of(
            new Case(
                "TopicRouteData",
                new TopicRouteData(
                    "broker-a:4",
                    List.of(new QueueData("broker-a", 4, 8, 6, 1)),
                    List.of(BROKER_A),
                    Map.of("10.0.0.1:10911", List.of("f1", "f2"))),
                "{\"brokerDatas\":["
                    + BROKER_A_JSON
                    + "],\"filterServerTable\":{\"10.0.0.1:10911\":[\"f1\",\"f2\"]},"
                    + "\"orderTopicConf\":\"broker-a:4\",\"queueDatas\":[{\"brokerName\":\"broker-a\","
                    + "\"perm\":6,\"readQueueNums\":4,\"topicSysFlag\":1,\"writeQueueNums\":8}]}",
                TopicRouteData::readJson),
            new Case(
                "ClusterInfo",
                new ClusterInfo(
                    Map.of(
                        "broker-a",
                        BROKER_A,
                        "broker-b",
                        new BrokerData("C1", "broker-b", Map.of(), null, false)),
                    Map.of("C1", Set.of("broker-b", "broker-a"), "C0", Set.of())),
                "{\"brokerAddrTable\":{\"broker-a\":"
                    + BROKER_A_JSON
                    + ",\"broker-b\":{\"brokerAddrs\":{},\"brokerName\":\"broker-b\",\"cluster\":\"C1\","
                    + "\"enableActingMaster\":false}},\"clusterAddrTable\":{\"C0\":[],"
                    + "\"C1\":[\"broker-a\",\"broker-b\"]}}",
                ClusterInfo::readJson),
            new Case(
                "TopicList with a broker",
                new TopicList(Set.of("b", "a"), "1.2.3.4:5"),
                "{\"brokerAddr\":\"1.2.3.4:5\",\"topicList\":[\"a\",\"b\"]}",
                TopicList::readJson),
            new Case(
                "KvTable with characters to escape",
                new KvTable(Map.of("k\"q", "a\"b\\c\u00e9\u2028\n\t\u0001/</", "e", "")),
                "{\"table\":{\"e\":\"\",\"k\\\"q\":\"a\\\"b\\\\c\u00e9\u2028\\n\\t\\u0001/</\"}}",
                KvTable::readJson),
            new Case(
                "RegisterBrokerBody",
                new RegisterBrokerBody(
                    new TopicConfigSerializeWrapper(
                        Map.of("T1", T1, "T0", TopicConfig.of("T0", 1, 1, 6)),
                        new DataVersion(1_700_000_000_000L, 42, 7)),
                    List.of("fs1", "fs0")),
                "{\"filterServerList\":[\"fs1\",\"fs0\"],\"topicConfigSerializeWrapper\":{"
                    + "\"dataVersion\":{\"counter\":42,\"stateVersion\":7,\"timestamp\":1700000000000},"
                    + "\"topicConfigTable\":{\"T0\":{\"attributes\":{},\"order\":false,\"perm\":6,"
                    + "\"readQueueNums\":1,\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"T0\","
                    + "\"topicSysFlag\":0,\"writeQueueNums\":1},\"T1\":{\"attributes\":{\"+a\":\"b\","
                    + "\"+message.type\":\"FIFO\"},\"order\":true,\"perm\":7,\"readQueueNums\":4,"
                    + "\"topicFilterType\":\"MULTI_TAG\",\"topicName\":\"T1\",\"topicSysFlag\":3,"
                    + "\"writeQueueNums\":8}}}}",
                RegisterBrokerBody::readJson),
            new Case(
                "TopicStatsTable",
                new TopicStatsTable(
                    Map.of(
                        new MessageQueueKey("T1", "b", 1),
                        new TopicOffset(1, 2, 3),
                        new MessageQueueKey("T1", "a", 0),
                        new TopicOffset(0, Long.MAX_VALUE, -1)),
                    1.0E-5),
                "{\"offsetTable\":{{\"brokerName\":\"a\",\"queueId\":0,\"topic\":\"T1\"}:"
                    + "{\"lastUpdateTimestamp\":-1,\"maxOffset\":9223372036854775807,\"minOffset\":0},"
                    + "{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"T1\"}:{\"lastUpdateTimestamp\":3,"
                    + "\"maxOffset\":2,\"minOffset\":1}},\"topicPutTps\":1.0E-5}",
                TopicStatsTable::readJson),
            new Case(
                "ConsumeStats with a quote in a key",
                new ConsumeStats(
                    Map.of(
                        new MessageQueueKey("T\"1", "b", 1),
                        new OffsetWrapper(1, 2, 3, 4),
                        new MessageQueueKey("T1", "a", 0),
                        new OffsetWrapper(5, 6, 7, 8)),
                    2.25E10),
                "{\"consumeTps\":2.25E10,\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":1,"
                    + "\"topic\":\"T\\\"1\"}:{\"brokerOffset\":1,\"consumerOffset\":2,\"lastTimestamp\":4,"
                    + "\"pullOffset\":3},{\"brokerName\":\"a\",\"queueId\":0,\"topic\":\"T1\"}:"
                    + "{\"brokerOffset\":5,\"consumerOffset\":6,\"lastTimestamp\":8,\"pullOffset\":7}}}",
                ConsumeStats::readJson),
            new Case(
                "ResetOffsetBody",
                new ResetOffsetBody(
                    Map.of(
                        new MessageQueueKey("T1", "b", 1),
                        -1L,
                        new MessageQueueKey("T1", "a", 0),
                        9L)),
                "{\"offsetTable\":{{\"brokerName\":\"a\",\"queueId\":0,\"topic\":\"T1\"}:9,"
                    + "{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"T1\"}:-1}}",
                ResetOffsetBody::readJson),
            new Case(
                "empty ResetOffsetBody",
                new ResetOffsetBody(Map.of()),
                "{\"offsetTable\":{}}",
                ResetOffsetBody::readJson),
            new Case(
                "DataVersion",
                new DataVersion(1, 2, 3),
                "{\"counter\":2,\"stateVersion\":3,\"timestamp\":1}",
                DataVersion::readJson),
            new Case(
                "MessageQueueKey",
                new MessageQueueKey("T1", "broker-a", 3),
                "{\"brokerName\":\"broker-a\",\"queueId\":3,\"topic\":\"T1\"}",
                MessageQueueKey::readJson),
            new Case(
                "GroupList",
                new GroupList(Set.of("g2", "g1")),
                "{\"groupList\":[\"g1\",\"g2\"]}",
                GroupList::readJson),
            new Case(
                "ConsumerIdList in the order given",
                new ConsumerIdList(List.of("b@2", "a@1")),
                "{\"consumerIdList\":[\"b@2\",\"a@1\"]}",
                ConsumerIdList::readJson))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void writesTheExactTextOfTheFastjsonConventions(Case c) {
    assertEquals(c.json(), ProtocolJson.writeString(c.body()));
    assertEquals(
        c.json(),
        new String(ProtocolJson.write(c.body()), java.nio.charset.StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void readsWhatItWritesBackEqual(Case c) {
    byte[] written = ProtocolJson.write(c.body());

    assertEquals(c.body(), ProtocolJson.readTolerant(written, c.reader()));
    if (!c.json().contains("{{")) {
      assertEquals(c.body(), ProtocolJson.read(written, c.reader()));
    } else {
      // Raw object keys are fastjson's dialect: only the tolerant reader takes them.
      assertThrows(BodyFormatException.class, () -> ProtocolJson.read(written, c.reader()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void readsItsTextLaidOutOnLinesOrWithAnUnknownField(Case c) {
    String pretty =
        new String(ProtocolJson.writePretty(c.body()), java.nio.charset.StandardCharsets.UTF_8);
    String withUnknown =
        c.json().replaceFirst("^\\{\"", "{\"aUnknown\":{\"nested\":[1,{\"x\":null}]},\"");

    assertEquals(c.body(), ProtocolJson.readTolerant(pretty, c.reader()));
    assertEquals(c.body(), ProtocolJson.readTolerant(withUnknown, c.reader()));
  }
}
