package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.admin.OffsetWrapper;
import org.apache.rocketmq.remoting.protocol.admin.TopicOffset;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.body.CMResult;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.ConsumeMessageDirectlyResult;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo;
import org.apache.rocketmq.remoting.protocol.body.GroupList;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.body.ProducerConnection;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocketMQ 5.5.0's admin API ({@code DefaultMQAdminExt}, what {@code mqadmin} wraps), with default
 * settings, against one standalone Apogee shared by the tests; each test uses its own topics and
 * groups.
 */
@Timeout(120)
class AdminApiTest {
  private static final Duration EVENTUAL = Duration.ofSeconds(30);
  private static final String CLUSTER = "DefaultCluster";
  private static final String BROKER_NAME = "broker-a";

  @TempDir static Path dir;
  private static ApogeeFixture apogee;

  @BeforeAll
  static void start() throws Exception {
    apogee = ApogeeFixture.start(dir, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (apogee != null) {
      apogee.close();
    }
  }

  private static String brokerAddr() {
    return apogee.node.broker().brokerAddr();
  }

  private static DefaultMQAdminExt admin(String name) throws Exception {
    DefaultMQAdminExt admin = new DefaultMQAdminExt();
    admin.setNamesrvAddr(apogee.namesrvAddr());
    admin.setInstanceName("admin-" + name + "-" + System.nanoTime());
    admin.start();
    return admin;
  }

  private static DefaultMQProducer producer(String group) throws Exception {
    DefaultMQProducer p = new DefaultMQProducer(group);
    p.setNamesrvAddr(apogee.namesrvAddr());
    p.setInstanceName(group + "-" + System.nanoTime());
    p.start();
    return p;
  }

  /** Polls {@code probe} until its value passes {@code done}; a probe that throws is retried. */
  private static <T> T eventually(String what, Callable<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + EVENTUAL.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        T v = probe.call();
        if (v != null && done.test(v)) {
          return v;
        }
        last = v;
      } catch (Exception e) {
        last = e;
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    throw new AssertionError("timed out waiting for " + what + "; last: " + last);
  }

  /** Creates a topic on the broker and waits until the name server routes it. */
  private static void createTopic(DefaultMQAdminExt admin, String topic, int queues)
      throws Exception {
    TopicConfig t = new TopicConfig(topic, queues, queues);
    admin.createAndUpdateTopicConfig(brokerAddr(), t);
    eventually(
        "route of " + topic,
        () -> admin.examineTopicRouteInfo(topic),
        r ->
            !r.getQueueDatas().isEmpty() && r.getQueueDatas().get(0).getWriteQueueNums() == queues);
  }

  @Test
  void clusterInfoListsTheBroker() throws Exception {
    DefaultMQAdminExt admin = admin("cluster");
    try {
      assertTrue(
          admin.fetchTopicsByCLuster(CLUSTER).getTopicList().contains("TBW102"),
          "the cluster's topics (mqadmin topicList -c) include the default topic");
      assertTrue(admin.fetchTopicsByCLuster("NoSuchCluster").getTopicList().isEmpty());
      ClusterInfo info = admin.examineBrokerClusterInfo();
      String name = BROKER_NAME;
      assertTrue(info.getClusterAddrTable().get(CLUSTER).contains(name), info.toString());
      assertEquals(brokerAddr(), info.getBrokerAddrTable().get(name).getBrokerAddrs().get(0L));
    } finally {
      admin.shutdown();
    }
  }

  @Test
  void createTopicIsRoutedAndListedAndDeleteRemovesIt() throws Exception {
    DefaultMQAdminExt admin = admin("topics");
    try {
      String topic = "AdminCreated";
      admin.createTopic("TBW102", topic, 4, Map.of());
      TopicRouteData route =
          eventually(
              "route of " + topic,
              () -> admin.examineTopicRouteInfo(topic),
              r -> !r.getQueueDatas().isEmpty());
      QueueData q = route.getQueueDatas().get(0);
      assertEquals(4, q.getReadQueueNums());
      assertEquals(4, q.getWriteQueueNums());
      assertEquals(6, q.getPerm());
      assertTrue(admin.fetchAllTopicList().getTopicList().contains(topic));
      assertTrue(
          admin.getAllTopicConfig(brokerAddr(), 3000).getTopicConfigTable().containsKey(topic));

      admin.deleteTopic(topic, CLUSTER);
      eventually(
          topic + " gone from the topic list",
          () -> admin.fetchAllTopicList().getTopicList(),
          list -> !list.contains(topic));
      assertFalse(
          admin.getAllTopicConfig(brokerAddr(), 3000).getTopicConfigTable().containsKey(topic));
    } finally {
      admin.shutdown();
    }
  }

  @Test
  void systemAndInvalidTopicNamesAreRefused() throws Exception {
    DefaultMQAdminExt admin = admin("refuse");
    try {
      for (String name : List.of("TBW102", "bad topic")) {
        MQClientException e =
            assertThrows(
                MQClientException.class,
                () -> admin.createAndUpdateTopicConfig(brokerAddr(), new TopicConfig(name, 1, 1)));
        assertEquals(29, e.getResponseCode(), e.toString());
      }
      MQClientException e =
          assertThrows(MQClientException.class, () -> admin.examineTopicStats("NoSuchTopic"));
      assertEquals(17, e.getResponseCode(), e.toString());
    } finally {
      admin.shutdown();
    }
  }

  @Test
  void topicStatsReportEachQueuesOffsets() throws Exception {
    DefaultMQAdminExt admin = admin("stats");
    DefaultMQProducer producer = producer("admin-stats-producer");
    try {
      String topic = "AdminStats";
      createTopic(admin, topic, 2);
      String brokerName = BROKER_NAME;
      for (int i = 0; i < 5; i++) {
        int queue = i < 3 ? 0 : 1;
        SendResult r =
            producer.send(
                new Message(topic, ("m" + i).getBytes(StandardCharsets.UTF_8)),
                new MessageQueue(topic, brokerName, queue));
        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
      }
      MessageQueue mq0 = new MessageQueue(topic, brokerName, 0);
      MessageQueue mq1 = new MessageQueue(topic, brokerName, 1);
      // Consume queues are built from the commit log after the send is answered.
      TopicStatsTable stats =
          eventually(
              "the queues of " + topic + " to hold every message",
              () -> admin.examineTopicStats(topic),
              s ->
                  s.getOffsetTable().size() == 2
                      && s.getOffsetTable().get(mq0).getMaxOffset()
                              + s.getOffsetTable().get(mq1).getMaxOffset()
                          == 5);
      TopicOffset q0 = stats.getOffsetTable().get(mq0);
      TopicOffset q1 = stats.getOffsetTable().get(mq1);
      assertEquals(0, q0.getMinOffset());
      assertEquals(3, q0.getMaxOffset());
      assertEquals(0, q1.getMinOffset());
      assertEquals(2, q1.getMaxOffset());
      assertTrue(q0.getLastUpdateTimestamp() > 0);

      ProducerConnection pc = admin.examineProducerConnectionInfo("admin-stats-producer", topic);
      assertEquals(1, pc.getConnectionSet().size());
    } finally {
      producer.shutdown();
      admin.shutdown();
    }
  }

  @Test
  void consumeStatsAndConnectionsFollowALiveConsumer() throws Exception {
    DefaultMQAdminExt admin = admin("consume");
    String topic = "AdminConsumed";
    String group = "admin-consumer";
    int n = 20;
    DefaultMQProducer producer = producer("admin-consume-producer");
    String lastMsgId = null;
    try {
      createTopic(admin, topic, 2);
      for (int i = 0; i < n; i++) {
        SendResult r =
            producer.send(new Message(topic, ("c" + i).getBytes(StandardCharsets.UTF_8)));
        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
        lastMsgId = r.getMsgId();
      }
    } finally {
      producer.shutdown();
    }
    CountDownLatch all = new CountDownLatch(n);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger deliveries = new AtomicInteger();
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(apogee.namesrvAddr());
    consumer.setInstanceName(group + "-" + System.nanoTime());
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.setPersistConsumerOffsetInterval(500);
    // The client skips its post-rebalance heartbeat when another heartbeat holds its lock, and its
    // pulls are refused as SUBSCRIPTION_NOT_LATEST until the next periodic heartbeat (30 s by
    // default); a short period keeps the test well inside its deadline.
    consumer.setHeartbeatBrokerInterval(1000);
    consumer.subscribe(topic, "*");
    consumer.registerMessageListener(
        (MessageListenerConcurrently)
            (msgs, ctx) -> {
              for (MessageExt m : msgs) {
                deliveries.incrementAndGet();
                if (seen.add(m.getMsgId())) {
                  all.countDown();
                }
              }
              return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
    consumer.start();
    try {
      assertTrue(all.await(30, TimeUnit.SECONDS), "consumed " + seen.size() + " of " + n);
      ConsumeStats stats =
          eventually(
              "committed offsets of " + group + " to reach " + n,
              () -> admin.examineConsumeStats(group),
              s -> consumedOf(s, topic) == n);
      for (Map.Entry<MessageQueue, OffsetWrapper> e : stats.getOffsetTable().entrySet()) {
        if (e.getKey().getTopic().equals(topic)) {
          OffsetWrapper w = e.getValue();
          assertEquals(w.getBrokerOffset(), w.getConsumerOffset(), e.getKey().toString());
          assertTrue(w.getConsumerOffset() == 0 || w.getLastTimestamp() > 0);
        }
      }
      assertEquals(0, stats.computeTotalDiff());

      ConsumerConnection cc = admin.examineConsumerConnectionInfo(group);
      assertEquals(1, cc.getConnectionSet().size());
      assertNotNull(cc.getConnectionSet().iterator().next().getClientId());
      assertTrue(cc.getSubscriptionTable().containsKey(topic));
      assertEquals("CLUSTERING", cc.getMessageModel().name());

      GroupList byWho = admin.queryTopicConsumeByWho(topic);
      assertTrue(byWho.getGroupList().contains(group), byWho.getGroupList().toString());

      // Requests the broker relays to the consumer itself (mqadmin consumerStatus, consumeMessage).
      String clientId = cc.getConnectionSet().iterator().next().getClientId();
      ConsumerRunningInfo info = admin.getConsumerRunningInfo(group, clientId, false);
      assertTrue(
          info.getSubscriptionSet().stream().anyMatch(sd -> sd.getTopic().equals(topic)),
          info.getSubscriptionSet().toString());
      assertFalse(info.getMqTable().isEmpty(), "the consumer reports the queues it holds");
      MQClientException offline =
          assertThrows(
              MQClientException.class,
              () -> admin.getConsumerRunningInfo(group, "127.0.0.1@nobody", false));
      assertTrue(
          offline.getMessage().contains("not online"), "precise refusal: " + offline.getMessage());

      int before = deliveries.get();
      ConsumeMessageDirectlyResult direct =
          admin.consumeMessageDirectly(group, clientId, topic, lastMsgId);
      assertEquals(CMResult.CR_SUCCESS, direct.getConsumeResult(), direct.toString());
      assertEquals(before + 1, deliveries.get(), "the listener ran once more for that message");
    } finally {
      consumer.shutdown();
      admin.shutdown();
    }
  }

  private static long consumedOf(ConsumeStats s, String topic) {
    long sum = 0;
    for (Map.Entry<MessageQueue, OffsetWrapper> e : s.getOffsetTable().entrySet()) {
      if (e.getKey().getTopic().equals(topic)) {
        sum += e.getValue().getConsumerOffset();
      }
    }
    return sum;
  }

  @Test
  void brokerRuntimeStatsAndConfigHaveTheirKeys() throws Exception {
    DefaultMQAdminExt admin = admin("runtime");
    DefaultMQProducer producer = producer("admin-runtime-producer");
    try {
      for (int i = 0; i < 3; i++) {
        producer.send(new Message("AdminRuntime", ("r" + i).getBytes(StandardCharsets.UTF_8)));
      }
      // Counters are immediate; rates need two one-second samples after the sends.
      KVTable kv =
          eventually(
              "a put rate after three sends",
              () -> admin.fetchBrokerRuntimeStats(brokerAddr()),
              t -> Double.parseDouble(t.getTable().get("putTps").split(" ")[0]) > 0);
      assertTrue(Long.parseLong(kv.getTable().get("msgPutTotalTodayNow")) >= 3, kv.toString());
      for (String key :
          List.of(
              "brokerVersionDesc",
              "brokerVersion",
              "msgPutTotalYesterdayMorning",
              "msgPutTotalTodayMorning",
              "msgPutTotalTodayNow",
              "msgGetTotalYesterdayMorning",
              "msgGetTotalTodayMorning",
              "msgGetTotalTodayNow",
              "putTps",
              "getTransferredTps",
              "sendThreadPoolQueueSize",
              "pullThreadPoolQueueSize",
              "sendThreadPoolQueueHeadWaitTimeMills",
              "pullThreadPoolQueueHeadWaitTimeMills",
              "pageCacheLockTimeMills",
              "earliestMessageTimeStamp",
              "commitLogDiskRatio",
              "brokerActive",
              "timerReadBehind",
              "timerOffsetBehind",
              "timerCongestNum",
              "timerEnqueueTps",
              "timerDequeueTps")) {
        assertTrue(kv.getTable().containsKey(key), "missing " + key + " in " + kv.getTable());
      }
      assertEquals("V5_5_0", kv.getTable().get("brokerVersionDesc"));
      assertEquals("513", kv.getTable().get("brokerVersion"));
      assertEquals(3, kv.getTable().get("putTps").split(" ").length);
      Double.parseDouble(kv.getTable().get("commitLogDiskRatio"));
      Long.parseLong(kv.getTable().get("earliestMessageTimeStamp"));

      Properties config = admin.getBrokerConfig(brokerAddr());
      assertEquals(BROKER_NAME, config.getProperty("brokerName"));
      assertEquals(CLUSTER, config.getProperty("brokerClusterName"));
    } finally {
      producer.shutdown();
      admin.shutdown();
    }
  }

  @Test
  void queryByKeyAndViewByOffsetIdFindTheMessage() throws Exception {
    DefaultMQAdminExt admin = admin("query");
    DefaultMQProducer producer = producer("admin-query-producer");
    try {
      String topic = "AdminQueried";
      createTopic(admin, topic, 1);
      SendResult sent =
          producer.send(
              new Message(topic, "TagQ", "order-4711", "queried".getBytes(StandardCharsets.UTF_8)));
      assertEquals(SendStatus.SEND_OK, sent.getSendStatus());

      QueryResult found =
          eventually(
              "the index to find order-4711",
              () -> admin.queryMessage(topic, "order-4711", 32, 0, Long.MAX_VALUE),
              r -> !r.getMessageList().isEmpty());
      assertEquals(1, found.getMessageList().size());
      assertEquals(
          "queried", new String(found.getMessageList().get(0).getBody(), StandardCharsets.UTF_8));

      MessageExt viewed = admin.viewMessage(topic, sent.getOffsetMsgId());
      assertEquals("order-4711", viewed.getKeys());
      assertEquals("queried", new String(viewed.getBody(), StandardCharsets.UTF_8));
      assertEquals(sent.getMsgId(), viewed.getMsgId());

      QueryResult byUniqueKey =
          admin.queryMessageByUniqKey(CLUSTER, topic, sent.getMsgId(), 32, 0, Long.MAX_VALUE);
      assertEquals(1, byUniqueKey.getMessageList().size());
      assertEquals(sent.getMsgId(), byUniqueKey.getMessageList().get(0).getMsgId());
    } finally {
      producer.shutdown();
      admin.shutdown();
    }
  }

  @Test
  void subscriptionGroupCreatedIsVisibleAndDeletable() throws Exception {
    DefaultMQAdminExt admin = admin("groups");
    try {
      SubscriptionGroupConfig g = new SubscriptionGroupConfig();
      g.setGroupName("admin-made-group");
      g.setRetryMaxTimes(3);
      g.setConsumeBroadcastEnable(false);
      admin.createAndUpdateSubscriptionGroupConfig(brokerAddr(), g);

      SubscriptionGroupConfig seen =
          admin.examineSubscriptionGroupConfig(brokerAddr(), "admin-made-group");
      assertNotNull(seen);
      assertEquals(3, seen.getRetryMaxTimes());
      assertFalse(seen.isConsumeBroadcastEnable());

      admin.deleteSubscriptionGroup(brokerAddr(), "admin-made-group");
      assertEquals(null, admin.examineSubscriptionGroupConfig(brokerAddr(), "admin-made-group"));
    } finally {
      admin.shutdown();
    }
  }
}
