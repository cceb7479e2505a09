package dev.apogee.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The round trips against Apache RocketMQ, the reference the client must work with unchanged;
 * skipped unless the reference runs on {@link ReferenceRocketMq#NAMESRV}.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceRoundTripTest extends RoundTripContract {

  private boolean running;

  @BeforeAll
  void probeReference() {
    running = ReferenceRocketMq.running();
  }

  /** Each test reports itself skipped, with the reason, when the reference is not running. */
  @BeforeEach
  void requireReference() {
    assumeTrue(running, ReferenceRocketMq.SKIP_MESSAGE);
  }

  @Override
  String namesrvAddr() {
    return ReferenceRocketMq.NAMESRV;
  }

  @Test
  void delayLevelAndDeliveryTimeHoldMessagesBack() {
    String topic = unique("Delayed");
    Producer producer = producer();
    SendResult first =
        Await.result(producer.send(new Message(topic, "plain"), MessageQueueSelector.byHash(), 0));
    MessageQueue queue = first.queue();
    long sentAt = System.currentTimeMillis();
    Await.result(producer.send(new Message(topic, "level 1").setDelayLevel(1), queue));
    Await.result(producer.send(new Message(topic, "timed").setDeliverTime(sentAt + 2_000), queue));
    PullConsumer consumer =
        PullConsumer.create(vertx, pullOptions(unique("cg")).setPollTimeout(Duration.ofSeconds(3)));
    try {
      List<ReceivedMessage> got = pullN(consumer, queue, first.queueOffset() + 1, 2);
      assertEquals(List.of("level 1", "timed"), bodies(got));
      assertTrue(got.get(0).storeTimestamp() - sentAt >= 900, "delay level 1 is 1 s");
      assertTrue(got.get(1).storeTimestamp() - sentAt >= 1_900, "delivered at its time");
    } finally {
      Await.result(consumer.close());
    }
  }
}
