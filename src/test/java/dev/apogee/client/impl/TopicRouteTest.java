package dev.apogee.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.apogee.client.MessageQueue;
import dev.apogee.protocol.BrokerData;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.QueueData;
import dev.apogee.protocol.TopicRouteData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the client reads a route: which queues it writes and reads, and where the brokers are. */
class TopicRouteTest {

  @Test
  void writesOnlyToWritableQueuesOfGroupsWithAMasterAndReadsEveryReadableQueueSorted() {
    TopicRouteData data =
        TopicRouteData.of(
            List.of(
                new QueueData("broker-b", 2, 3, 6, 0),
                new QueueData("broker-a", 2, 2, 6, 0),
                new QueueData("broker-c", 1, 1, 6, 0),
                new QueueData("broker-d", 1, 1, 4, 0)),
            List.of(
                new BrokerData("c", "broker-a", Map.of(0L, "a:1", 1L, "a:2"), null, false),
                new BrokerData("c", "broker-b", Map.of(0L, "b:1"), null, false),
                new BrokerData("c", "broker-c", Map.of(1L, "c:2"), null, false),
                new BrokerData("c", "broker-d", Map.of(0L, "d:1"), null, false)));
    TopicRoute route = TopicRoute.of("T", data);
    assertEquals(
        List.of(
            new MessageQueue("T", "broker-a", 0),
            new MessageQueue("T", "broker-a", 1),
            new MessageQueue("T", "broker-b", 0),
            new MessageQueue("T", "broker-b", 1),
            new MessageQueue("T", "broker-b", 2)),
        route.publishQueues());
    assertEquals(
        List.of(
            new MessageQueue("T", "broker-a", 0),
            new MessageQueue("T", "broker-a", 1),
            new MessageQueue("T", "broker-b", 0),
            new MessageQueue("T", "broker-b", 1),
            new MessageQueue("T", "broker-c", 0),
            new MessageQueue("T", "broker-d", 0)),
        route.subscribeQueues());
    assertEquals("a:1", route.masterAddress("broker-a"));
    assertNull(route.masterAddress("broker-c"));
    assertEquals("c:2", route.readAddress("broker-c"));
    assertNull(route.readAddress("broker-x"));
  }

  @Test
  void readsTheFastjsonDialectOfOfficialNameServersAndOrderedTopics() {
    String body =
        "{\"brokerDatas\":[{\"brokerAddrs\":{0:\"127.0.0.1:10911\"},\"brokerName\":\"broker-a\","
            + "\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}],\"filterServerTable\":{},"
            + "\"orderTopicConf\":\"broker-a:2\",\"queueDatas\":[{\"brokerName\":\"broker-a\","
            + "\"perm\":6,\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}";
    TopicRoute route =
        TopicRoute.of("T", ProtocolJson.readTolerant(body, TopicRouteData::readJson));
    assertEquals(
        List.of(new MessageQueue("T", "broker-a", 0), new MessageQueue("T", "broker-a", 1)),
        route.publishQueues());
    assertEquals(4, route.subscribeQueues().size());
  }

  @Test
  void aNewTopicBorrowsTheTemplatesBrokersWithTheProducersQueueCount() {
    TopicRouteData template =
        TopicRouteData.of(
            List.of(new QueueData("broker-a", 8, 8, 7, 0), new QueueData("broker-b", 2, 2, 7, 0)),
            List.of(
                new BrokerData("c", "broker-a", Map.of(0L, "a:1"), null, false),
                new BrokerData("c", "broker-b", Map.of(0L, "b:1"), null, false)));
    TopicRoute route = TopicRoute.forNewTopic("New", template, 4);
    assertEquals(6, route.publishQueues().size());
    assertEquals(new MessageQueue("New", "broker-b", 1), route.publishQueues().get(5));
  }
}
