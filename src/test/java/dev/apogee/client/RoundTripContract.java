package dev.apogee.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Round trips through the reactive client that must hold against any RocketMQ-compatible broker:
 * subclasses supply the name server (an in-process Apogee, or Apache RocketMQ). Each test uses its
 * own topic and groups.
 */
abstract class RoundTripContract {
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicLong SEQ = new AtomicLong();

  /** A body with characters from several scripts, so a lossy encoding shows. */
  static final String NON_ASCII = "héllo wörld ✓ 日本語 Ελληνικά 🚀";

  protected Vertx vertx = Vertx.vertx();
  private final List<Future<Void>> toClose = new ArrayList<>();
  private final List<Producer> producersToClose = new ArrayList<>();

  /** {@code host:port} of the name server under test. */
  abstract String namesrvAddr();

  @AfterEach
  void closeClients() {
    for (Producer p : producersToClose) {
      Await.result(p.close());
    }
    producersToClose.clear();
  }

  @AfterAll
  void closeVertx() {
    Await.result(vertx.close());
  }

  static String unique(String prefix) {
    return prefix + "-" + System.currentTimeMillis() % 1_000_000 + "-" + SEQ.incrementAndGet();
  }

  Producer producer() {
    Producer p =
        Producer.create(
            vertx,
            new ProducerOptions()
                .setNameServerAddress(namesrvAddr())
                .setProducerGroup(unique("pg")));
    producersToClose.add(p);
    return p;
  }

  PullConsumerOptions pullOptions(String group) {
    return new PullConsumerOptions()
        .setNameServerAddress(namesrvAddr())
        .setConsumerGroup(group)
        .setConsumeFromWhere(ConsumeFromWhere.FIRST_OFFSET)
        .setPollTimeout(Duration.ofSeconds(5));
  }

  PushConsumerOptions pushOptions(String group) {
    return new PushConsumerOptions()
        .setNameServerAddress(namesrvAddr())
        .setConsumerGroup(group)
        .setConsumeFromWhere(ConsumeFromWhere.FIRST_OFFSET)
        .setPollTimeout(Duration.ofSeconds(2))
        .setPullErrorDelay(Duration.ofMillis(200))
        .setPersistOffsetInterval(Duration.ofMillis(500));
  }

  /**
   * Waits until the name server routes {@code topic}: a broker registers a topic that a send
   * created just after answering the send, so a consumer started at once may not find it yet.
   */
  void awaitRoute(String topic) {
    PullConsumer probe = PullConsumer.create(vertx, pullOptions(unique("probe")));
    try {
      Await.until(
          () -> {
            Future<List<MessageQueue>> queues = probe.queues(topic);
            return Await.settled(queues).succeeded() && !queues.result().isEmpty();
          },
          WAIT,
          () -> "no route of " + topic);
    } finally {
      Await.result(probe.close());
    }
  }

  /** Pulls {@code queue} from {@code from} until {@code n} messages are in. */
  List<ReceivedMessage> pullN(PullConsumer c, MessageQueue queue, long from, int n) {
    awaitRoute(queue.topic());
    Await.result(c.seek(queue, from));
    List<ReceivedMessage> got = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (got.size() < n) {
      assertTrue(System.nanoTime() < deadline, "only " + got.size() + " of " + n + " pulled");
      got.addAll(Await.result(c.pull(queue, 32)).messages());
    }
    return got;
  }

  @Test
  void sendsAndPullsTagsKeysPropertiesFlagAndNonAsciiBodiesIntact() {
    String topic = unique("RoundTrip");
    Producer producer = producer();
    List<SendResult> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Message m =
          new Message(topic, NON_ASCII + " #" + i)
              .setTags("Tag" + i)
              .setKeys("key-" + i, "order-" + i)
              .putProperty("color", "grün-" + i)
              .setFlag(7 + i);
      results.add(Await.result(producer.send(m)));
    }
    PullConsumer consumer = PullConsumer.create(vertx, pullOptions(unique("cg")));
    try {
      for (int i = 0; i < 3; i++) {
        SendResult r = results.get(i);
        assertEquals(SendStatus.SEND_OK, r.status());
        assertEquals(32, r.msgId().length(), r.msgId());
        assertNotNull(r.offsetMsgId());
        ReceivedMessage m = pullN(consumer, r.queue(), r.queueOffset(), 1).get(0);
        assertEquals(NON_ASCII + " #" + i, m.bodyAsString());
        assertEquals(topic, m.topic());
        assertEquals("Tag" + i, m.tags());
        assertEquals(List.of("key-" + i, "order-" + i), m.keys());
        assertEquals("grün-" + i, m.property("color"));
        assertEquals(7 + i, m.flag());
        assertEquals(r.msgId(), m.msgId());
        assertEquals(r.offsetMsgId(), m.offsetMsgId());
        assertEquals(r.queue(), m.queue());
        assertEquals(r.queueOffset(), m.queueOffset());
        assertEquals(0, m.sysFlag() & 0x1, "a small body is not compressed");
        assertTrue(m.storeTimestamp() >= m.bornTimestamp() - 1000);
      }
    } finally {
      Await.result(consumer.close());
    }
  }

  @Test
  void compressesLargeBodiesAndDeliversThemInflated() {
    String topic = unique("Compressed");
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 64 * 1024; i++) {
      text.append(NON_ASCII).append(' ').append(i).append('\n');
    }
    SendResult r =
        Await.result(producer().send(new Message(topic, text.toString()).setTags("big")));
    PullConsumer consumer = PullConsumer.create(vertx, pullOptions(unique("cg")));
    try {
      ReceivedMessage m = pullN(consumer, r.queue(), r.queueOffset(), 1).get(0);
      assertEquals(text.toString(), m.bodyAsString());
      assertEquals(0x1, m.sysFlag() & 0x1, "stored compressed");
      assertEquals("big", m.tags());
    } finally {
      Await.result(consumer.close());
    }
  }

  @Test
  void batchGoesToOneQueueWithConsecutiveOffsetsAndItsOwnIds() {
    String topic = unique("Batch");
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(new Message(topic, "batch " + i + " " + NON_ASCII).setKeys("b" + i).setTags("T"));
    }
    SendResult r = Await.result(producer().sendBatch(batch));
    List<String> ids = List.of(r.msgId().split(","));
    assertEquals(10, ids.size());
    assertEquals(10, r.offsetMsgId().split(",").length);
    PullConsumer consumer = PullConsumer.create(vertx, pullOptions(unique("cg")));
    try {
      List<ReceivedMessage> got = pullN(consumer, r.queue(), r.queueOffset(), 10);
      for (int i = 0; i < 10; i++) {
        ReceivedMessage m = got.get(i);
        assertEquals("batch " + i + " " + NON_ASCII, m.bodyAsString());
        assertEquals(r.queueOffset() + i, m.queueOffset());
        assertEquals(ids.get(i), m.msgId());
        assertEquals(List.of("b" + i), m.keys());
        assertEquals("T", m.tags());
      }
    } finally {
      Await.result(consumer.close());
    }
  }

  @Test
  void onewayMessagesAreStored() {
    String topic = unique("Oneway");
    Producer producer = producer();
    // a first acknowledged send creates the topic, so the oneway sends find its route
    Await.result(producer.send(new Message(topic, "first")));
    for (int i = 0; i < 5; i++) {
      Await.result(producer.sendOneway(new Message(topic, "oneway " + i)));
    }
    awaitRoute(topic);
    PullConsumer consumer =
        PullConsumer.create(vertx, pullOptions(unique("cg")).setPollTimeout(Duration.ZERO));
    try {
      List<MessageQueue> queues = Await.result(consumer.queues(topic));
      Set<String> bodies = new HashSet<>();
      Await.until(
          () -> {
            for (MessageQueue q : queues) {
              Await.result(consumer.pull(q, 32))
                  .messages()
                  .forEach(m -> bodies.add(m.bodyAsString()));
            }
            return bodies.size() == 6;
          },
          WAIT,
          () -> "received " + bodies);
    } finally {
      Await.result(consumer.close());
    }
  }

  @Test
  void pullSeeksAndCommitsOffsets() {
    String topic = unique("Seek");
    Producer producer = producer();
    MessageQueue queue = null;
    long first = -1;
    for (int i = 0; i < 5; i++) {
      SendResult r =
          Await.result(
              producer.send(new Message(topic, "m" + i), MessageQueueSelector.byHash(), "k"));
      queue = r.queue();
      first = first < 0 ? r.queueOffset() : first;
    }
    awaitRoute(topic);
    String group = unique("cg");
    PullConsumer c1 = PullConsumer.create(vertx, pullOptions(group));
    PullConsumer c2 = PullConsumer.create(vertx, pullOptions(group));
    try {
      assertEquals(-1L, Await.result(c1.committed(queue)));
      Await.result(c1.seek(queue, first));
      List<ReceivedMessage> two = Await.result(c1.pull(queue, 2)).messages();
      assertEquals(List.of("m0", "m1"), bodies(two));
      assertEquals(first + 2, Await.result(c1.position(queue)));
      Await.result(c1.commit(queue));
      assertEquals(first + 2, Await.result(c1.committed(queue)));

      // a second consumer of the group starts at the committed offset
      assertEquals(first + 2, Await.result(c2.position(queue)));
      assertEquals(List.of("m2", "m3", "m4"), bodies(pullN(c2, queue, first + 2, 3)));

      Await.result(c1.seek(queue, first + 4));
      assertEquals(List.of("m4"), bodies(Await.result(c1.pull(queue, 32)).messages()));
      Await.result(c1.seekToBeginning(queue));
      assertEquals(Await.result(c1.minOffset(queue)), Await.result(c1.position(queue)));
      Await.result(c1.seekToEnd(queue));
      assertEquals(first + 5, Await.result(c1.position(queue)));
      assertEquals(first + 5, Await.result(c1.maxOffset(queue)));
      Await.result(c1.commit(queue, first + 1));
      assertEquals(first + 1, Await.result(c2.committed(queue)));
    } finally {
      Await.result(c1.close());
      Await.result(c2.close());
    }
  }

  @Test
  void pullsCarryTheTagExpressionAndGetOnlyMatchingMessages() {
    String topic = unique("PullTags");
    Producer producer = producer();
    List<SendResult> sent = new ArrayList<>();
    for (String tag : List.of("A", "B", "A", "C")) {
      sent.add(
          Await.result(
              producer.send(
                  new Message(topic, tag + sent.size()).setTags(tag),
                  MessageQueueSelector.byHash(),
                  "one queue")));
    }
    MessageQueue queue = sent.get(0).queue();
    awaitRoute(topic);
    PullConsumer consumer = PullConsumer.create(vertx, pullOptions(unique("cg")));
    try {
      consumer.subscribe(topic, "A || C");
      Await.result(consumer.seek(queue, sent.get(0).queueOffset()));
      List<ReceivedMessage> got = new ArrayList<>();
      long end = sent.get(3).queueOffset() + 1;
      while (Await.result(consumer.position(queue)) < end) {
        got.addAll(Await.result(consumer.pull(queue, 32)).messages());
      }
      assertEquals(List.of("A0", "A2", "C3"), bodies(got));
    } finally {
      Await.result(consumer.close());
    }
  }

  @Test
  void heldPullWakesUpWhenAMessageArrives() {
    String topic = unique("LongPoll");
    Producer producer = producer();
    SendResult first =
        Await.result(producer.send(new Message(topic, "first"), MessageQueueSelector.byHash(), 1));
    MessageQueue queue = first.queue();
    awaitRoute(topic);
    PullConsumer consumer =
        PullConsumer.create(
            vertx, pullOptions(unique("cg")).setPollTimeout(Duration.ofSeconds(25)));
    try {
      Await.result(consumer.seek(queue, first.queueOffset() + 1));
      long start = System.nanoTime();
      Future<PullResult> held = consumer.pull(queue, 32);
      Await.result(producer.send(new Message(topic, "second"), queue));
      PullResult r = Await.result(held);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(PullStatus.FOUND, r.status());
      assertEquals(List.of("second"), bodies(r.messages()));
      assertTrue(tookMs < 20_000, "the held pull answered after " + tookMs + " ms");

      // nothing arrives: the broker holds the pull for the poll time, then answers NO_NEW_MSG
      PullConsumer shortPoll =
          PullConsumer.create(
              vertx, pullOptions(unique("cg")).setPollTimeout(Duration.ofMillis(500)));
      try {
        Await.result(shortPoll.seek(queue, first.queueOffset() + 2));
        long t0 = System.nanoTime();
        PullResult empty = Await.result(shortPoll.pull(queue, 32));
        assertEquals(PullStatus.NO_NEW_MSG, empty.status());
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 400, "answered before the poll time");
        assertEquals(first.queueOffset() + 2, empty.nextOffset());
      } finally {
        Await.result(shortPoll.close());
      }
    } finally {
      Await.result(consumer.close());
    }
  }

  @Test
  void orderedSendsByKeyLandOnOneQueueInOrder() {
    String topic = unique("Ordered");
    Producer producer = producer();
    List<SendResult> results = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      results.add(
          Await.result(
              producer.send(
                  new Message(topic, "step " + i), MessageQueueSelector.byHash(), "order-42")));
    }
    Set<MessageQueue> queues = results.stream().map(SendResult::queue).collect(Collectors.toSet());
    assertEquals(1, queues.size(), queues.toString());
    for (int i = 1; i < results.size(); i++) {
      assertEquals(results.get(i - 1).queueOffset() + 1, results.get(i).queueOffset());
    }
    List<MessageQueue> all = Await.result(producer.queues(topic));
    assertEquals(all.get(Math.abs("order-42".hashCode() % all.size())), results.get(0).queue());
  }

  @Test
  void plainSendsTakeTheQueuesInTurn() {
    String topic = unique("RoundRobin");
    Producer producer = producer();
    Await.result(producer.send(new Message(topic, "create")));
    int queueCount = Await.result(producer.queues(topic)).size();
    Set<MessageQueue> used = new HashSet<>();
    for (int i = 0; i < queueCount; i++) {
      used.add(Await.result(producer.send(new Message(topic, "rr " + i))).queue());
    }
    assertEquals(queueCount, used.size(), "one message per queue: " + used);
  }

  @Test
  void refusesTooLargeOrEmptyBodiesOnTheClientSide() {
    String topic = unique("Limits");
    Producer producer = producer();
    Throwable tooLarge =
        Await.failure(producer.send(new Message(topic, new byte[4 * 1024 * 1024 + 1])));
    assertTrue(tooLarge instanceof ClientException, tooLarge.toString());
    assertTrue(
        tooLarge.getMessage().contains("4194305 bytes")
            && tooLarge.getMessage().contains("maxMessageSize 4194304"),
        tooLarge.getMessage());
    Throwable empty = Await.failure(producer.send(new Message(topic, new byte[0])));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    Throwable badTopic = Await.failure(producer.send(new Message("no spaces", "x")));
    assertTrue(badTopic.getMessage().contains("characters"), badTopic.getMessage());
    Throwable twoTopics =
        Await.failure(
            producer.sendBatch(List.of(new Message(topic, "a"), new Message(topic + "x", "b"))));
    assertTrue(twoTopics.getMessage().contains("one topic"), twoTopics.getMessage());
    Throwable delayedInBatch =
        Await.failure(producer.sendBatch(List.of(new Message(topic, "a").setDelayLevel(2))));
    assertTrue(delayedInBatch.getMessage().contains("delayed"), delayedInBatch.getMessage());
    byte[] half = new byte[2 * 1024 * 1024 + 1];
    Throwable bigBatch =
        Await.failure(
            producer.sendBatch(List.of(new Message(topic, half), new Message(topic, half))));
    assertTrue(bigBatch.getMessage().contains("maxMessageSize 4194304"), bigBatch.getMessage());
    // exactly the limit is fine (and compressed on the way)
    SendResult r = Await.result(producer.send(new Message(topic, new byte[4 * 1024 * 1024])));
    assertEquals(SendStatus.SEND_OK, r.status());
  }

  @Test
  void pushConsumerReceivesOnlyTheSubscribedTags() {
    String topic = unique("Tags");
    Producer producer = producer();
    Await.result(producer.send(new Message(topic, "A-0").setTags("A")));
    awaitRoute(topic);
    Queue<ReceivedMessage> got = new ConcurrentLinkedQueue<>();
    PushConsumer consumer =
        PushConsumer.create(vertx, pushOptions(unique("cg")))
            .subscribe(topic, "A || C")
            .handler(
                m -> {
                  got.add(m);
                  return Future.succeededFuture();
                });
    Await.result(consumer.start());
    try {
      for (int i = 1; i < 10; i++) {
        String tag = i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "C";
        Await.result(producer.send(new Message(topic, tag + "-" + i).setTags(tag)));
      }
      Set<String> expected = Set.of("A-0", "C-2", "A-3", "C-5", "A-6", "C-8", "A-9");
      Await.until(
          () ->
              got.stream()
                  .map(ReceivedMessage::bodyAsString)
                  .collect(Collectors.toSet())
                  .equals(expected),
          WAIT,
          () -> "received " + bodies(new ArrayList<>(got)));
      assertFalse(got.stream().anyMatch(m -> "B".equals(m.tags())));
    } finally {
      Await.result(consumer.close());
    }
  }

  @Test
  void twoPushConsumersOfAGroupSplitTheQueuesAndTheMessages() {
    String topic = unique("Split");
    Producer producer = producer();
    Await.result(producer.send(new Message(topic, "warm-up")));
    awaitRoute(topic);
    int queueCount = Await.result(producer.queues(topic)).size();
    String group = unique("cg");
    Map<String, Queue<ReceivedMessage>> got =
        Map.of("a", new ConcurrentLinkedQueue<>(), "b", new ConcurrentLinkedQueue<>());
    List<PushConsumer> members = new ArrayList<>();
    try {
      for (String name : List.of("a", "b")) {
        PushConsumer c =
            PushConsumer.create(vertx, pushOptions(group))
                .subscribe(topic, "*")
                .handler(
                    m -> {
                      got.get(name).add(m);
                      return Future.succeededFuture();
                    });
        members.add(c);
        Await.result(c.start());
      }
      Await.until(
          () -> {
            Set<MessageQueue> a = ownQueues(members.get(0), topic);
            Set<MessageQueue> b = ownQueues(members.get(1), topic);
            Set<MessageQueue> all = new HashSet<>(a);
            all.addAll(b);
            return a.size() == queueCount / 2
                && b.size() == queueCount / 2
                && all.size() == queueCount;
          },
          WAIT,
          () -> "assignments " + members.get(0).assignment() + " / " + members.get(1).assignment());
      Set<String> sent = new HashSet<>();
      List<Future<SendResult>> sends = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        sent.add("s" + i);
        sends.add(producer.send(new Message(topic, "s" + i)));
      }
      Await.result(Future.all(sends));
      Await.until(
          () -> received(got.get("a"), got.get("b")).containsAll(sent),
          WAIT,
          () -> "received " + received(got.get("a"), got.get("b")).size() + " of 40");
      Set<String> a = received(got.get("a"));
      a.retainAll(received(got.get("b")));
      a.retainAll(sent);
      assertEquals(Set.of(), a, "messages went to both members");
      for (int i = 0; i < 2; i++) {
        Set<MessageQueue> own = ownQueues(members.get(i), topic);
        for (ReceivedMessage m : got.get(i == 0 ? "a" : "b")) {
          if (sent.contains(m.bodyAsString())) {
            assertTrue(own.contains(m.queue()), m.queue() + " is not the member's");
          }
        }
      }
    } finally {
      for (PushConsumer c : members) {
        Await.result(c.close());
      }
    }
  }

  private static Set<MessageQueue> ownQueues(PushConsumer c, String topic) {
    return c.assignment().stream().filter(q -> q.topic().equals(topic)).collect(Collectors.toSet());
  }

  @SafeVarargs
  private static Set<String> received(Queue<ReceivedMessage>... queues) {
    Set<String> bodies = new HashSet<>();
    for (Queue<ReceivedMessage> q : queues) {
      q.forEach(m -> bodies.add(m.bodyAsString()));
    }
    return bodies;
  }

  static List<String> bodies(List<ReceivedMessage> messages) {
    return messages.stream().map(ReceivedMessage::bodyAsString).toList();
  }
}
