package dev.apogee.namesrv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.protocol.BrokerData;
import dev.apogee.protocol.ClusterInfo;
import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.QueueData;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.protocol.TopicRouteData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long TIMEOUT = RegisterBrokerRequest.DEFAULT_HEARTBEAT_TIMEOUT_MILLIS;
  private static final DataVersion V1 = new DataVersion(T0, 1, 0);
  private static final DataVersion V2 = new DataVersion(T0 + 5, 2, 0);

  private static final String A_MASTER = "10.0.0.1:10911";
  private static final String A_SLAVE = "10.0.0.2:10911";
  private static final String B_MASTER = "10.0.1.1:10911";

  private final RouteTable table = new RouteTable();

  private static TopicConfig topic(String name, int queues) {
    return TopicConfig.of(name, queues, queues, Perm.READ | Perm.WRITE);
  }

  private static RegisterBrokerRequest request(
      String cluster,
      String brokerName,
      String addr,
      long brokerId,
      DataVersion version,
      TopicConfig... topics) {
    return new RegisterBrokerRequest(
        cluster,
        brokerName,
        addr,
        addr.replace(":10911", ":10912"),
        brokerId,
        TIMEOUT,
        false,
        null,
        Arrays.stream(topics)
            .collect(Collectors.toMap(TopicConfig::topicName, Function.identity())),
        version);
  }

  private RegisterBrokerResult registerMasterA(
      long now, DataVersion version, TopicConfig... topics) {
    return table.register(request("C1", "broker-a", A_MASTER, 0, version, topics), now);
  }

  private static List<String> brokerNames(TopicRouteData route) {
    return route.queueDatas().stream().map(QueueData::brokerName).toList();
  }

  @Test
  void twoBrokersOfTwoClustersWithOverlappingTopicsGetTheRightRoutesAndClusterInfo() {
    registerMasterA(T0, V1, topic("Shared", 4), topic("OnlyA", 2));
    table.register(
        request("C2", "broker-b", B_MASTER, 0, V1, topic("Shared", 8), topic("OnlyB", 1)), T0);

    TopicRouteData shared = table.route("Shared").orElseThrow();
    assertEquals(
        List.of(new QueueData("broker-a", 4, 4, 6, 0), new QueueData("broker-b", 8, 8, 6, 0)),
        shared.queueDatas());
    assertEquals(
        List.of(
            new BrokerData("C1", "broker-a", Map.of(0L, A_MASTER), null, false),
            new BrokerData("C2", "broker-b", Map.of(0L, B_MASTER), null, false)),
        shared.brokerDatas());
    assertEquals(List.of("broker-a"), brokerNames(table.route("OnlyA").orElseThrow()));
    assertEquals(List.of("broker-b"), brokerNames(table.route("OnlyB").orElseThrow()));
    assertEquals(Optional.empty(), table.route("Unknown"));

    ClusterInfo info = table.clusterInfo();
    assertEquals(Set.of("broker-a", "broker-b"), info.brokerAddrTable().keySet());
    assertEquals(
        Map.of("C1", Set.of("broker-a"), "C2", Set.of("broker-b")), info.clusterAddrTable());
    assertEquals(Set.of("OnlyA", "OnlyB", "Shared"), table.topics().topicList());
  }

  @Test
  void autoCreateTemplateTbw102WithPerm7AppearsInTheRouteWithItsMaster() {
    TopicConfig tbw102 = TopicConfig.of("TBW102", 8, 8, Perm.INHERIT | Perm.READ | Perm.WRITE);
    registerMasterA(T0, V1, tbw102, topic("T1", 4));

    TopicRouteData route = table.route("TBW102").orElseThrow();
    assertEquals(List.of(new QueueData("broker-a", 8, 8, 7, 0)), route.queueDatas());
    assertEquals(A_MASTER, route.brokerDatas().get(0).masterAddr().orElseThrow());
  }

  @Test
  void routeJsonHasTheStructureOfTheOfficialSampleWithTheMasterUnderKeyZero() {
    table.register(
        request(
            "DefaultCluster", "broker-a", "127.0.0.1:10911", 0, V1, topic("T1", 4), topic("X", 1)),
        T0);
    String sample =
        "{\"brokerDatas\":[{\"brokerAddrs\":{0:\"127.0.0.1:10911\"},\"brokerName\":\"broker-a\","
            + "\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}],"
            + "\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,"
            + "\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}";

    String json = ProtocolJson.writeString(table.route("T1").orElseThrow());

    assertEquals(
        ProtocolJson.readTolerant(sample, TopicRouteData::readJson),
        ProtocolJson.read(json, TopicRouteData::readJson));
    assertEquals(sample.replace("{0:", "{\"0\":"), json);
    JsonObject tree = new JsonObject(json);
    assertTrue(tree.getValue("brokerDatas") instanceof JsonArray);
    assertTrue(tree.getValue("queueDatas") instanceof JsonArray);
    assertTrue(tree.getValue("filterServerTable") instanceof JsonObject);
    assertEquals(
        "127.0.0.1:10911",
        tree.getJsonArray("brokerDatas")
            .getJsonObject(0)
            .getJsonObject("brokerAddrs")
            .getString("0"));
  }

  @Test
  void slaveLearnsItsMastersAddressesAndMasterGetsNone() {
    RegisterBrokerResult master = registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));
    RegisterBrokerResult slave =
        table.register(
            request("C1", "broker-a", A_SLAVE, 1, V1, topic("T1", 4), topic("X", 1)), T0);

    assertEquals(RegisterBrokerResult.registered(null, null), master);
    assertEquals(
        new RegisterBrokerResult(RegisterStatus.REGISTERED, A_MASTER, "10.0.0.1:10912"), slave);
    assertEquals(
        Map.of(0L, A_MASTER, 1L, A_SLAVE),
        table.route("T1").orElseThrow().brokerDatas().get(0).brokerAddrs());
  }

  @Test
  void slaveTopicsAreIgnoredWhileItsMasterIsRegistered() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));
    table.register(
        request("C1", "broker-a", A_SLAVE, 1, V1, topic("T1", 16), topic("SlaveOnly", 1)), T0);

    assertEquals(4, table.route("T1").orElseThrow().queueDatas().get(0).readQueueNums());
    assertEquals(Optional.empty(), table.route("SlaveOnly"));
  }

  @Test
  void unregisterOfAMasterWithASlaveLeftKeepsTheBrokerName() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));
    table.register(request("C1", "broker-a", A_SLAVE, 1, V1, topic("T1", 4), topic("X", 1)), T0);

    RemovedBroker removed = table.unregister("C1", A_MASTER, "broker-a", 0).orElseThrow();

    assertEquals(new RemovedBroker("C1", "broker-a", A_MASTER, 0, false, Set.of()), removed);
    TopicRouteData route = table.route("T1").orElseThrow();
    assertEquals(Map.of(1L, A_SLAVE), route.brokerDatas().get(0).brokerAddrs());
    assertEquals(List.of(new QueueData("broker-a", 4, 4, 6, 0)), route.queueDatas());
    assertEquals(Map.of("C1", Set.of("broker-a")), table.clusterInfo().clusterAddrTable());
  }

  @Test
  void unregisterOfTheLastAddressRemovesItsQueueDatasAndTopicsLeftEmpty() {
    registerMasterA(T0, V1, topic("Shared", 4), topic("OnlyA", 2));
    table.register(
        request("C1", "broker-b", B_MASTER, 0, V1, topic("Shared", 8), topic("OnlyB", 1)), T0);

    RemovedBroker removed = table.unregister("C1", A_MASTER, "broker-a", 0).orElseThrow();

    assertEquals(new RemovedBroker("C1", "broker-a", A_MASTER, 0, true, Set.of("OnlyA")), removed);
    assertEquals(List.of("broker-b"), brokerNames(table.route("Shared").orElseThrow()));
    assertEquals(Optional.empty(), table.route("OnlyA"));
    assertEquals(Set.of("OnlyB", "Shared"), table.topics().topicList());
    assertEquals(Set.of("broker-b"), table.clusterInfo().brokerAddrTable().keySet());
    assertEquals(Map.of("C1", Set.of("broker-b")), table.clusterInfo().clusterAddrTable());
  }

  @Test
  void unregisterOfTheLastBrokerOfAClusterRemovesTheCluster() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    table.unregister("C1", A_MASTER, "broker-a", 0);

    assertEquals(Map.of(), table.clusterInfo().clusterAddrTable());
    assertEquals(Set.of(), table.topics().topicList());
  }

  @Test
  void unregisterOfAnUnknownAddressRemovesNothing() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    assertEquals(Optional.empty(), table.unregister("C1", "10.9.9.9:10911", "broker-a", 0));
    assertTrue(table.route("T1").isPresent());
  }

  @Test
  void brokerExpiresOneMillisecondAfterItsTimeoutNotAtIt() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    assertEquals(List.of(), table.expire(T0 + TIMEOUT));
    assertTrue(table.route("T1").isPresent());

    List<RemovedBroker> removed = table.expire(T0 + TIMEOUT + 1);

    assertEquals(
        List.of(new RemovedBroker("C1", "broker-a", A_MASTER, 0, true, Set.of("T1", "X"))),
        removed);
    assertEquals(Optional.empty(), table.route("T1"));
    assertEquals(List.of(), table.expire(T0 + TIMEOUT + 2));
  }

  @Test
  void eachBrokerExpiresAfterItsOwnTimeout() {
    RegisterBrokerRequest shortLived =
        new RegisterBrokerRequest(
            "C1",
            "broker-b",
            B_MASTER,
            null,
            0,
            10_000,
            false,
            null,
            Map.of("TB", topic("TB", 1), "X", topic("X", 1)),
            V1);
    registerMasterA(T0, V1, topic("TA", 4), topic("X", 1));
    table.register(shortLived, T0);

    List<RemovedBroker> removed = table.expire(T0 + 10_001);

    assertEquals(List.of(B_MASTER), removed.stream().map(RemovedBroker::brokerAddr).toList());
    assertTrue(table.route("TA").isPresent());
    assertEquals(Optional.empty(), table.route("TB"));
  }

  @Test
  void reRegistrationRefreshesLiveness() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));
    registerMasterA(T0 + 100_000, V1, topic("T1", 4), topic("X", 1));

    assertEquals(List.of(), table.expire(T0 + TIMEOUT + 1));
    assertEquals(1, table.expire(T0 + 100_000 + TIMEOUT + 1).size());
  }

  @Test
  void closedChannelRemovesTheBrokerAtOnce() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));
    table.register(request("C1", "broker-a", A_SLAVE, 1, V1, topic("T1", 4), topic("X", 1)), T0);

    List<RemovedBroker> removed = table.brokerChannelClosed(A_SLAVE);

    assertEquals(
        List.of(new RemovedBroker("C1", "broker-a", A_SLAVE, 1, false, Set.of())), removed);
    assertEquals(
        Map.of(0L, A_MASTER), table.route("T1").orElseThrow().brokerDatas().get(0).brokerAddrs());
    assertEquals(List.of(), table.brokerChannelClosed(A_SLAVE));
  }

  @Test
  void sameDataVersionOnlyRefreshesLivenessAndANewOneUpdatesQueues() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    registerMasterA(T0 + 30_000, V1, topic("T1", 8), topic("X", 1));
    assertEquals(4, table.route("T1").orElseThrow().queueDatas().get(0).writeQueueNums());

    registerMasterA(T0 + 60_000, V2, topic("T1", 8), topic("X", 1));
    assertEquals(8, table.route("T1").orElseThrow().queueDatas().get(0).writeQueueNums());
  }

  @Test
  void sameDataVersionStillRestoresATopicDeletedHereAsRocketMqDoes() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));
    assertTrue(table.deleteTopic("T1"));
    assertEquals(Optional.empty(), table.route("T1"));

    registerMasterA(T0 + 30_000, V1, topic("T1", 4), topic("X", 1));

    assertTrue(table.route("T1").isPresent());
  }

  @Test
  void incrementalRegistrationAddsATopicWithoutDroppingTheOthers() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    RegisterBrokerResult result = registerMasterA(T0 + 1, V2, topic("New", 2));

    assertEquals(RegisterStatus.REGISTERED, result.status());
    assertEquals(Set.of("New", "T1", "X"), table.topics().topicList());
  }

  @Test
  void singleTopicRegistrationBeforeTheFirstFullOneIsRejected() {
    RegisterBrokerResult result = registerMasterA(T0, V1, topic("New", 2));

    assertEquals(
        RegisterBrokerResult.notRegistered(RegisterStatus.REJECTED_NOT_YET_REGISTERED), result);
    assertEquals(Set.of(), table.topics().topicList());
    assertEquals(Map.of(), table.clusterInfo().brokerAddrTable());
  }

  @Test
  void promotedSlaveKeepsOnlyItsMasterId() {
    table.register(request("C1", "broker-a", A_SLAVE, 1, V1, topic("T1", 4), topic("X", 1)), T0);

    table.register(
        request("C1", "broker-a", A_SLAVE, 0, V2, topic("T1", 4), topic("X", 1)), T0 + 1);

    assertEquals(
        Map.of(0L, A_SLAVE), table.clusterInfo().brokerAddrTable().get("broker-a").brokerAddrs());
  }

  @Test
  void registrationFromAnOlderControllerStateIsIgnored() {
    table.register(
        request(
            "C1",
            "broker-a",
            A_MASTER,
            0,
            new DataVersion(T0, 1, 5),
            topic("T1", 4),
            topic("X", 1)),
        T0);

    RegisterBrokerResult result =
        table.register(
            request(
                "C1",
                "broker-a",
                A_SLAVE,
                0,
                new DataVersion(T0, 9, 4),
                topic("T1", 2),
                topic("X", 1)),
            T0 + 1);

    assertEquals(RegisterStatus.IGNORED_STALE_STATE_VERSION, result.status());
    assertEquals(
        Map.of(0L, A_MASTER), table.clusterInfo().brokerAddrTable().get("broker-a").brokerAddrs());
    assertEquals(4, table.route("T1").orElseThrow().queueDatas().get(0).readQueueNums());
  }

  @Test
  void addressThatMovesToAnotherBrokerNameLeavesItsOldGroup() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    table.register(
        request("C1", "broker-z", A_MASTER, 0, V1, topic("T1", 4), topic("X", 1)), T0 + 1);

    assertEquals(Set.of("broker-z"), table.clusterInfo().brokerAddrTable().keySet());
    assertEquals(List.of("broker-z"), brokerNames(table.route("T1").orElseThrow()));
    assertEquals(1, table.expire(T0 + 1 + TIMEOUT + 1).size());
    assertEquals(Map.of(), table.clusterInfo().brokerAddrTable());
  }

  @Test
  void groupWithActingMasterLosesWritePermissionWhenItsMasterLeaves() {
    RegisterBrokerRequest master =
        new RegisterBrokerRequest(
            "C1",
            "broker-a",
            A_MASTER,
            null,
            0,
            TIMEOUT,
            true,
            null,
            Map.of("T1", topic("T1", 4), "X", topic("X", 1)),
            V1);
    RegisterBrokerRequest slave =
        new RegisterBrokerRequest(
            "C1",
            "broker-a",
            A_SLAVE,
            null,
            1,
            TIMEOUT,
            true,
            null,
            Map.of("T1", topic("T1", 4), "X", topic("X", 1)),
            V1);
    table.register(master, T0);
    table.register(slave, T0);

    table.unregister("C1", A_MASTER, "broker-a", 0);

    assertEquals(Perm.READ, table.route("T1").orElseThrow().queueDatas().get(0).perm());
    table.register(slave, T0 + 30_000);
    assertEquals(Perm.READ, table.route("T1").orElseThrow().queueDatas().get(0).perm());
  }

  @Test
  void deleteTopicOfOneClusterKeepsTheOtherClustersQueues() {
    registerMasterA(T0, V1, topic("Shared", 4), topic("X", 1));
    table.register(
        request("C2", "broker-b", B_MASTER, 0, V1, topic("Shared", 8), topic("Y", 1)), T0);

    assertTrue(table.deleteTopic("Shared", "C1"));

    assertEquals(List.of("broker-b"), brokerNames(table.route("Shared").orElseThrow()));
    assertTrue(table.deleteTopic("Shared", "C2"));
    assertEquals(Optional.empty(), table.route("Shared"));
    assertFalse(table.deleteTopic("Shared", "C2"));
    assertFalse(table.deleteTopic("X", "NoSuchCluster"));
  }

  @Test
  void queryWithAChangedDataVersionReportsTheChangeAndLeavesLivenessAlone() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    assertEquals(
        new DataVersionCheck(true, V1), table.queryDataVersion("C1", A_MASTER, V2, T0 + 60_000));
    assertEquals(1, table.expire(T0 + TIMEOUT + 1).size());
  }

  @Test
  void queryWithTheRegisteredDataVersionRefreshesLiveness() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    assertEquals(
        new DataVersionCheck(false, V1), table.queryDataVersion("C1", A_MASTER, V1, T0 + 90_000));
    assertEquals(List.of(), table.expire(T0 + TIMEOUT + 1));
    assertEquals(1, table.expire(T0 + 90_000 + TIMEOUT + 1).size());
  }

  @Test
  void unregisteredBrokerHasNoDataVersion() {
    DataVersionCheck check = table.queryDataVersion("C1", A_MASTER, V1, T0);

    assertTrue(check.changed());
    assertNull(check.registered());
  }

  @Test
  void heartbeatRefreshesLivenessOfARegisteredBrokerOnly() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    assertTrue(table.heartbeat("C1", A_MASTER, T0 + 60_000));
    assertFalse(table.heartbeat("C1", B_MASTER, T0 + 60_000));
    assertEquals(List.of(), table.expire(T0 + TIMEOUT + 1));
  }

  @Test
  void registerTopicAddsQueuesOfRegisteredGroupsOnly() {
    registerMasterA(T0, V1, topic("T1", 4), topic("X", 1));

    assertTrue(table.registerTopic("New", List.of(new QueueData("broker-a", 2, 2, 6, 0))));
    assertFalse(table.registerTopic("Other", List.of(new QueueData("broker-q", 2, 2, 6, 0))));
    assertFalse(table.registerTopic("Empty", List.of()));

    assertEquals(List.of("broker-a"), brokerNames(table.route("New").orElseThrow()));
    assertEquals(Optional.empty(), table.route("Other"));
  }
}
