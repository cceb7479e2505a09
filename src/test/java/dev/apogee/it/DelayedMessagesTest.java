package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.store.Dispatcher;
import dev.apogee.store.GetResult;
import dev.apogee.store.MessageFilter;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.RecordDecoder;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages sent with a delay level by the official producer reach their consumers after the level's
 * delay, counted from their store time, with their identity intact, each written back once. Levels
 * are shortened ({@code 1s 2s 3s}) so the tests stay fast.
 */
@Timeout(60)
class DelayedMessagesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> LEVELS = Map.of("messageDelayLevel", "1s 2s 3s");
  private static final long[] DELAY_MS = {1_000, 2_000, 3_000};
  private static final int GET_ALL_DELAY_OFFSET = 45;

  @TempDir Path dir;

  /** A message as the push listener saw it, and when. */
  record Delivery(MessageExt message, long receivedAt) {}

  @Test
  void delayedMessagesArriveAfterTheirLevelsDelayAsSentAndInOrderPerLevel() throws Exception {
    String topic = "Delayed";
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, LEVELS)) {
      DefaultMQProducer producer = Clients.producer(apogee, "delay-producer");
      producer.start();
      Map<String, Delivery> got = new ConcurrentHashMap<>();
      DefaultMQPushConsumer consumer = Clients.pushConsumer(apogee, "delay-consumer");
      try {
        send(producer, topic, "warm-up", 0);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener(recorder(got));
        consumer.start();
        Clients.awaitTrue(() -> got.containsKey("warm-up"), WAIT, () -> "warm-up not consumed");

        // Interleaved levels, and one far above the highest (clamped to level 3).
        List<SendResult> sent = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          int level = i == 9 ? 40 : 1 + i % 3;
          sent.add(send(producer, topic, "d" + i, level));
          levels.add(Math.min(level, 3));
        }
        Clients.awaitTrue(
            () -> got.size() == 11, WAIT, () -> "received " + got.keySet() + " of 11");

        long maxLate = 0;
        Map<Integer, Long> lastOffsetOfLevel = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
          SendResult r = sent.get(i);
          int level = levels.get(i);
          Delivery d = got.get("d" + i);
          MessageExt m = d.message();
          assertEquals(topic, m.getTopic());
          assertEquals(r.getMsgId(), m.getMsgId(), "msgId (UNIQ_KEY) kept");
          assertEquals(r.getMessageQueue().getQueueId(), m.getQueueId(), "the queue sent to");
          assertEquals("T" + i, m.getTags());
          assertEquals("key" + i + " other" + i, m.getKeys());
          assertEquals(String.valueOf(i), m.getUserProperty("seq"));
          assertNull(m.getProperty("DELAY"));
          assertNull(m.getProperty("REAL_TOPIC"));
          assertNull(m.getProperty("REAL_QID"));

          long scheduledAt = scheduledStoreTime(apogee, r, level);
          long due = scheduledAt + DELAY_MS[level - 1];
          assertTrue(
              m.getStoreTimestamp() >= due,
              () -> m.getMsgId() + " written back " + (due - m.getStoreTimestamp()) + " ms early");
          assertTrue(d.receivedAt() >= due, "d" + i + " received before its due time");
          maxLate = Math.max(maxLate, m.getStoreTimestamp() - due);
          // Per level, written back in the order sent.
          Long before = lastOffsetOfLevel.put(level, m.getCommitLogOffset());
          assertTrue(
              before == null || before < m.getCommitLogOffset(), "level " + level + " order");
        }
        System.out.printf("delayed delivery: written back at most %d ms after due%n", maxLate);

        JsonObject offsets = allDelayOffsets(apogee);
        assertEquals(3L, offsets.getJsonObject("offsetTable").getLong("1"), offsets.encode());
        assertEquals(3L, offsets.getJsonObject("offsetTable").getLong("2"), offsets.encode());
        assertEquals(4L, offsets.getJsonObject("offsetTable").getLong("3"), offsets.encode());
      } finally {
        consumer.shutdown();
        producer.shutdown();
      }
    }
  }

  @Test
  void manyDelayedMessagesArrivingWhileLevelsDeliverAreEachWrittenBackOnce() throws Exception {
    String topic = "DelayedMany";
    int n = 250;
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, LEVELS)) {
      DefaultMQProducer producer = Clients.producer(apogee, "many-producer");
      producer.start();
      try {
        send(producer, topic, "warm-up", 0);
        // Sent one by one over a second or two: units keep arriving while levels deliver.
        for (int i = 0; i < n; i++) {
          Message m = new Message(topic, ("m" + i).getBytes(StandardCharsets.UTF_8));
          m.setDelayTimeLevel(1 + i % 2);
          assertEquals(SendStatus.SEND_OK, producer.send(m).getSendStatus());
        }
      } finally {
        producer.shutdown();
      }
      Clients.awaitTrue(
          () -> {
            JsonObject t = allDelayOffsets(apogee).getJsonObject("offsetTable");
            return t.getLong("1") + t.getLong("2") == n;
          },
          WAIT,
          () -> "delay offsets " + allDelayOffsets(apogee).encode());
      Set<String> ids = new HashSet<>();
      List<String> twice = new ArrayList<>();
      for (int q = 0; q < 8; q++) {
        GetResult r =
            apogee.node.store().getMessages(topic, q, 0, 10_000, 64 << 20, MessageFilter.ALL);
        try {
          for (SelectedRecord rec : r.records()) {
            String body = RecordDecoder.decode(rec.buffer(), 0).uniqKey();
            if (!ids.add(body)) {
              twice.add(body);
            }
          }
        } finally {
          r.release();
        }
      }
      assertEquals(List.of(), twice, "written back twice");
      assertEquals(n + 1, ids.size());
    }
  }

  private static MessageListenerConcurrently recorder(Map<String, Delivery> got) {
    return (msgs, ctx) -> {
      long now = System.currentTimeMillis();
      for (MessageExt m : msgs) {
        got.put(new String(m.getBody(), StandardCharsets.UTF_8), new Delivery(m, now));
      }
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    };
  }

  static SendResult send(DefaultMQProducer p, String topic, String body, int level)
      throws Exception {
    int seq = body.startsWith("d") ? Integer.parseInt(body.substring(1)) : 0;
    Message m =
        new Message(
            topic, "T" + seq, "key" + seq + " other" + seq, body.getBytes(StandardCharsets.UTF_8));
    m.putUserProperty("seq", String.valueOf(seq));
    if (level > 0) {
      m.setDelayTimeLevel(level);
    }
    SendResult r = p.send(m);
    assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r::toString);
    return r;
  }

  /** Store time of the record a delayed send wrote, checking it sits in its level's queue. */
  private static long scheduledStoreTime(ApogeeFixture apogee, SendResult r, int level)
      throws Exception {
    long phy = MessageDecoder.decodeMessageId(r.getOffsetMsgId()).getOffset();
    SelectedRecord rec = apogee.node.store().selectRecord(phy);
    try {
      assertEquals(Dispatcher.SCHEDULE_TOPIC, RecordDecoder.topic(rec.buffer(), 0));
      assertEquals(level - 1, RecordDecoder.queueId(rec.buffer(), 0), "schedule queue");
      return RecordDecoder.storeTimestamp(rec.buffer(), 0);
    } finally {
      rec.release();
    }
  }

  static long stored(ApogeeFixture apogee, String topic) {
    long n = 0;
    for (int q = 0; q < 8; q++) {
      n += apogee.node.store().maxOffsetInQueue(topic, q);
    }
    return n;
  }

  static JsonObject allDelayOffsets(ApogeeFixture apogee) {
    try (RawBrokerSocket s = new RawBrokerSocket(apogee.node.broker().port())) {
      RawBrokerSocket.Frame f = s.call(GET_ALL_DELAY_OFFSET, Map.of(), new byte[0]);
      assertEquals(0, f.code(), f::toString);
      return new JsonObject(new String(f.body(), StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
