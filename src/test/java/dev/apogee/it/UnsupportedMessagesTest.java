package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timed messages (a delivery time rather than a delay level) are refused with a clear error until
 * the broker can deliver them at their time (never delivered early), while plain messages keep
 * going through.
 */
@Timeout(120)
class UnsupportedMessagesTest {
  @TempDir Path dir;

  @Test
  void refusesTimedMessagesClearlyAndKeepsServing() throws Exception {
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, Map.of())) {
      DefaultMQProducer producer = new DefaultMQProducer("unsupported-producer");
      producer.setNamesrvAddr(apogee.namesrvAddr());
      producer.setInstanceName("unsupported-" + System.nanoTime());
      producer.setRetryTimesWhenSendFailed(0);
      producer.start();
      try {
        assertEquals(
            SendStatus.SEND_OK,
            producer
                .send(new Message("Later", "plain".getBytes(StandardCharsets.UTF_8)))
                .getSendStatus());
        Message timed = new Message("Later", "at".getBytes(StandardCharsets.UTF_8));
        timed.setDeliverTimeMs(System.currentTimeMillis() + 60_000);
        MQBrokerException e2 =
            brokerError(assertThrows(Exception.class, () -> producer.send(timed)));
        assertEquals(16, e2.getResponseCode());
        assertTrue(e2.getErrorMessage().contains("not supported"), e2.getErrorMessage());
        assertEquals(
            SendStatus.SEND_OK,
            producer
                .send(new Message("Later", "plain".getBytes(StandardCharsets.UTF_8)))
                .getSendStatus());
        // Only the two plain messages were stored (queues are built just after the answer).
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (countStored(apogee) < 2 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertEquals(2, countStored(apogee));
      } finally {
        producer.shutdown();
      }
    }
  }

  /** The broker's answer inside what the client threw (it wraps retryable codes). */
  private static MQBrokerException brokerError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof MQBrokerException) {
        return (MQBrokerException) c;
      }
    }
    throw new AssertionError("no broker error in " + t, t);
  }

  private static long countStored(ApogeeFixture apogee) {
    long n = 0;
    for (int q = 0; q < 8; q++) {
      n += apogee.node.store().maxOffsetInQueue("Later", q);
    }
    return n;
  }
}
