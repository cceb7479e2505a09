package dev.apogee.it;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;

/**
 * Official RocketMQ clients with default settings except the name server address, a unique instance
 * name and, for consumers, CONSUME_FROM_FIRST_OFFSET; plus a deadline poll for tests.
 */
final class Clients {
  private static final AtomicLong SEQ = new AtomicLong();
  private static final long POLL_NANOS = 10_000_000;

  private Clients() {}

  static String instanceName(String role) {
    return role + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
  }

  /** A producer of {@code group}, not yet started. */
  static DefaultMQProducer producer(ApogeeFixture apogee, String group) {
    DefaultMQProducer p = new DefaultMQProducer(group);
    p.setNamesrvAddr(apogee.namesrvAddr());
    p.setInstanceName(instanceName("p"));
    return p;
  }

  /** A push consumer of {@code group} reading from the first offset, not yet started. */
  static DefaultMQPushConsumer pushConsumer(ApogeeFixture apogee, String group) {
    DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
    c.setNamesrvAddr(apogee.namesrvAddr());
    c.setInstanceName(instanceName("c"));
    c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    return c;
  }

  /** A lite pull consumer of {@code group} reading from the first offset, not yet started. */
  static DefaultLitePullConsumer litePullConsumer(ApogeeFixture apogee, String group) {
    DefaultLitePullConsumer c = new DefaultLitePullConsumer(group);
    c.setNamesrvAddr(apogee.namesrvAddr());
    c.setInstanceName(instanceName("l"));
    c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    return c;
  }

  /**
   * Waits until {@code condition} holds, checking every few milliseconds, and fails with {@code
   * message} when {@code timeout} passes first.
   */
  static void awaitTrue(BooleanSupplier condition, Duration timeout, Supplier<String> message)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + ": " + message.get());
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting: " + message.get());
      }
    }
  }
}
