package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed messages pending when the broker stops are delivered after it starts again on the same
 * data, each once, from the progress saved in {@code config/delayOffset.json}.
 */
@Timeout(120)
class DelayedMessagesRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void pendingDelayedMessagesAreDeliveredOnceAfterARestart() throws Exception {
    String topic = "DelayedRestart";
    int n = 20;
    List<String> early = new ArrayList<>();
    List<String> late = new ArrayList<>();
    // Level 3 long enough to be certainly pending at the stop.
    Map<String, String> levels = Map.of("messageDelayLevel", "1s 2s 6s");
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, levels)) {
      DefaultMQProducer producer = Clients.producer(apogee, "restart-producer");
      producer.start();
      try {
        for (int i = 0; i < n; i++) {
          DelayedMessagesTest.send(producer, topic, "early" + i, 1);
          early.add("early" + i);
          DelayedMessagesTest.send(producer, topic, "late" + i, 3);
          late.add("late" + i);
        }
        // Level 1 is written back before the stop, level 3 is still pending at it.
        Clients.awaitTrue(
            () -> DelayedMessagesTest.stored(apogee, topic) >= n,
            WAIT,
            () -> "stored " + DelayedMessagesTest.stored(apogee, topic));
        assertEquals(
            n,
            DelayedMessagesTest.stored(apogee, topic),
            "level 3 already delivered: test too slow");
      } finally {
        producer.shutdown();
      }
    }
    Path file = dir.resolve("config/delayOffset.json");
    assertTrue(Files.exists(file), "delayOffset.json written at stop");
    JsonObject saved = new JsonObject(Files.readString(file));
    assertEquals(n, saved.getJsonObject("offsetTable").getLong("1"), saved.encode());
    assertEquals(0L, saved.getJsonObject("offsetTable").getLong("3"), saved.encode());
    assertTrue(saved.containsKey("dataVersion"), saved.encode());

    try (ApogeeFixture apogee = ApogeeFixture.start(dir, levels)) {
      Set<String> got = ConcurrentHashMap.newKeySet();
      Queue<String> all = new ConcurrentLinkedQueue<>();
      DefaultMQPushConsumer consumer = Clients.pushConsumer(apogee, "restart-consumer");
      consumer.subscribe(topic, "*");
      consumer.registerMessageListener(
          (MessageListenerConcurrently)
              (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                  String body = new String(m.getBody(), StandardCharsets.UTF_8);
                  all.add(body);
                  got.add(body);
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
              });
      consumer.start();
      try {
        // A new group's first rebalance may run before the broker lists its member; the client
        // rebalances again every 20 s, hence the longer wait.
        Clients.awaitTrue(
            () -> got.containsAll(late) && got.containsAll(early),
            Duration.ofSeconds(60),
            () -> "received " + got.size() + " of " + 2 * n);
        // Everything scheduled has been written back, and each message exactly once.
        Clients.awaitTrue(
            () ->
                DelayedMessagesTest.allDelayOffsets(apogee)
                        .getJsonObject("offsetTable")
                        .getLong("3")
                    == n,
            WAIT,
            () -> "level 3 offset " + DelayedMessagesTest.allDelayOffsets(apogee).encode());
        assertEquals(
            2 * n, DelayedMessagesTest.stored(apogee, topic), "messages in the real topic");
        assertEquals(2 * n, all.size(), "deliveries: " + all);
      } finally {
        consumer.shutdown();
      }
    }
  }
}
