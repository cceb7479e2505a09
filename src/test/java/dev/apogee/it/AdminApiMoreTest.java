package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.admin.OffsetWrapper;
import org.apache.rocketmq.remoting.protocol.body.BrokerStatsData;
import org.apache.rocketmq.remoting.protocol.body.ConsumeQueueData;
import org.apache.rocketmq.remoting.protocol.body.ConsumeStatsList;
import org.apache.rocketmq.remoting.protocol.body.QueryConsumeQueueResponseBody;
import org.apache.rocketmq.remoting.protocol.header.QueryConsumeQueueRequestHeader;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocketMQ 5.5.0's admin API ({@code DefaultMQAdminExt}) against one standalone Apogee for the
 * requests beyond {@link AdminApiTest}: the name server's and the broker's settings, a consume
 * queue's units, copying a group's offsets, the stats items and every group's progress on the
 * broker. Each test uses its own topics and groups; the tests of this class run one after another.
 */
@Timeout(180)
class AdminApiMoreTest {
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

  private static void createTopic(DefaultMQAdminExt admin, String topic, int queues)
      throws Exception {
    admin.createAndUpdateTopicConfig(brokerAddr(), new TopicConfig(topic, queues, queues));
    eventually(
        "route of " + topic,
        () -> admin.examineTopicRouteInfo(topic),
        r ->
            !r.getQueueDatas().isEmpty() && r.getQueueDatas().get(0).getWriteQueueNums() == queues);
  }

  private static List<SendResult> send(String topic, int n, String tag) throws Exception {
    DefaultMQProducer producer = producer(topic + "-producer");
    try {
      List<SendResult> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        SendResult r =
            producer.send(new Message(topic, tag, ("m" + i).getBytes(StandardCharsets.UTF_8)));
        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
        sent.add(r);
      }
      return sent;
    } finally {
      producer.shutdown();
    }
  }

  /** A push consumer from the first offset that keeps what it was handed. */
  private static final class Consumer implements AutoCloseable {
    final DefaultMQPushConsumer consumer;
    final List<MessageExt> delivered = new CopyOnWriteArrayList<>();
    final Set<String> distinct = ConcurrentHashMap.newKeySet();
    final CountDownLatch all;

    Consumer(String group, String topic, String expression, int expected) throws Exception {
      all = new CountDownLatch(expected);
      consumer = new DefaultMQPushConsumer(group);
      consumer.setNamesrvAddr(apogee.namesrvAddr());
      consumer.setInstanceName(group + "-" + System.nanoTime());
      consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
      consumer.setPersistConsumerOffsetInterval(500);
      // See AdminApiTest: a short heartbeat period keeps a stale subscription version brief.
      consumer.setHeartbeatBrokerInterval(1000);
      consumer.subscribe(topic, expression);
      consumer.registerMessageListener(
          (MessageListenerConcurrently)
              (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                  delivered.add(m);
                  if (distinct.add(m.getMsgId())) {
                    all.countDown();
                  }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
              });
      consumer.start();
    }

    void awaitAll() throws InterruptedException {
      assertTrue(all.await(30, TimeUnit.SECONDS), "consumed " + distinct.size());
    }

    @Override
    public void close() {
      consumer.shutdown();
    }
  }

  private static long committed(ConsumeStats s, String topic) {
    long sum = 0;
    for (Map.Entry<MessageQueue, OffsetWrapper> e : s.getOffsetTable().entrySet()) {
      if (e.getKey().getTopic().equals(topic)) {
        sum += e.getValue().getConsumerOffset();
      }
    }
    return sum;
  }

  /** Sends {@code req} to the broker with the admin's own connection and returns the answer. */
  private static RemotingCommand raw(DefaultMQAdminExt admin, RemotingCommand req)
      throws Exception {
    return admin
        .getDefaultMQAdminExtImpl()
        .getMqClientInstance()
        .getMQClientAPIImpl()
        .getRemotingClient()
        .invokeSync(brokerAddr(), req, 5000);
  }

  // ---------------------------------------------------------------- name server settings

  @Test
  void nameServerSettingsAreReadAndTheLiveOnesChangeWhatItAnswers() throws Exception {
    DefaultMQAdminExt admin = admin("ns-config");
    List<String> ns = List.of(apogee.namesrvAddr());
    try {
      Properties before = admin.getNameServerConfig(ns).get(apogee.namesrvAddr());
      assertEquals(
          Integer.toString(apogee.node.nameServerPort()), before.getProperty("listenPort"));
      assertEquals("true", before.getProperty("enableAllTopicList"));
      assertEquals("true", before.getProperty("enableTopicList"));

      admin.updateNameServerConfig(props("enableAllTopicList", "false"), ns);
      assertEquals(
          "false",
          admin
              .getNameServerConfig(ns)
              .get(apogee.namesrvAddr())
              .getProperty("enableAllTopicList"));
      MQClientException off = assertThrows(MQClientException.class, admin::fetchAllTopicList);
      assertEquals(1, off.getResponseCode(), off.toString());
      assertTrue(off.getMessage().contains("disable"), off.getMessage());
      assertTrue(
          admin.fetchTopicsByCLuster(CLUSTER).getTopicList().contains("TBW102"),
          "the cluster's list is a separate switch");

      admin.updateNameServerConfig(
          props("enableAllTopicList", "TRUE", "enableTopicList", "false"), ns);
      Properties after = admin.getNameServerConfig(ns).get(apogee.namesrvAddr());
      assertEquals("true", after.getProperty("enableAllTopicList"));
      assertEquals("false", after.getProperty("enableTopicList"));
      assertTrue(admin.fetchAllTopicList().getTopicList().contains("TBW102"));
      MQClientException clusterOff =
          assertThrows(MQClientException.class, () -> admin.fetchTopicsByCLuster(CLUSTER));
      assertEquals(1, clusterOff.getResponseCode(), clusterOff.toString());

      admin.updateNameServerConfig(props("enableTopicList", "true"), ns);
      assertTrue(admin.fetchTopicsByCLuster(CLUSTER).getTopicList().contains("TBW102"));
    } finally {
      admin.shutdown();
    }
  }

  @Test
  void nameServerRefusesByNameWhatItCannotChangeAndChangesNothing() throws Exception {
    DefaultMQAdminExt admin = admin("ns-refuse");
    List<String> ns = List.of(apogee.namesrvAddr());
    try {
      assertNsRefused(admin, props("listenPort", "1234"), 16, "listenPort", "only at start");
      assertNsRefused(
          admin,
          props("configStorePath", "/tmp/x"),
          16,
          "",
          "Can not update config in black list.");
      assertNsRefused(admin, props("noSuchSetting", "1"), 16, "noSuchSetting", "not a setting");
      assertNsRefused(
          admin,
          props("deleteTopicWithBrokerRegistration", "true"),
          16,
          "deleteTopicWithBrokerRegistration",
          "does not use");
      assertNsRefused(
          admin, props("enableTopicList", "maybe"), 29, "enableTopicList", "true or false");
      // All or nothing: the good key of a refused update did not change either.
      assertNsRefused(
          admin, props("enableAllTopicList", "false", "listenPort", "1"), 16, "listenPort", "");
      Properties now = admin.getNameServerConfig(ns).get(apogee.namesrvAddr());
      assertEquals("true", now.getProperty("enableAllTopicList"));
      assertEquals(Integer.toString(apogee.node.nameServerPort()), now.getProperty("listenPort"));
    } finally {
      admin.shutdown();
    }
  }

  private static void assertNsRefused(
      DefaultMQAdminExt admin, Properties update, int code, String key, String reason) {
    MQClientException e =
        assertThrows(
            MQClientException.class,
            () -> admin.updateNameServerConfig(update, List.of(apogee.namesrvAddr())));
    assertEquals(code, e.getResponseCode(), e.toString());
    assertTrue(e.getErrorMessage().contains(key), e.getErrorMessage());
    assertTrue(e.getErrorMessage().contains(reason), e.getErrorMessage());
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  // ---------------------------------------------------------------- broker settings

  @Test
  void brokerSettingsAreReadAndTheLiveOnesChangeWhatItAccepts() throws Exception {
    DefaultMQAdminExt admin = admin("broker-config");
    String systemTopic = "rmq_sys_apogee_admin_test";
    try {
      Properties p = admin.getBrokerConfig(brokerAddr());
      assertEquals(BROKER_NAME, p.getProperty("brokerName"));
      assertEquals(dir.toString(), p.getProperty("storePathRootDir"));
      assertEquals("0", p.getProperty("listenPort"), "as configured (an ephemeral port)");
      assertEquals("true", p.getProperty("validateSystemTopicWhenUpdateTopic"));
      assertEquals("true", p.getProperty("autoDeleteUnusedStats"));
      long counter = configVersion(admin).getCounter().get();

      MQClientException refused =
          assertThrows(
              MQClientException.class,
              () ->
                  admin.createAndUpdateTopicConfig(
                      brokerAddr(), new TopicConfig(systemTopic, 1, 1)));
      assertEquals(29, refused.getResponseCode(), refused.toString());

      admin.updateBrokerConfig(brokerAddr(), props("validateSystemTopicWhenUpdateTopic", "false"));
      assertEquals(
          "false",
          admin.getBrokerConfig(brokerAddr()).getProperty("validateSystemTopicWhenUpdateTopic"));
      assertEquals(counter + 1, configVersion(admin).getCounter().get());
      admin.createAndUpdateTopicConfig(brokerAddr(), new TopicConfig(systemTopic, 1, 1));
      assertTrue(
          admin
              .getAllTopicConfig(brokerAddr(), 3000)
              .getTopicConfigTable()
              .containsKey(systemTopic));

      admin.updateBrokerConfig(brokerAddr(), props("validateSystemTopicWhenUpdateTopic", "true"));
      MQClientException keep =
          assertThrows(
              MQClientException.class,
              () -> admin.deleteTopicInBroker(Set.of(brokerAddr()), systemTopic));
      assertEquals(29, keep.getResponseCode(), keep.toString());
      admin.updateBrokerConfig(brokerAddr(), props("validateSystemTopicWhenUpdateTopic", "false"));
      admin.deleteTopicInBroker(Set.of(brokerAddr()), systemTopic);
      assertFalse(
          admin
              .getAllTopicConfig(brokerAddr(), 3000)
              .getTopicConfigTable()
              .containsKey(systemTopic));
    } finally {
      admin.updateBrokerConfig(brokerAddr(), props("validateSystemTopicWhenUpdateTopic", "true"));
      admin.shutdown();
    }
  }

  private static DataVersion configVersion(DefaultMQAdminExt admin) throws Exception {
    RemotingCommand r =
        raw(admin, RemotingCommand.createRequestCommand(RequestCode.GET_BROKER_CONFIG, null));
    assertEquals(0, r.getCode(), r.getRemark());
    return RemotingSerializable.fromJson(r.getExtFields().get("version"), DataVersion.class);
  }

  @Test
  void brokerRefusesByNameWhatItCannotChangeAndChangesNothing() throws Exception {
    DefaultMQAdminExt admin = admin("broker-refuse");
    try {
      assertBrokerRefused(admin, props("brokerName", "other"), 16, "brokerName", "only at start");
      assertBrokerRefused(
          admin, props("flushDiskType", "SYNC_FLUSH"), 16, "flushDiskType", "only at start");
      assertBrokerRefused(
          admin,
          props("sendMessageThreadPoolNums", "4"),
          16,
          "sendMessageThreadPoolNums",
          "does not use");
      assertBrokerRefused(admin, props("noSuchSetting", "1"), 16, "noSuchSetting", "not a setting");
      assertBrokerRefused(
          admin, props("rocketmqHome", "/tmp"), 16, "", "Can not update config in black list.");
      assertBrokerRefused(
          admin,
          props("autoDeleteUnusedStats", "yes"),
          29,
          "autoDeleteUnusedStats",
          "true or false");
      assertBrokerRefused(
          admin,
          props("autoDeleteUnusedStats", "false", "brokerName", "other"),
          16,
          "brokerName",
          "");
      Properties p = admin.getBrokerConfig(brokerAddr());
      assertEquals("true", p.getProperty("autoDeleteUnusedStats"));
      assertEquals(BROKER_NAME, p.getProperty("brokerName"));
    } finally {
      admin.shutdown();
    }
  }

  private static void assertBrokerRefused(
      DefaultMQAdminExt admin, Properties update, int code, String key, String reason) {
    MQBrokerException e =
        assertThrows(MQBrokerException.class, () -> admin.updateBrokerConfig(brokerAddr(), update));
    assertEquals(code, e.getResponseCode(), e.toString());
    assertTrue(e.getErrorMessage().contains(key), e.getErrorMessage());
    assertTrue(e.getErrorMessage().contains(reason), e.getErrorMessage());
  }

  // ---------------------------------------------------------------- consume queue

  @Test
  void consumeQueueUnitsAreThoseOfTheSentMessages() throws Exception {
    DefaultMQAdminExt admin = admin("cq");
    String topic = "AdminCq";
    String group = "admin-cq-consumer";
    createTopic(admin, topic, 1);
    DefaultMQProducer producer = producer("admin-cq-producer");
    List<SendResult> sent = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    try {
      for (String tag : new String[] {"TagA", "TagB", null}) {
        byte[] body =
            ("body of " + tag).repeat(tag == null ? 1 : 5).getBytes(StandardCharsets.UTF_8);
        sent.add(producer.send(new Message(topic, tag, body)));
        tags.add(tag);
      }
    } finally {
      producer.shutdown();
    }
    try {
      QueryConsumeQueueResponseBody all =
          eventually(
              "three units in the queue",
              () -> admin.queryConsumeQueue(brokerAddr(), topic, 0, 0, 10, null),
              b -> b.getQueueData() != null && b.getQueueData().size() == 3);
      assertEquals(0, all.getMinQueueIndex());
      assertEquals(3, all.getMaxQueueIndex());
      assertNull(all.getSubscriptionData());
      assertNull(all.getFilterData());
      for (int i = 0; i < 3; i++) {
        SendResult r = sent.get(i);
        assertEquals(i, r.getQueueOffset());
        ConsumeQueueData unit = all.getQueueData().get(i);
        assertEquals(
            MessageDecoder.decodeMessageId(r.getOffsetMsgId()).getOffset(), unit.getPhysicOffset());
        MessageExt stored = admin.viewMessage(topic, r.getOffsetMsgId());
        assertEquals(stored.getStoreSize(), unit.getPhysicSize());
        String tag = tags.get(i);
        assertEquals(tag == null ? 0 : tag.hashCode(), unit.getTagsCode(), "tag " + tag);
      }

      QueryConsumeQueueResponseBody second =
          admin.queryConsumeQueue(brokerAddr(), topic, 0, 1, 1, "ghost");
      assertEquals(1, second.getQueueData().size());
      assertEquals(
          all.getQueueData().get(1).getPhysicOffset(),
          second.getQueueData().get(0).getPhysicOffset());
      assertNull(second.getSubscriptionData());
      assertEquals("ghost@" + topic + " is not online!", second.getFilterData());

      try (Consumer live = new Consumer(group, topic, "TagA || TagB", 2)) {
        live.awaitAll();
        QueryConsumeQueueResponseBody withGroup =
            eventually(
                "the group's subscription",
                () -> admin.queryConsumeQueue(brokerAddr(), topic, 0, 0, 2, group),
                b -> b.getSubscriptionData() != null);
        assertEquals("TagA || TagB", withGroup.getSubscriptionData().getSubString());
        assertEquals(
            Set.of("TagA".hashCode(), "TagB".hashCode()),
            withGroup.getSubscriptionData().getCodeSet());
        assertEquals(2, withGroup.getQueueData().size());
      }

      MQClientException missing =
          assertThrows(
              MQClientException.class,
              () -> admin.queryConsumeQueue(brokerAddr(), topic, 5, 0, 10, null));
      assertEquals(1, missing.getResponseCode(), missing.toString());
      assertTrue(missing.getErrorMessage().contains("5@" + topic + " is not exist!"));

      QueryConsumeQueueRequestHeader past = new QueryConsumeQueueRequestHeader();
      past.setTopic(topic);
      past.setQueueId(0);
      past.setIndex(3);
      past.setCount(10);
      RemotingCommand r =
          raw(admin, RemotingCommand.createRequestCommand(RequestCode.QUERY_CONSUME_QUEUE, past));
      assertEquals(0, r.getCode());
      assertEquals("Index 3 of 0@" + topic + " is not exist!", r.getRemark());
      assertNull(r.getBody());
    } finally {
      admin.shutdown();
    }
  }

  // ---------------------------------------------------------------- cloned offsets

  @Test
  void clonedOffsetsEqualTheSourceGroupsAndAreSaved() throws Exception {
    DefaultMQAdminExt admin = admin("clone");
    String topic = "AdminCloned";
    String src = "admin-clone-src";
    int n = 12;
    createTopic(admin, topic, 2);
    send(topic, n, null);
    try {
      ConsumeStats srcStats;
      try (Consumer c = new Consumer(src, topic, "*", n)) {
        c.awaitAll();
        srcStats =
            eventually(
                "committed offsets of " + src,
                () -> admin.examineConsumeStats(src),
                s -> committed(s, topic) == n);
      }

      admin.cloneGroupOffset(src, "admin-clone-one", topic, false);
      assertSameOffsets(admin, srcStats, "admin-clone-one", topic);

      // Without a topic: every topic the source committed offsets for, its retry topic included.
      admin.cloneGroupOffset(src, "admin-clone-all", null, true);
      assertSameOffsets(admin, srcStats, "admin-clone-all", topic);

      Path saved = dir.resolve("config").resolve("consumerOffset.json");
      String file =
          eventually(
              "the copies saved in " + saved,
              () -> Files.readString(saved),
              text ->
                  text.contains(topic + "@admin-clone-one")
                      && text.contains(topic + "@admin-clone-all"));
      assertTrue(file.contains(topic + "@" + src), file);
    } finally {
      admin.shutdown();
    }
  }

  private static void assertSameOffsets(
      DefaultMQAdminExt admin, ConsumeStats src, String dest, String topic) throws Exception {
    ConsumeStats copy = admin.examineConsumeStats(brokerAddr(), dest, topic, 3000);
    int queues = 0;
    for (Map.Entry<MessageQueue, OffsetWrapper> e : src.getOffsetTable().entrySet()) {
      if (e.getKey().getTopic().equals(topic)) {
        queues++;
        OffsetWrapper w = copy.getOffsetTable().get(e.getKey());
        assertNotNull(w, "no offset of " + dest + " on " + e.getKey());
        assertEquals(
            e.getValue().getConsumerOffset(), w.getConsumerOffset(), e.getKey().toString());
      }
    }
    assertEquals(2, queues);
  }

  // ---------------------------------------------------------------- offsets reset to a time

  @Test
  void resetToATimeIsAppliedByTheLiveMembersOrElseByTheAdminTool() throws Exception {
    DefaultMQAdminExt admin = admin("reset");
    String topic = "AdminReset";
    String group = "admin-reset-consumer";
    int n = 6;
    createTopic(admin, topic, 2);
    send(topic, n, null);
    try {
      try (Consumer c = new Consumer(group, topic, "*", n)) {
        c.awaitAll();
        eventually(
            "committed offsets of " + group,
            () -> admin.examineConsumeStats(group),
            s -> committed(s, topic) == n);

        Map<MessageQueue, Long> reset = admin.resetOffsetByTimestamp(topic, group, 0, true);
        assertEquals(
            Map.of(
                new MessageQueue(topic, BROKER_NAME, 0), 0L,
                new MessageQueue(topic, BROKER_NAME, 1), 0L),
            reset);
        // The member was told: it consumes everything again and commits up to the end again (the
        // official client waits 10 s before it applies a reset, then up to 20 s for a rebalance).
        eventually("every message again", c.delivered::size, size -> size >= 2 * n);
        eventually(
            "committed offsets of " + group + " at the end again",
            () -> admin.examineConsumeStats(group),
            s -> committed(s, topic) == n);
      }

      MQClientException offline =
          assertThrows(
              MQClientException.class, () -> admin.resetOffsetByTimestamp(topic, group, 0, true));
      assertEquals(206, offline.getResponseCode(), offline.toString());
      // mqadmin resetOffsetByTime's path: without members the tool commits the offsets itself.
      admin.resetOffsetNew(group, topic, 0);
      assertEquals(0, committed(admin.examineConsumeStats(group), topic));

      MQClientException noTopic =
          assertThrows(
              MQClientException.class,
              () ->
                  admin
                      .getDefaultMQAdminExtImpl()
                      .getMqClientInstance()
                      .getMQClientAPIImpl()
                      .invokeBrokerToResetOffset(
                          brokerAddr(), "NoSuchTopic", group, 0, true, 3000));
      assertEquals(17, noTopic.getResponseCode(), noTopic.toString());
    } finally {
      admin.shutdown();
    }
  }

  // ---------------------------------------------------------------- topic and group lists

  @Test
  void topicAndGroupListsAreAppliedTogetherOrNotAtAll() throws Exception {
    DefaultMQAdminExt admin = admin("lists");
    try {
      TopicConfig a = new TopicConfig("AdminListA", 2, 2);
      TopicConfig b = new TopicConfig("AdminListB", 3, 1);
      b.setAttributes(Map.of("+message.type", "NORMAL"));
      admin.createAndUpdateTopicConfigList(brokerAddr(), List.of(a, b));
      Map<String, TopicConfig> topics =
          admin.getAllTopicConfig(brokerAddr(), 3000).getTopicConfigTable();
      assertEquals(2, topics.get("AdminListA").getWriteQueueNums());
      assertEquals(3, topics.get("AdminListB").getReadQueueNums());
      assertEquals(1, topics.get("AdminListB").getWriteQueueNums());
      assertEquals(Map.of("message.type", "NORMAL"), topics.get("AdminListB").getAttributes());
      eventually(
          "route of AdminListB",
          () -> admin.examineTopicRouteInfo("AdminListB"),
          r -> !r.getQueueDatas().isEmpty());

      MQClientException refused =
          assertThrows(
              MQClientException.class,
              () ->
                  admin.createAndUpdateTopicConfigList(
                      brokerAddr(),
                      List.of(
                          new TopicConfig("AdminListC", 1, 1), new TopicConfig("TBW102", 1, 1))));
      assertEquals(29, refused.getResponseCode(), refused.toString());
      assertFalse(
          admin
              .getAllTopicConfig(brokerAddr(), 3000)
              .getTopicConfigTable()
              .containsKey("AdminListC"));

      SubscriptionGroupConfig g1 = new SubscriptionGroupConfig();
      g1.setGroupName("admin-list-g1");
      g1.setRetryMaxTimes(5);
      SubscriptionGroupConfig g2 = new SubscriptionGroupConfig();
      g2.setGroupName("admin-list-g2");
      g2.setConsumeBroadcastEnable(false);
      admin.createAndUpdateSubscriptionGroupConfigList(brokerAddr(), List.of(g1, g2));
      assertEquals(
          5,
          admin.examineSubscriptionGroupConfig(brokerAddr(), "admin-list-g1").getRetryMaxTimes());
      assertFalse(
          admin
              .examineSubscriptionGroupConfig(brokerAddr(), "admin-list-g2")
              .isConsumeBroadcastEnable());

      SubscriptionGroupConfig bad = new SubscriptionGroupConfig();
      bad.setGroupName("bad group");
      SubscriptionGroupConfig g3 = new SubscriptionGroupConfig();
      g3.setGroupName("admin-list-g3");
      MQClientException badName =
          assertThrows(
              MQClientException.class,
              () ->
                  admin.createAndUpdateSubscriptionGroupConfigList(brokerAddr(), List.of(g3, bad)));
      assertEquals(29, badName.getResponseCode(), badName.toString());
      assertNull(admin.examineSubscriptionGroupConfig(brokerAddr(), "admin-list-g3"));
    } finally {
      admin.shutdown();
    }
  }

  // ---------------------------------------------------------------- stats

  @Test
  void statsCountWhatWasSentAndPulled() throws Exception {
    DefaultMQAdminExt admin = admin("stats");
    String topic = "AdminStatsItems";
    String group = "admin-stats-consumer";
    int n = 9;
    createTopic(admin, topic, 2);
    try {
      BrokerStatsData putsBefore =
          admin.viewBrokerStatsData(brokerAddr(), "BROKER_PUT_NUMS", CLUSTER);
      BrokerStatsData getsBefore =
          admin.viewBrokerStatsData(brokerAddr(), "BROKER_GET_NUMS", CLUSTER);
      send(topic, n, "TagS");
      BrokerStatsData puts = admin.viewBrokerStatsData(brokerAddr(), "BROKER_PUT_NUMS", CLUSTER);
      // A fresh broker's hour and day windows hold everything since start.
      assertEquals(n, puts.getStatsDay().getSum() - putsBefore.getStatsDay().getSum());
      assertEquals(n, puts.getStatsHour().getSum() - putsBefore.getStatsHour().getSum());
      assertTrue(puts.getStatsMinute().getSum() >= n, "minute: " + puts.getStatsMinute().getSum());
      assertTrue(puts.getStatsMinute().getTps() > 0);
      // The topic is new: its put items count exactly these messages and their stored bytes.
      BrokerStatsData topicPuts = admin.viewBrokerStatsData(brokerAddr(), "TOPIC_PUT_NUMS", topic);
      assertEquals(n, topicPuts.getStatsDay().getSum());
      BrokerStatsData topicBytes = admin.viewBrokerStatsData(brokerAddr(), "TOPIC_PUT_SIZE", topic);
      assertTrue(
          topicBytes.getStatsDay().getSum() > (long) n * 100,
          "stored bytes of " + n + " messages: " + topicBytes.getStatsDay().getSum());

      List<MessageExt> pulled;
      try (Consumer c = new Consumer(group, topic, "*", n)) {
        c.awaitAll();
        eventually(
            "committed offsets of " + group,
            () -> admin.examineConsumeStats(group),
            s -> committed(s, topic) == n);
        pulled = List.copyOf(c.delivered);

        String key = topic + "@" + group;
        BrokerStatsData got = admin.viewBrokerStatsData(brokerAddr(), "GROUP_GET_NUMS", key);
        assertEquals(pulled.size(), got.getStatsMinute().getSum(), "every pulled message");
        assertEquals(pulled.size(), got.getStatsDay().getSum());
        assertTrue(got.getStatsMinute().getTps() > 0);
        assertTrue(got.getStatsMinute().getAvgpt() >= 1, "messages per pull");
        long bytes = pulled.stream().mapToLong(MessageExt::getStoreSize).sum();
        assertEquals(
            bytes,
            admin.viewBrokerStatsData(brokerAddr(), "GROUP_GET_SIZE", key).getStatsHour().getSum());
        BrokerStatsData gets = admin.viewBrokerStatsData(brokerAddr(), "BROKER_GET_NUMS", CLUSTER);
        assertTrue(
            gets.getStatsDay().getSum() - getsBefore.getStatsDay().getSum() >= pulled.size(),
            "the broker's gets include the group's");

        ConsumeStatsList list = admin.fetchConsumeStatsInBroker(brokerAddr(), false, 5000);
        assertEquals(brokerAddr(), list.getBrokerAddr());
        ConsumeStats mine = consumeStatsOf(list, group, topic);
        long brokerOffsets = 0;
        for (Map.Entry<MessageQueue, OffsetWrapper> e : mine.getOffsetTable().entrySet()) {
          OffsetWrapper w = e.getValue();
          assertEquals(BROKER_NAME, e.getKey().getBrokerName());
          assertEquals(w.getBrokerOffset(), w.getConsumerOffset(), e.getKey().toString());
          assertTrue(w.getBrokerOffset() == 0 || w.getLastTimestamp() > 0);
          brokerOffsets += w.getBrokerOffset();
        }
        assertEquals(2, mine.getOffsetTable().size());
        assertEquals(n, brokerOffsets);
        assertTrue(mine.getConsumeTps() > 0, "the group's pull rate");
        assertEquals(0, mine.computeTotalDiff());

        ConsumeStatsList ordered = admin.fetchConsumeStatsInBroker(brokerAddr(), true, 5000);
        assertNull(consumeStatsOrNull(ordered, group, topic), "the topic is not ordered");
      }

      for (String[] missing :
          new String[][] {
            {"NO_SUCH_STATS", "x"},
            {"GROUP_GET_NUMS", topic + "@nobody"},
            {"BROKER_PUT_NUMS", "OtherCluster"}
          }) {
        MQClientException e =
            assertThrows(
                MQClientException.class,
                () -> admin.viewBrokerStatsData(brokerAddr(), missing[0], missing[1]));
        assertEquals(1, e.getResponseCode(), e.toString());
        assertEquals(
            "The stats <" + missing[0] + "> <" + missing[1] + "> not exist", e.getErrorMessage());
      }
    } finally {
      admin.shutdown();
    }
  }

  private static ConsumeStats consumeStatsOf(ConsumeStatsList list, String group, String topic) {
    ConsumeStats s = consumeStatsOrNull(list, group, topic);
    assertNotNull(s, "no progress of " + group + " on " + topic + " in " + list.toJson());
    return s;
  }

  private static ConsumeStats consumeStatsOrNull(
      ConsumeStatsList list, String group, String topic) {
    for (Map<String, List<ConsumeStats>> entry : list.getConsumeStatsList()) {
      for (ConsumeStats s : entry.getOrDefault(group, List.of())) {
        if (s.getOffsetTable().keySet().stream().anyMatch(q -> q.getTopic().equals(topic))) {
          return s;
        }
      }
    }
    return null;
  }
}
