package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official RocketMQ 5.5.0 client, with default settings, producing and consuming through one
 * standalone Apogee shared by the tests; each test uses its own topic and groups.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialClientMessagingTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PULL_MESSAGE = 11;
  private static final String LOCAL_OFFSET_DIR = "rocketmq.client.localOffsetStoreDir";

  @TempDir static Path dir;
  private ApogeeFixture apogee;
  private DefaultMQProducer producer;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    // Broadcasting consumers keep their offsets in local files: under this test's temp dir, not
    // the user's home (read once, when the client's local offset store class loads).
    if (System.getProperty(LOCAL_OFFSET_DIR) == null) {
      System.setProperty(LOCAL_OFFSET_DIR, dir.resolve("client-offsets").toString());
    }
    apogee = ApogeeFixture.start(dir, Map.of());
    producer = Clients.producer(apogee, "messaging-producer");
    producer.start();
  }

  @AfterAll
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    producer.shutdown();
    apogee.close();
  }

  @Test
  void syncAsyncAndOnewaySendsAreAcknowledgedAndAllStored() throws Exception {
    String topic = "SendModes";
    int n = 2001;
    List<SendResult> results = new ArrayList<>();
    Queue<SendResult> asyncResults = new ConcurrentLinkedQueue<>();
    Queue<Throwable> asyncFailures = new ConcurrentLinkedQueue<>();
    CountDownLatch asyncDone = new CountDownLatch(n / 3);
    for (int i = 0; i < n; i++) {
      Message m = Corpus.message(topic, "modes", i);
      switch (i % 3) {
        case 0 -> results.add(producer.send(m));
        case 1 ->
            producer.send(
                m,
                new SendCallback() {
                  @Override
                  public void onSuccess(SendResult r) {
                    asyncResults.add(r);
                    asyncDone.countDown();
                  }

                  @Override
                  public void onException(Throwable e) {
                    asyncFailures.add(e);
                    asyncDone.countDown();
                  }
                });
        default -> producer.sendOneway(m);
      }
    }
    assertTrue(asyncDone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "async sends unanswered");
    assertEquals(List.of(), List.copyOf(asyncFailures));
    results.addAll(asyncResults);
    assertEquals(2 * n / 3, results.size());
    Set<String> positions = new HashSet<>();
    for (SendResult r : results) {
      assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r::toString);
      assertNotNull(r.getMsgId(), r::toString);
      assertNotNull(r.getOffsetMsgId(), r::toString);
      assertEquals(topic, r.getMessageQueue().getTopic());
      assertTrue(r.getQueueOffset() >= 0, r::toString);
      assertTrue(
          positions.add(r.getMessageQueue().getQueueId() + "@" + r.getQueueOffset()),
          () -> "two messages at one queue offset: " + r);
    }
    List<MessageQueue> queues = routedQueues(topic);
    Clients.awaitTrue(
        () -> stored(queues) == n, WAIT, () -> "stored " + stored(queues) + " of " + n);

    Received all = new Received();
    DefaultLitePullConsumer reader = Clients.litePullConsumer(apogee, "modes-reader");
    reader.subscribe(topic, "*");
    reader.start();
    try {
      pollUntil(reader, all, () -> all.distinct() == n);
    } finally {
      reader.shutdown();
    }
    all.assertNoFailedChecks();
  }

  @Test
  void batchOfHundredLandsAtConsecutiveOffsetsOfOneQueue() throws Exception {
    String topic = "Batch";
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(Corpus.message(topic, "batch", i));
    }
    producer.send(Corpus.message(topic, "before", 0));
    SendResult r = producer.send(batch);
    assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r::toString);
    assertEquals(100, r.getOffsetMsgId().split(",").length, r::toString);
    assertEquals(100, r.getMsgId().split(",").length, r::toString);
    MessageQueue mq = r.getMessageQueue();
    // The store itself: the batch occupies the 100 offsets the answer named, in order.
    dev.apogee.store.MessageStore store = apogee.node.store();
    long deadline0 = System.nanoTime() + WAIT.toNanos();
    while (store.maxOffsetInQueue(topic, mq.getQueueId()) < r.getQueueOffset() + 100
        && System.nanoTime() < deadline0) {
      Thread.onSpinWait();
    }
    for (int i = 0; i < 100; i++) {
      dev.apogee.store.GetResult g =
          store.getMessages(
              topic,
              mq.getQueueId(),
              r.getQueueOffset() + i,
              1,
              1 << 20,
              dev.apogee.store.MessageFilter.ALL);
      try {
        assertEquals(
            dev.apogee.store.GetStatus.FOUND, g.status(), "stored message " + i + " of " + r);
        dev.apogee.store.message.MessageRecord rec =
            dev.apogee.store.message.RecordDecoder.decode(g.records().get(0).buffer(), 0);
        assertEquals(r.getQueueOffset() + i, rec.queueOffset(), "stored offset of message " + i);
        assertEquals("batch:" + i, rec.properties().get(Corpus.INDEX), "stored message " + i);
      } finally {
        g.release();
      }
    }

    DefaultLitePullConsumer reader = Clients.litePullConsumer(apogee, "batch-reader");
    reader.setAutoCommit(false);
    reader.start();
    List<MessageExt> got = new ArrayList<>();
    try {
      reader.assign(List.of(mq));
      reader.seek(mq, r.getQueueOffset());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (got.size() < 100 && System.nanoTime() < deadline) {
        got.addAll(reader.poll(1000));
      }
    } finally {
      reader.shutdown();
    }
    assertEquals(100, got.size(), "messages read from the batch's queue offset");
    for (int i = 0; i < 100; i++) {
      MessageExt m = got.get(i);
      assertEquals(r.getQueueOffset() + i, m.getQueueOffset(), "queue offset of message " + i);
      assertEquals(mq.getQueueId(), m.getQueueId());
      assertEquals("batch:" + i, Corpus.check(m));
    }
  }

  @Test
  // Each join can stall pulls for one heartbeat period (30 s): the 5.5 client's first rebalance
  // and its first periodic heartbeat both fall about 1 s after start, and when the heartbeat
  // wins the lock the rebalance's newer subscription version reaches the broker only with the
  // next one. The broker answers SUBSCRIPTION_NOT_LATEST meanwhile, as RocketMQ's does.
  @Timeout(180)
  void clusteringConsumersShareTheQueuesAndAJoiningConsumerLosesNothing() throws Exception {
    String topic = "Clustering";
    String group = "clustering-group";
    for (int i = 0; i < 4; i++) {
      producer.send(Corpus.message(topic, "warmup", i));
    }
    List<MessageQueue> queues = routedQueues(topic);
    Received r1 = new Received();
    Received r2 = new Received();
    DefaultMQPushConsumer c1 = startPush(group, topic, r1, MessageModel.CLUSTERING);
    DefaultMQPushConsumer c2 = startPush(group, topic, r2, MessageModel.CLUSTERING);
    awaitShared(topic, queues, List.of(c1, c2));

    List<String> first = sendSpread(queues, "first", 600);
    Clients.awaitTrue(
        () -> union(r1, r2).containsAll(first),
        WAIT,
        () -> "received " + union(r1, r2).size() + " of 600+");
    Set<String> both = new HashSet<>(r1.ids());
    both.retainAll(r2.ids());
    both.removeIf(id -> !id.startsWith("first:"));
    assertEquals(Set.of(), both, "messages delivered to both consumers of one group");
    assertFalse(r1.ids().stream().noneMatch(id -> id.startsWith("first:")), "c1 got none");
    assertFalse(r2.ids().stream().noneMatch(id -> id.startsWith("first:")), "c2 got none");

    // A third consumer joins while messages flow: at-least-once, nothing lost.
    Received r3 = new Received();
    List<String> second = new ArrayList<>(sendSpread(queues, "second", 300));
    DefaultMQPushConsumer c3 = startPush(group, topic, r3, MessageModel.CLUSTERING);
    second.addAll(sendSpread(queues, "third", 300));
    Clients.awaitTrue(
        () -> union(r1, r2, r3).containsAll(second),
        WAIT,
        () -> "received " + union(r1, r2, r3).size() + " including the second wave");
    awaitShared(topic, queues, List.of(c1, c2, c3));
    List<String> last = sendSpread(queues, "last", 200);
    Clients.awaitTrue(
        () -> union(r1, r2, r3).containsAll(last), WAIT, () -> "last wave not all received");
    assertFalse(r3.ids().stream().noneMatch(id -> id.startsWith("last:")), "c3 got no share");
    r1.assertNoFailedChecks();
    r2.assertNoFailedChecks();
    r3.assertNoFailedChecks();
  }

  @Test
  void broadcastingConsumersEachReceiveEveryMessage() throws Exception {
    String topic = "Broadcast";
    List<String> sent = sendAll(topic, "bc", 500);
    Received r1 = new Received();
    Received r2 = new Received();
    startPush("broadcast-group", topic, r1, MessageModel.BROADCASTING);
    startPush("broadcast-group", topic, r2, MessageModel.BROADCASTING);
    Clients.awaitTrue(() -> r1.containsAll(sent), WAIT, () -> "c1 got " + r1.distinct());
    Clients.awaitTrue(() -> r2.containsAll(sent), WAIT, () -> "c2 got " + r2.distinct());
    r1.assertNoFailedChecks();
    r2.assertNoFailedChecks();
  }

  @Test
  void litePullConsumerInSubscribeModeReadsEveryMessage() throws Exception {
    String topic = "LiteSubscribe";
    List<String> sent = sendAll(topic, "lite", 500);
    Received all = new Received();
    DefaultLitePullConsumer c = Clients.litePullConsumer(apogee, "lite-subscribe-group");
    c.subscribe(topic, "*");
    c.start();
    try {
      pollUntil(c, all, () -> all.containsAll(sent));
    } finally {
      c.shutdown();
    }
    assertEquals(sent.size(), all.distinct());
    all.assertNoFailedChecks();
  }

  @Test
  void litePullConsumerInAssignModeReadsFromTheSoughtOffset() throws Exception {
    String topic = "LiteAssign";
    sendAll(topic, "assign-first", 1);
    MessageQueue mq = routedQueues(topic).get(1);
    for (int i = 0; i < 60; i++) {
      SendResult r = producer.send(Corpus.message(topic, "assign", i), mq);
      assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r::toString);
      assertEquals(mq.getQueueId(), r.getMessageQueue().getQueueId(), r::toString);
    }
    // Consume queues are built just after a send is answered (as RocketMQ's are): wait for them.
    long maxDeadline = System.nanoTime() + WAIT.toNanos();
    long max = producer.maxOffset(mq);
    while (max < 60 && System.nanoTime() < maxDeadline) {
      max = producer.maxOffset(mq);
    }
    assertTrue(max >= 60, "queue 1 holds " + max);
    DefaultLitePullConsumer c = Clients.litePullConsumer(apogee, "lite-assign-group");
    c.setAutoCommit(false);
    c.start();
    List<MessageExt> got = new ArrayList<>();
    try {
      c.assign(List.of(mq));
      c.seek(mq, 10);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (got.size() < max - 10 && System.nanoTime() < deadline) {
        got.addAll(c.poll(1000));
      }
    } finally {
      c.shutdown();
    }
    assertEquals(max - 10, got.size());
    for (int i = 0; i < got.size(); i++) {
      assertEquals(10 + i, got.get(i).getQueueOffset());
      assertEquals(mq.getQueueId(), got.get(i).getQueueId());
      Corpus.check(got.get(i));
    }
  }

  @Test
  void tagExpressionDeliversOnlyMatchingMessagesFilteredByTheBroker() throws Exception {
    String topic = "Tags";
    List<String> sent = sendAll(topic, "tags", 300);
    List<String> matching = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      if (!"TagC".equals(Corpus.tag(i))) {
        matching.add(sent.get(i));
      }
    }
    Received got = new Received();
    Queue<String> wrongTags = new ConcurrentLinkedQueue<>();
    DefaultLitePullConsumer c = Clients.litePullConsumer(apogee, "tag-group");
    c.subscribe(topic, "TagA || TagB");
    c.start();
    try {
      pollUntil(c, got, () -> got.containsAll(matching));
      for (MessageExt m : c.poll(500)) {
        got.accept(m);
      }
    } finally {
      c.shutdown();
    }
    got.ids().stream().filter(id -> !matching.contains(id)).forEach(wrongTags::add);
    assertEquals(List.of(), List.copyOf(wrongTags), "delivered without a matching tag");
    assertEquals(matching.size(), got.distinct());
    got.assertNoFailedChecks();

    // What the broker itself sends for that expression, read with raw PULL_MESSAGE requests.
    Map<String, Integer> tagsOnWire = new HashMap<>();
    try (RawBrokerSocket s = new RawBrokerSocket(apogee.node.broker().port())) {
      for (MessageQueue mq : routedQueues(topic)) {
        long offset = 0;
        long max = producer.maxOffset(mq);
        while (offset < max) {
          RawBrokerSocket.Frame f = s.call(PULL_MESSAGE, pull(topic, mq, offset), new byte[0]);
          if (f.code() == 0) {
            for (MessageExt m : MessageDecoder.decodes(ByteBuffer.wrap(f.body()))) {
              tagsOnWire.merge(m.getTags(), 1, Integer::sum);
            }
          } else {
            assertEquals(20, f.code(), "pull outcome other than FOUND or NO_MATCHED_MSG: " + f);
          }
          long next = Long.parseLong(f.extField("nextBeginOffset"));
          assertTrue(next > offset, "no progress at " + offset + ": " + f);
          offset = next;
        }
      }
    }
    assertEquals(Map.of("TagA", 100, "TagB", 100), tagsOnWire);
  }

  private static Map<String, String> pull(String topic, MessageQueue mq, long offset) {
    Map<String, String> h = new HashMap<>();
    h.put("consumerGroup", "raw-tag-puller");
    h.put("topic", topic);
    h.put("queueId", String.valueOf(mq.getQueueId()));
    h.put("queueOffset", String.valueOf(offset));
    h.put("maxMsgNums", "32");
    h.put("sysFlag", "4"); // SUBSCRIPTION: the expression below applies, no long polling
    h.put("commitOffset", "0");
    h.put("suspendTimeoutMillis", "0");
    h.put("subscription", "TagA || TagB");
    h.put("subVersion", "0");
    h.put("expressionType", "TAG");
    return h;
  }

  private DefaultMQPushConsumer startPush(
      String group, String topic, Received into, MessageModel model) throws Exception {
    DefaultMQPushConsumer c = Clients.pushConsumer(apogee, group);
    c.setMessageModel(model);
    c.subscribe(topic, "*");
    c.registerMessageListener(into.listener());
    c.start();
    toClose.add(c::shutdown);
    return c;
  }

  /** Sends {@code n} corpus messages synchronously; returns their identities. */
  private List<String> sendAll(String topic, String prefix, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SendResult r = producer.send(Corpus.message(topic, prefix, i));
      assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r::toString);
      ids.add(prefix + ":" + i);
    }
    return ids;
  }

  /**
   * Sends {@code n} corpus messages synchronously, to each of {@code queues} in turn (the client's
   * own queue choice may favour some queues), and returns their identities.
   */
  private List<String> sendSpread(List<MessageQueue> queues, String prefix, int n)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MessageQueue mq = queues.get(i % queues.size());
      SendResult r = producer.send(Corpus.message(mq.getTopic(), prefix, i), mq);
      assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r::toString);
      ids.add(prefix + ":" + i);
    }
    return ids;
  }

  /** The topic's queues once the broker has registered the auto-created topic's route. */
  private List<MessageQueue> routedQueues(String topic) throws InterruptedException {
    List<List<MessageQueue>> found = new ArrayList<>();
    Clients.awaitTrue(
        () -> {
          try {
            found.add(producer.fetchPublishMessageQueues(topic));
            return true;
          } catch (MQClientException e) {
            return false;
          }
        },
        WAIT,
        () -> "no route for " + topic);
    return found.get(0);
  }

  private long stored(List<MessageQueue> queues) {
    long sum = 0;
    for (MessageQueue mq : queues) {
      try {
        sum += producer.maxOffset(mq);
      } catch (Exception e) {
        throw new IllegalStateException("max offset of " + mq, e);
      }
    }
    return sum;
  }

  /** Waits until every queue of the topic is held by exactly one of the consumers. */
  private static void awaitShared(
      String topic, List<MessageQueue> queues, List<DefaultMQPushConsumer> consumers)
      throws InterruptedException {
    Clients.awaitTrue(
        () -> {
          List<MessageQueue> held = new ArrayList<>();
          for (DefaultMQPushConsumer c : consumers) {
            c
                .getDefaultMQPushConsumerImpl()
                .getRebalanceImpl()
                .getProcessQueueTable()
                .entrySet()
                .stream()
                .filter(e -> e.getKey().getTopic().equals(topic) && !e.getValue().isDropped())
                .forEach(e -> held.add(e.getKey()));
          }
          return held.size() == queues.size() && new HashSet<>(held).containsAll(queues);
        },
        WAIT,
        () -> "queues of " + topic + " not shared among " + consumers.size() + " consumers");
  }

  private static Set<String> union(Received... rs) {
    Set<String> u = new HashSet<>();
    for (Received r : rs) {
      u.addAll(r.ids());
    }
    return u;
  }

  private static void pollUntil(
      DefaultLitePullConsumer c, Received into, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("lite pull consumer got " + into.distinct() + " in " + WAIT);
      }
      for (MessageExt m : c.poll(1000)) {
        into.accept(m);
      }
    }
  }
}
