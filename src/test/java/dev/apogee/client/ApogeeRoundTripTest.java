package dev.apogee.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The round trips against an in-process Apogee. */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApogeeRoundTripTest extends RoundTripContract {
  @TempDir static Path dir;
  private ApogeeServer apogee;

  @BeforeAll
  void startApogee() throws Exception {
    apogee = ApogeeServer.standalone(dir);
  }

  @AfterAll
  void stopApogee() throws Exception {
    apogee.close();
  }

  @Override
  String namesrvAddr() {
    return apogee.namesrvAddr();
  }

  @Test
  void delayedAndTimedMessagesAreRefusedByApogeeWithItsReason() {
    String topic = unique("Delayed");
    Producer producer = producer();
    Await.result(producer.send(new Message(topic, "plain")));
    Throwable delayed = Await.failure(producer.send(new Message(topic, "later").setDelayLevel(1)));
    assertTrue(delayed instanceof BrokerException, delayed.toString());
    assertEquals(16, ((BrokerException) delayed).code());
    assertTrue(((BrokerException) delayed).remark().contains("not supported"), delayed.toString());
    Throwable timed =
        Await.failure(
            producer.send(
                new Message(topic, "at").setDeliverTime(System.currentTimeMillis() + 60_000)));
    assertEquals(16, ((BrokerException) timed).code());
  }
}
