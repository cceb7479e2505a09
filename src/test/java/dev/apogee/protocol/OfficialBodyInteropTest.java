package dev.apogee.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigAndMappingSerializeWrapper;
import org.junit.jupiter.api.Test;

/**
 * Bodies cross RocketMQ 5.5.0's own codec (fastjson2 behind {@code RemotingSerializable}) both
 * ways: what we write, its classes read with the values we meant; what it writes, we read.
 */
class OfficialBodyInteropTest {
  private static final MessageQueue Q0 = new MessageQueue("T1", "broker-a", 0);
  private static final MessageQueue Q1 = new MessageQueue("T1", "broker-a", 1);
  private static final MessageQueueKey K0 = new MessageQueueKey("T1", "broker-a", 0);
  private static final MessageQueueKey K1 = new MessageQueueKey("T1", "broker-a", 1);

  @Test
  void consumeStatsWithRawObjectKeys() {
    ConsumeStats ours =
        new ConsumeStats(
            Map.of(
                K0,
                new OffsetWrapper(10, 5, 4, 1_700_000_000_000L),
                K1,
                new OffsetWrapper(3, 3, 3, 7)),
            1.5);

    var theirs =
        RemotingSerializable.decode(
            ProtocolJson.write(ours),
            org.apache.rocketmq.remoting.protocol.admin.ConsumeStats.class);

    assertEquals(1.5, theirs.getConsumeTps());
    assertEquals(Set.of(Q0, Q1), theirs.getOffsetTable().keySet());
    assertEquals(10, theirs.getOffsetTable().get(Q0).getBrokerOffset());
    assertEquals(5, theirs.getOffsetTable().get(Q0).getConsumerOffset());
    assertEquals(4, theirs.getOffsetTable().get(Q0).getPullOffset());
    assertEquals(1_700_000_000_000L, theirs.getOffsetTable().get(Q0).getLastTimestamp());
    assertEquals(ours, ProtocolJson.readTolerant(theirs.encode(), ConsumeStats::readJson));
  }

  @Test
  void topicStatsTableWithRawObjectKeys() {
    TopicStatsTable ours =
        new TopicStatsTable(Map.of(K0, new TopicOffset(0, 10, 1_700_000_000_000L)), 0.0);

    var theirs =
        RemotingSerializable.decode(
            ProtocolJson.write(ours),
            org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable.class);

    assertEquals(10, theirs.getOffsetTable().get(Q0).getMaxOffset());
    assertEquals(1_700_000_000_000L, theirs.getOffsetTable().get(Q0).getLastUpdateTimestamp());
    assertEquals(ours, ProtocolJson.readTolerant(theirs.encode(), TopicStatsTable::readJson));
  }

  @Test
  void resetOffsetBodyWithRawObjectKeys() {
    ResetOffsetBody ours = new ResetOffsetBody(Map.of(K0, 3L, K1, -1L));

    var theirs =
        RemotingSerializable.decode(
            ProtocolJson.write(ours),
            org.apache.rocketmq.remoting.protocol.body.ResetOffsetBody.class);

    assertEquals(Map.of(Q0, 3L, Q1, -1L), theirs.getOffsetTable());
    assertEquals(ours, ProtocolJson.readTolerant(theirs.encode(), ResetOffsetBody::readJson));
  }

  @Test
  void topicRouteDataWithTheMasterUnderBrokerIdZero() {
    TopicRouteData ours =
        TopicRouteData.of(
                List.of(new QueueData("broker-a", 4, 4, 6, 0)),
                List.of(
                    new BrokerData(
                        "DefaultCluster",
                        "broker-a",
                        Map.of(0L, "127.0.0.1:10911", 1L, "127.0.0.1:10921"),
                        null,
                        false)))
            .withOrderTopicConf("broker-a:4");

    var theirs =
        RemotingSerializable.decode(
            ProtocolJson.write(ours),
            org.apache.rocketmq.remoting.protocol.route.TopicRouteData.class);

    assertEquals("broker-a:4", theirs.getOrderTopicConf());
    assertEquals(4, theirs.getQueueDatas().get(0).getWriteQueueNums());
    assertEquals(6, theirs.getQueueDatas().get(0).getPerm());
    assertEquals("127.0.0.1:10911", theirs.getBrokerDatas().get(0).selectBrokerAddr());
    assertEquals(Map.of(), theirs.getFilterServerTable());
    assertEquals(ours, ProtocolJson.readTolerant(theirs.encode(), TopicRouteData::readJson));
  }

  @Test
  void clusterInfo() {
    var broker = new org.apache.rocketmq.remoting.protocol.route.BrokerData();
    broker.setCluster("C1");
    broker.setBrokerName("broker-a");
    broker.setBrokerAddrs(new HashMap<>(Map.of(0L, "10.0.0.1:10911")));
    var theirs = new org.apache.rocketmq.remoting.protocol.body.ClusterInfo();
    theirs.setBrokerAddrTable(new HashMap<>(Map.of("broker-a", broker)));
    theirs.setClusterAddrTable(new HashMap<>(Map.of("C1", new HashSet<>(Set.of("broker-a")))));

    ClusterInfo ours = ProtocolJson.readTolerant(theirs.encode(), ClusterInfo::readJson);

    assertEquals(
        new ClusterInfo(
            Map.of(
                "broker-a",
                new BrokerData("C1", "broker-a", Map.of(0L, "10.0.0.1:10911"), null, false)),
            Map.of("C1", Set.of("broker-a"))),
        ours);
    var back =
        RemotingSerializable.decode(
            ProtocolJson.write(ours), org.apache.rocketmq.remoting.protocol.body.ClusterInfo.class);
    assertEquals(theirs.getClusterAddrTable(), back.getClusterAddrTable());
    assertEquals(
        "10.0.0.1:10911", back.getBrokerAddrTable().get("broker-a").getBrokerAddrs().get(0L));
  }

  @Test
  void registerBrokerBodyAsTheOfficialNameServerDecodesIt() throws Exception {
    RegisterBrokerBody ours =
        new RegisterBrokerBody(
            new TopicConfigSerializeWrapper(
                Map.of(
                    "T1",
                    new TopicConfig(
                        "T1",
                        4,
                        2,
                        6,
                        TopicFilterType.MULTI_TAG,
                        0,
                        true,
                        Map.of("+message.type", "FIFO"))),
                new DataVersion(1_700_000_000_000L, 7, 0)),
            List.of());

    var theirs =
        org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody.decode(
            ProtocolJson.write(ours), false, MQVersion.Version.V5_5_0);

    var topic = theirs.getTopicConfigSerializeWrapper().getTopicConfigTable().get("T1");
    assertEquals(4, topic.getReadQueueNums());
    assertEquals(2, topic.getWriteQueueNums());
    assertEquals(6, topic.getPerm());
    assertEquals(true, topic.isOrder());
    assertEquals("MULTI_TAG", topic.getTopicFilterType().name());
    assertEquals(Map.of("+message.type", "FIFO"), topic.getAttributes());
    assertEquals(7, theirs.getTopicConfigSerializeWrapper().getDataVersion().getCounter().get());
  }

  @Test
  void registerBrokerBodyAsAnOfficialBrokerEncodesIt() {
    var topic = new org.apache.rocketmq.common.TopicConfig("T1", 4, 4, 6);
    var wrapper = new TopicConfigAndMappingSerializeWrapper();
    wrapper.setTopicConfigTable(new ConcurrentHashMap<>(Map.of("T1", topic)));
    var version = new org.apache.rocketmq.remoting.protocol.DataVersion();
    version.setTimestamp(1_700_000_000_000L);
    version.nextVersion();
    wrapper.setDataVersion(version);
    var theirs = new org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody();
    theirs.setTopicConfigSerializeWrapper(wrapper);

    RegisterBrokerBody ours =
        ProtocolJson.readTolerant(theirs.encode(false), RegisterBrokerBody::readJson);

    assertEquals(
        TopicConfig.of("T1", 4, 4, 6),
        ours.topicConfigSerializeWrapper().topicConfigTable().get("T1"));
    assertEquals(
        version.getCounter().get(), ours.topicConfigSerializeWrapper().dataVersion().counter());
    assertEquals(
        version.getTimestamp(), ours.topicConfigSerializeWrapper().dataVersion().timestamp());
  }

  @Test
  void smallListAndTableBodies() {
    var topics = new org.apache.rocketmq.remoting.protocol.body.TopicList();
    topics.setTopicList(new HashSet<>(Set.of("T1", "T2")));
    topics.setBrokerAddr("1.2.3.4:10911");
    var kv = new org.apache.rocketmq.remoting.protocol.body.KVTable();
    kv.setTable(new HashMap<>(Map.of("brokerVersion", "513")));
    var groups = new org.apache.rocketmq.remoting.protocol.body.GroupList();
    groups.setGroupList(new HashSet<>(Set.of("g1", "g2")));
    var ids = new org.apache.rocketmq.remoting.protocol.header.GetConsumerListByGroupResponseBody();
    ids.setConsumerIdList(List.of("b@2", "a@1"));

    assertEquals(
        new TopicList(Set.of("T1", "T2"), "1.2.3.4:10911"),
        ProtocolJson.readTolerant(topics.encode(), TopicList::readJson));
    assertEquals(
        new KvTable(Map.of("brokerVersion", "513")),
        ProtocolJson.readTolerant(kv.encode(), KvTable::readJson));
    assertEquals(
        new GroupList(Set.of("g1", "g2")),
        ProtocolJson.readTolerant(groups.encode(), GroupList::readJson));
    assertEquals(
        new ConsumerIdList(List.of("b@2", "a@1")),
        ProtocolJson.readTolerant(ids.encode(), ConsumerIdList::readJson));

    assertEquals(
        topics.getTopicList(),
        RemotingSerializable.decode(
                ProtocolJson.write(new TopicList(Set.of("T1", "T2"), null)),
                org.apache.rocketmq.remoting.protocol.body.TopicList.class)
            .getTopicList());
    assertEquals(
        groups.getGroupList(),
        RemotingSerializable.decode(
                ProtocolJson.write(new GroupList(Set.of("g1", "g2"))),
                org.apache.rocketmq.remoting.protocol.body.GroupList.class)
            .getGroupList());
    assertEquals(
        ids.getConsumerIdList(),
        RemotingSerializable.decode(
                ProtocolJson.write(new ConsumerIdList(List.of("b@2", "a@1"))),
                org.apache.rocketmq.remoting.protocol.header.GetConsumerListByGroupResponseBody
                    .class)
            .getConsumerIdList());
  }
}
