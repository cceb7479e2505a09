package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A clustering group's consumed offsets outlive a broker restart on the same data directory. */
@Timeout(120)
class OffsetsSurviveRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int QUERY_CONSUMER_OFFSET = 14;
  private static final String TOPIC = "Restart";
  private static final String GROUP = "restart-group";

  @TempDir Path dir;

  @Test
  void aNewConsumerAfterRestartGetsExactlyTheUnconsumedHalf() throws Exception {
    int half = 300;
    List<String> firstHalf;
    List<String> secondHalf;
    Map<Integer, Long> committed;
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, Map.of())) {
      DefaultMQProducer producer = Clients.producer(apogee, "restart-producer");
      producer.start();
      List<MessageQueue> queues;
      try {
        firstHalf = send(producer, "first", half);
        queues = producer.fetchPublishMessageQueues(TOPIC);
        Received before = new Received();
        DefaultMQPushConsumer c = Clients.pushConsumer(apogee, GROUP);
        c.subscribe(TOPIC, "*");
        c.registerMessageListener(before.listener());
        c.start();
        try {
          Clients.awaitTrue(
              () -> before.containsAll(firstHalf), WAIT, () -> "got " + before.distinct());
          // The listener has returned for every message once the consumer's own offsets reach
          // the end of each queue; shutdown then persists exactly those.
          Map<MessageQueue, Long> ends = new HashMap<>();
          for (MessageQueue mq : queues) {
            ends.put(mq, producer.maxOffset(mq));
          }
          Clients.awaitTrue(
              () ->
                  ends.entrySet().stream()
                      .allMatch(
                          e ->
                              c.getOffsetStore()
                                      .readOffset(e.getKey(), ReadOffsetType.READ_FROM_MEMORY)
                                  == e.getValue()),
              WAIT,
              () -> "consumer offsets never reached " + ends);
          before.assertNoFailedChecks();
          assertEquals(List.of(), before.duplicates());
        } finally {
          c.shutdown();
        }
        committed = committedOffsets(apogee, queues);
        long sum = committed.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(half, sum, "offsets committed before the restart: " + committed);
        secondHalf = send(producer, "second", half);
      } finally {
        producer.shutdown();
      }
    }

    try (ApogeeFixture apogee = ApogeeFixture.start(dir, Map.of())) {
      List<MessageQueue> queues = new ArrayList<>();
      for (int q : committed.keySet()) {
        queues.add(new MessageQueue(TOPIC, "broker-a", q));
      }
      assertEquals(committed, committedOffsets(apogee, queues), "offsets after the restart");
      Received after = new Received();
      DefaultMQPushConsumer c = Clients.pushConsumer(apogee, GROUP);
      c.subscribe(TOPIC, "*");
      c.registerMessageListener(after.listener());
      c.start();
      try {
        Clients.awaitTrue(
            () -> after.containsAll(secondHalf), WAIT, () -> "got " + after.distinct());
      } finally {
        c.shutdown();
      }
      after.assertNoFailedChecks();
      List<String> redelivered = new ArrayList<>(after.ids());
      redelivered.retainAll(firstHalf);
      assertEquals(List.of(), redelivered, "consumed before the restart, delivered again");
    }
  }

  private static List<String> send(DefaultMQProducer producer, String prefix, int n)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SendResult r = producer.send(Corpus.message(TOPIC, prefix, i));
      assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r::toString);
      ids.add(prefix + ":" + i);
    }
    return ids;
  }

  /** The group's offset of each queue as the broker answers QUERY_CONSUMER_OFFSET. */
  private static Map<Integer, Long> committedOffsets(
      ApogeeFixture apogee, List<MessageQueue> queues) throws Exception {
    Map<Integer, Long> offsets = new HashMap<>();
    try (RawBrokerSocket s = new RawBrokerSocket(apogee.node.broker().port())) {
      for (MessageQueue mq : queues) {
        RawBrokerSocket.Frame f =
            s.call(
                QUERY_CONSUMER_OFFSET,
                Map.of(
                    "consumerGroup",
                    GROUP,
                    "topic",
                    TOPIC,
                    "queueId",
                    String.valueOf(mq.getQueueId()),
                    "setZeroIfNotFound",
                    "false"),
                new byte[0]);
        assertEquals(0, f.code(), () -> "QUERY_CONSUMER_OFFSET " + mq + ": " + f);
        offsets.put(mq.getQueueId(), Long.parseLong(f.extField("offset")));
      }
    }
    assertTrue(offsets.values().stream().allMatch(o -> o >= 0), offsets::toString);
    return offsets;
  }
}
