package dev.apogee.perf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * A small load driver built on the official RocketMQ 5.5.0 client, to measure any RocketMQ-protocol
 * broker (Apogee or Apache RocketMQ) with the same client and load. Not a test: run it by hand
 * against a running broker.
 *
 * <pre>
 * OfficialClientDriver NAMESRV TOPIC send SECONDS THREADS BODY_BYTES [BROKER_PID]
 * OfficialClientDriver NAMESRV TOPIC consume BACKLOG [BROKER_PID]
 * </pre>
 *
 * {@code send}: creates TOPIC with 8 queues (admin API), warms up for 5 s, then THREADS threads
 * share one producer and send synchronously for SECONDS; prints msg/s, MB/s and latency
 * percentiles. {@code consume}: a new push-consumer group drains TOPIC from its first offset until
 * it has received BACKLOG messages; prints msg/s. With a broker PID both print the broker's CPU
 * seconds used during the measured interval (from /proc).
 */
public final class OfficialClientDriver {
  private static final int QUEUES = 8;

  private OfficialClientDriver() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println(
          "usage: NAMESRV TOPIC send SECONDS THREADS BODY_BYTES [PID] | NAMESRV TOPIC consume"
              + " BACKLOG [PID]");
      System.exit(2);
    }
    String namesrv = args[0];
    String topic = args[1];
    switch (args[2]) {
      case "send" -> {
        long pid = args.length > 6 ? Long.parseLong(args[6]) : -1;
        send(
            namesrv,
            topic,
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]),
            Integer.parseInt(args[5]),
            pid);
      }
      case "consume" -> {
        long pid = args.length > 4 ? Long.parseLong(args[4]) : -1;
        consume(namesrv, topic, Long.parseLong(args[3]), pid);
      }
      default -> {
        System.err.println("unknown mode " + args[2]);
        System.exit(2);
      }
    }
    System.exit(0);
  }

  private static void send(
      String namesrv, String topic, int seconds, int threads, int bodyBytes, long pid)
      throws Exception {
    createTopic(namesrv, topic);
    DefaultMQProducer producer = new DefaultMQProducer("driver-producer");
    producer.setNamesrvAddr(namesrv);
    producer.setInstanceName("driver-" + ProcessHandle.current().pid());
    producer.start();
    byte[] body = new byte[bodyBytes];
    java.util.Arrays.fill(body, (byte) 'x');
    Recorder recorder = new Recorder(3);
    LongAdder sent = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicLong phaseEnd = new AtomicLong(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    long[] measureStart = new long[1];
    CountDownLatch done = new CountDownLatch(threads);
    AtomicBoolean measuring = new AtomicBoolean();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  while (true) {
                    long now = System.nanoTime();
                    if (measuring.get() && now >= phaseEnd.get()) {
                      break;
                    }
                    Message m = new Message(topic, "TagA", body);
                    long t0 = System.nanoTime();
                    try {
                      SendResult r = producer.send(m);
                      if (r.getSendStatus() == SendStatus.SEND_OK) {
                        long t1 = System.nanoTime();
                        recorder.recordValue((t1 - t0) / 1000);
                        sent.increment();
                      } else {
                        errors.increment();
                      }
                    } catch (Exception e) {
                      errors.increment();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "driver-send-" + t);
      w.setDaemon(true);
      w.start();
    }
    // Warm-up, then reset the counters and measure.
    TimeUnit.NANOSECONDS.sleep(Math.max(0, phaseEnd.get() - System.nanoTime()));
    recorder.reset();
    sent.reset();
    errors.reset();
    double cpu0 = cpuSeconds(pid);
    measureStart[0] = System.nanoTime();
    phaseEnd.set(measureStart[0] + TimeUnit.SECONDS.toNanos(seconds));
    measuring.set(true);
    done.await();
    long elapsed = System.nanoTime() - measureStart[0];
    double cpu1 = cpuSeconds(pid);
    Histogram h = recorder.getIntervalHistogram();
    long n = sent.sum();
    double secs = elapsed / 1e9;
    System.out.printf(
        "send %d threads %d B: %.0f msg/s, %.1f MB/s, p50 %d us, p99 %d us, p99.9 %d us, max %d"
            + " us, errors %d%s%n",
        threads,
        bodyBytes,
        n / secs,
        n * (double) bodyBytes / secs / 1e6,
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        errors.sum(),
        pid > 0 ? String.format(", broker CPU %.1f s/M msgs", (cpu1 - cpu0) / n * 1e6) : "");
    producer.shutdown();
  }

  private static void consume(String namesrv, String topic, long backlog, long pid)
      throws Exception {
    String group = "driver-drain-" + System.currentTimeMillis();
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(namesrv);
    consumer.setInstanceName("driver-" + ProcessHandle.current().pid());
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.subscribe(topic, "*");
    LongAdder received = new LongAdder();
    CountDownLatch all = new CountDownLatch(1);
    long[] first = {0};
    consumer.registerMessageListener(
        (MessageListenerConcurrently)
            (msgs, ctx) -> {
              synchronized (first) {
                if (first[0] == 0) {
                  first[0] = System.nanoTime();
                }
              }
              received.add(msgs.size());
              if (received.sum() >= backlog) {
                all.countDown();
              }
              return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
    double cpu0 = cpuSeconds(pid);
    long t0 = System.nanoTime();
    consumer.start();
    boolean finished = all.await(600, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    double cpu1 = cpuSeconds(pid);
    long n = received.sum();
    System.out.printf(
        "consume: %d of %d in %.2f s: %.0f msg/s (from start; %.0f msg/s from the first"
            + " delivery)%s%s%n",
        n,
        backlog,
        (t1 - t0) / 1e9,
        n / ((t1 - t0) / 1e9),
        n / ((t1 - first[0]) / 1e9),
        pid > 0 ? String.format(", broker CPU %.1f s/M msgs", (cpu1 - cpu0) / n * 1e6) : "",
        finished ? "" : " (TIMED OUT)");
    consumer.shutdown();
  }

  private static void createTopic(String namesrv, String topic) throws Exception {
    DefaultMQAdminExt admin = new DefaultMQAdminExt();
    admin.setNamesrvAddr(namesrv);
    admin.setInstanceName("driver-admin-" + ProcessHandle.current().pid());
    admin.start();
    try {
      Collection<BrokerData> brokers =
          admin.examineBrokerClusterInfo().getBrokerAddrTable().values();
      for (BrokerData b : brokers) {
        admin.createAndUpdateTopicConfig(
            b.selectBrokerAddr(), new TopicConfig(topic, QUEUES, QUEUES));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          TopicRouteData r = admin.examineTopicRouteInfo(topic);
          if (!r.getQueueDatas().isEmpty()
              && r.getQueueDatas().get(0).getWriteQueueNums() == QUEUES) {
            break;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no route with " + QUEUES + " queues for " + topic);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    } finally {
      admin.shutdown();
    }
  }

  /** Process CPU time (user + system) of {@code pid} from /proc, -1 without a pid. */
  static double cpuSeconds(long pid) throws Exception {
    if (pid <= 0) {
      return -1;
    }
    String stat =
        Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14 and 15 of stat (utime, stime), counted from the state field at index 0 here
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks / 100.0;
  }
}
