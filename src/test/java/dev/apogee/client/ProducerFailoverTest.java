package dev.apogee.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.remoting.RemotingException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With two broker groups serving a topic, a producer whose route still names a broker that went
 * away retries each failed send on the other one, as the official producer does.
 */
@Timeout(90)
class ProducerFailoverTest {
  @TempDir Path dir;

  @Test
  void sendsToABrokerThatWentAwayAreRetriedOnTheOther() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ApogeeServer a = ApogeeServer.standalone(dir.resolve("a"))) {
      ApogeeServer b = ApogeeServer.broker(dir.resolve("b"), a.namesrvAddr(), "broker-b");
      String topic = RoundTripContract.unique("Failover");
      Producer retrying = producer(vertx, a, 2);
      Producer once = producer(vertx, a, 0);
      try {
        // sends to the new topic create it on both brokers (the template's route names both)
        PullConsumer probe =
            PullConsumer.create(
                vertx,
                new PullConsumerOptions()
                    .setNameServerAddress(a.namesrvAddr())
                    .setConsumerGroup("probe"));
        Await.until(
            () -> {
              Await.result(retrying.send(new Message(topic, "create")));
              Future<List<MessageQueue>> q = probe.queues(topic);
              return Await.settled(q).succeeded() && brokers(q.result()).size() == 2;
            },
            Duration.ofSeconds(30),
            () -> "the topic is not on both brokers");
        Await.result(probe.close());
        // both producers now route to both brokers; then broker-b goes away
        Await.result(once.send(new Message(topic, "prime")));
        assertEquals(Set.of("broker-a", "broker-b"), brokers(Await.result(retrying.queues(topic))));
        assertEquals(Set.of("broker-a", "broker-b"), brokers(Await.result(once.queues(topic))));
        b.close();

        for (int i = 0; i < 16; i++) {
          SendResult r = Await.result(retrying.send(new Message(topic, "after " + i)));
          assertEquals(SendStatus.SEND_OK, r.status());
          assertEquals("broker-a", r.queue().brokerName());
        }
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          Future<SendResult> f = Await.settled(once.send(new Message(topic, "once " + i)));
          if (f.failed()) {
            failures.add(f.cause());
          }
        }
        assertTrue(
            !failures.isEmpty() && failures.stream().allMatch(e -> e instanceof RemotingException),
            "without retries, the sends taking broker-b's queues fail: " + failures);
      } finally {
        Await.result(retrying.close());
        Await.result(once.close());
      }
    } finally {
      Await.result(vertx.close());
    }
  }

  private static Producer producer(Vertx vertx, ApogeeServer a, int retries) {
    return Producer.create(
        vertx,
        new ProducerOptions()
            .setNameServerAddress(a.namesrvAddr())
            .setProducerGroup(RoundTripContract.unique("failover"))
            .setRetryTimesWhenSendFailed(retries));
  }

  private static Set<String> brokers(List<MessageQueue> queues) {
    return queues.stream().map(MessageQueue::brokerName).collect(Collectors.toSet());
  }
}
