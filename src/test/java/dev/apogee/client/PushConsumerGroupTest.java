package dev.apogee.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push consumers in groups, against an in-process Apogee: clustering divides the queues, a member
 * leaving hands its queues over without loss, broadcasting gives everyone everything, the handler
 * bound holds, failed handling is retried, and a group shared with the official client splits its
 * queues as the official client expects.
 */
@Timeout(90)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushConsumerGroupTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int QUEUES = 8;

  @TempDir static Path dir;
  private ApogeeServer apogee;
  private final Vertx vertx = Vertx.vertx();
  private Producer producer;
  private final List<PushConsumer> consumers = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    apogee = ApogeeServer.standalone(dir.resolve("apogee"));
    producer =
        Producer.create(
            vertx,
            new ProducerOptions()
                .setNameServerAddress(apogee.namesrvAddr())
                .setProducerGroup("group-test-producer")
                .setDefaultTopicQueueNums(QUEUES));
  }

  @AfterEach
  void closeConsumers() {
    for (PushConsumer c : consumers) {
      Await.result(c.close());
    }
    consumers.clear();
  }

  @AfterAll
  void stop() throws Exception {
    Await.result(producer.close());
    Await.result(vertx.close());
    apogee.close();
  }

  /** A topic with {@value #QUEUES} queues that the name server routes. */
  private String topic(String prefix) {
    String topic = RoundTripContract.unique(prefix);
    Await.result(producer.send(new Message(topic, "warm-up")));
    PullConsumer probe = PullConsumer.create(vertx, pullOptions());
    try {
      Await.until(
          () -> {
            Future<List<MessageQueue>> f = probe.queues(topic);
            return Await.settled(f).succeeded() && f.result().size() == QUEUES;
          },
          WAIT,
          () -> "no route of " + topic);
    } finally {
      Await.result(probe.close());
    }
    return topic;
  }

  private PullConsumerOptions pullOptions() {
    return new PullConsumerOptions()
        .setNameServerAddress(apogee.namesrvAddr())
        .setConsumerGroup(RoundTripContract.unique("probe"));
  }

  private PushConsumerOptions options(String group) {
    return new PushConsumerOptions()
        .setNameServerAddress(apogee.namesrvAddr())
        .setConsumerGroup(group)
        .setConsumeFromWhere(dev.apogee.client.ConsumeFromWhere.FIRST_OFFSET)
        .setPollTimeout(Duration.ofSeconds(2))
        .setPullErrorDelay(Duration.ofMillis(200))
        .setPersistOffsetInterval(Duration.ofMillis(300));
  }

  /** Bodies received per consumer, and the queues they came from. */
  private static final class Received {
    final Queue<String> bodies = new ConcurrentLinkedQueue<>();
    final Set<MessageQueue> queues = ConcurrentHashMap.newKeySet();

    MessageHandler handler() {
      return m -> {
        record(m);
        return Future.succeededFuture();
      };
    }

    void record(ReceivedMessage m) {
      if (!m.bodyAsString().equals("warm-up")) {
        bodies.add(m.bodyAsString());
        queues.add(m.queue());
      }
    }

    Set<String> set() {
      return new HashSet<>(bodies);
    }
  }

  private PushConsumer started(PushConsumerOptions options, String topic, MessageHandler handler) {
    PushConsumer c = PushConsumer.create(vertx, options).subscribe(topic, "*").handler(handler);
    consumers.add(c);
    Await.result(c.start());
    return c;
  }

  private static Set<MessageQueue> queuesOf(PushConsumer c, String topic) {
    return c.assignment().stream().filter(q -> q.topic().equals(topic)).collect(Collectors.toSet());
  }

  private void awaitSplit(String topic, PushConsumer a, PushConsumer b) {
    Await.until(
        () -> {
          Set<MessageQueue> qa = queuesOf(a, topic);
          Set<MessageQueue> qb = queuesOf(b, topic);
          Set<MessageQueue> union = new HashSet<>(qa);
          union.addAll(qb);
          return qa.size() == QUEUES / 2 && qb.size() == QUEUES / 2 && union.size() == QUEUES;
        },
        WAIT,
        () -> "assignments " + queuesOf(a, topic) + " and " + queuesOf(b, topic));
  }

  private Set<String> send(String topic, String prefix, int n) {
    List<Future<SendResult>> sent = new ArrayList<>();
    Set<String> bodies = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String body = prefix + "-" + i;
      bodies.add(body);
      sent.add(producer.send(new Message(topic, body)));
    }
    Await.result(Future.all(sent));
    return bodies;
  }

  private static Set<String> union(Received a, Received b) {
    Set<String> all = a.set();
    all.addAll(b.set());
    return all;
  }

  @Test
  void clusteringMembersReceiveDisjointSetsWhoseUnionIsEverything() {
    String topic = topic("Cluster");
    String group = RoundTripContract.unique("cg");
    Received ra = new Received();
    Received rb = new Received();
    PushConsumer a = started(options(group), topic, ra.handler());
    PushConsumer b = started(options(group), topic, rb.handler());
    awaitSplit(topic, a, b);

    Set<String> sent = send(topic, "c", 200);
    Await.until(() -> union(ra, rb).equals(sent), WAIT, () -> union(ra, rb).size() + " of 200");
    Set<String> both = ra.set();
    both.retainAll(rb.set());
    assertEquals(Set.of(), both, "a message went to both members");
    assertFalse(ra.bodies.isEmpty() || rb.bodies.isEmpty(), "each member gets messages");
    assertEquals(200, ra.bodies.size() + rb.bodies.size(), "no message twice");
    assertTrue(queuesOf(a, topic).containsAll(ra.queues), "a read only its queues");
    assertTrue(queuesOf(b, topic).containsAll(rb.queues), "b read only its queues");
  }

  @Test
  void aLeavingMemberHandsItsQueuesOverWithoutLosingAMessage() {
    String topic = topic("Leave");
    String group = RoundTripContract.unique("cg");
    Received ra = new Received();
    Received rb = new Received();
    PushConsumer a = started(options(group), topic, ra.handler());
    // b completes each message a little later, so some are still open when it leaves
    PushConsumer b =
        started(
            options(group),
            topic,
            m -> {
              Promise<Void> p = Promise.promise();
              vertx.setTimer(
                  2,
                  t -> {
                    rb.record(m);
                    p.complete();
                  });
              return p.future();
            });
    awaitSplit(topic, a, b);

    Set<String> sent = send(topic, "l", 300);
    Await.until(() -> rb.bodies.size() >= 20, WAIT, () -> "b received " + rb.bodies.size());
    Await.result(b.close());
    consumers.remove(b);
    Await.until(
        () -> queuesOf(a, topic).size() == QUEUES, WAIT, () -> "a owns " + queuesOf(a, topic));
    sent.addAll(send(topic, "after", 50));
    Await.until(
        () -> union(ra, rb).containsAll(sent),
        WAIT,
        () -> {
          Set<String> missing = new HashSet<>(sent);
          missing.removeAll(union(ra, rb));
          return missing.size() + " missing, e.g. " + missing.stream().limit(5).toList();
        });
  }

  @Test
  void broadcastingMembersEachReceiveEverythingAndKeepTheirOffsetsLocally() throws Exception {
    String topic = topic("Broadcast");
    String group = RoundTripContract.unique("cg");
    Path offsets = dir.resolve("offsets");
    PushConsumerOptions kept =
        options(group)
            .setMessageModel(MessageModel.BROADCASTING)
            .setLocalOffsetStoreDir(offsets.toString());
    Received ra = new Received();
    Received rb = new Received();
    PushConsumer a = started(kept, topic, ra.handler());
    started(options(group).setMessageModel(MessageModel.BROADCASTING), topic, rb.handler());
    Set<String> sent = send(topic, "b", 50);
    Await.until(() -> ra.set().equals(sent), WAIT, () -> "a has " + ra.bodies.size());
    Await.until(() -> rb.set().equals(sent), WAIT, () -> "b has " + rb.bodies.size());
    assertEquals(QUEUES, queuesOf(a, topic).size(), "a broadcasting member reads every queue");

    Await.result(a.close());
    consumers.remove(a);
    assertTrue(Files.exists(offsets.resolve(group).resolve("offsets.json")));
    Set<String> later = send(topic, "later", 10);
    Received again = new Received();
    started(kept, topic, again.handler());
    Await.until(() -> again.set().containsAll(later), WAIT, () -> "again has " + again.set());
    assertEquals(later, again.set(), "a restarted member continues where it stopped");
  }

  @Test
  void noMoreThanMaxInFlightMessagesAreWithTheHandlerAtOnce() {
    String topic = topic("Bound");
    Set<String> sent = send(topic, "x", 60);
    int max = 5;
    AtomicInteger open = new AtomicInteger();
    AtomicInteger highest = new AtomicInteger();
    List<Promise<Void>> held = new ArrayList<>();
    Received r = new Received();
    started(
        options(RoundTripContract.unique("cg")).setMaxInFlight(max).setPullBatchSize(32),
        topic,
        m -> {
          r.record(m);
          highest.accumulateAndGet(open.incrementAndGet(), Math::max);
          Promise<Void> p = Promise.promise();
          held.add(p);
          if (open.get() == max) {
            // the bound is reached: only now let them all go
            List<Promise<Void>> release = new ArrayList<>(held);
            held.clear();
            open.set(0);
            release.forEach(Promise::complete);
          }
          return p.future();
        });
    Await.until(
        () -> r.set().equals(sent),
        WAIT,
        () -> "received " + r.bodies.size() + ", highest open " + highest.get());
    assertEquals(max, highest.get(), "open messages never above the bound, and it was reached");
  }

  @Test
  void failedHandlingIsRetriedAfterTheDelayAndGivenUpAfterTheLimit() {
    String topic = topic("Retry");
    String group = RoundTripContract.unique("cg");
    Map<String, Queue<Integer>> attempts = new ConcurrentHashMap<>();
    AtomicLong poisonOffset = new AtomicLong(-1);
    started(
        options(group).setRetryDelay(Duration.ofMillis(50)).setMaxReconsumeTimes(3),
        topic,
        m -> {
          attempts
              .computeIfAbsent(m.bodyAsString(), k -> new ConcurrentLinkedQueue<>())
              .add(m.reconsumeTimes());
          switch (m.bodyAsString()) {
            case "flaky":
              return m.reconsumeTimes() < 2
                  ? Future.failedFuture(new IllegalStateException("not yet"))
                  : Future.succeededFuture();
            case "thrower":
              if (m.reconsumeTimes() == 0) {
                throw new IllegalStateException("thrown by the handler");
              }
              return Future.succeededFuture();
            case "poison":
              poisonOffset.set(m.queueOffset());
              return Future.failedFuture(new IllegalStateException("never"));
            default:
              return Future.succeededFuture();
          }
        });
    SendResult poison =
        Await.result(producer.send(new Message(topic, "poison"), MessageQueueSelector.byHash(), 3));
    Await.result(producer.send(new Message(topic, "flaky")));
    Await.result(producer.send(new Message(topic, "thrower")));
    Await.until(
        () ->
            attempts.getOrDefault("flaky", new ConcurrentLinkedQueue<>()).size() == 3
                && attempts.getOrDefault("thrower", new ConcurrentLinkedQueue<>()).size() == 2
                && attempts.getOrDefault("poison", new ConcurrentLinkedQueue<>()).size() == 4,
        WAIT,
        () -> "attempts " + attempts);
    assertEquals(List.of(0, 1, 2), new ArrayList<>(attempts.get("flaky")));
    assertEquals(List.of(0, 1), new ArrayList<>(attempts.get("thrower")));
    assertEquals(List.of(0, 1, 2, 3), new ArrayList<>(attempts.get("poison")));
    // once given up, the poison message no longer holds the group's offset back
    PullConsumer check = PullConsumer.create(vertx, pullOptions().setConsumerGroup(group));
    try {
      Await.until(
          () -> Await.result(check.committed(poison.queue())) > poison.queueOffset(),
          WAIT,
          () -> "committed " + Await.result(check.committed(poison.queue())));
    } finally {
      Await.result(check.close());
    }
  }

  @Test
  void aGroupSharedWithTheOfficialPushConsumerSplitsTheQueuesBetweenThem() throws Exception {
    String topic = topic("Mixed");
    String group = RoundTripContract.unique("cg");
    Queue<String> officialBodies = new ConcurrentLinkedQueue<>();
    Set<Integer> officialQueues = ConcurrentHashMap.newKeySet();
    DefaultMQPushConsumer official = new DefaultMQPushConsumer(group);
    official.setNamesrvAddr(apogee.namesrvAddr());
    official.setInstanceName("official-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    official.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    // The official client raises its subscription version at each rebalance and heartbeats it,
    // but skips that heartbeat when its periodic one holds the lock; its pulls are then refused
    // (SUBSCRIPTION_NOT_LATEST) until the next heartbeat, 30 s later by default.
    official.setHeartbeatBrokerInterval(1000);
    official.subscribe(topic, "*");
    official.registerMessageListener(
        (MessageListenerConcurrently)
            (msgs, context) -> {
              for (MessageExt m : msgs) {
                String body = new String(m.getBody(), java.nio.charset.StandardCharsets.UTF_8);
                if (!body.equals("warm-up")) {
                  officialBodies.add(body);
                  officialQueues.add(m.getQueueId());
                }
              }
              return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
    official.start();
    try {
      Received ours = new Received();
      PushConsumer mine = started(options(group), topic, ours.handler());
      Await.until(
          () -> {
            Set<Integer> theirs = officialAssignment(official, topic);
            Set<Integer> ourIds =
                queuesOf(mine, topic).stream()
                    .map(MessageQueue::queueId)
                    .collect(Collectors.toSet());
            Set<Integer> all = new HashSet<>(theirs);
            all.addAll(ourIds);
            return theirs.size() == QUEUES / 2
                && ourIds.size() == QUEUES / 2
                && all.size() == QUEUES;
          },
          WAIT,
          () ->
              "official "
                  + officialAssignment(official, topic)
                  + ", ours "
                  + queuesOf(mine, topic));

      Set<String> sent = send(topic, "m", 200);
      Await.until(
          () -> {
            Set<String> all = ours.set();
            all.addAll(officialBodies);
            return all.equals(sent);
          },
          WAIT,
          () -> ours.bodies.size() + " + " + officialBodies.size() + " of 200");
      Set<String> both = ours.set();
      both.retainAll(new HashSet<>(officialBodies));
      assertEquals(Set.of(), both, "a message went to both clients");
      assertFalse(ours.bodies.isEmpty() || officialBodies.isEmpty());
      Set<Integer> ourIds =
          ours.queues.stream().map(MessageQueue::queueId).collect(Collectors.toSet());
      ourIds.retainAll(officialQueues);
      assertEquals(Set.of(), ourIds, "the clients read disjoint queues");
    } finally {
      official.shutdown();
    }
  }

  /** The queue ids of {@code topic} the official consumer pulls now. */
  private static Set<Integer> officialAssignment(DefaultMQPushConsumer c, String topic) {
    return c
        .getDefaultMQPushConsumerImpl()
        .getRebalanceImpl()
        .getProcessQueueTable()
        .entrySet()
        .stream()
        .filter(e -> e.getKey().getTopic().equals(topic) && !e.getValue().isDropped())
        .map(e -> e.getKey().getQueueId())
        .collect(Collectors.toSet());
  }
}
