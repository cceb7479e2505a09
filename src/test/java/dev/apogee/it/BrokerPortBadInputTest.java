package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and refused requests on the broker port, written byte by byte with raw sockets (frames
 * per protocol doc 1.1 and 1.3), while an official producer keeps sending to the same broker: bad
 * framing closes only its own connection, bad requests get precise error responses, and the
 * producer never fails.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerPortBadInputTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int SEND_MESSAGE_V2 = 310;
  private static final int REQUEST_CODE_NOT_SUPPORTED = 3;
  private static final int MESSAGE_ILLEGAL = 13;
  private static final int INVALID_PARAMETER = 29;
  private static final int MAX_BODY = 4 * 1024 * 1024;

  @TempDir static Path dir;
  private ApogeeFixture apogee;
  private DefaultMQProducer producer;
  private Thread sender;
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final Queue<String> sendFailures = new ConcurrentLinkedQueue<>();
  private int sentAtStart;

  @BeforeAll
  void start() throws Exception {
    apogee = ApogeeFixture.start(dir, Map.of());
    producer = Clients.producer(apogee, "bad-input-producer");
    producer.start();
    sender = new Thread(this::sendUntilStopped, "steady-producer");
    sender.start();
  }

  private void sendUntilStopped() {
    int i = 0;
    while (sending.get()) {
      try {
        SendResult r = producer.send(Corpus.message("Steady", "steady", i++));
        if (r.getSendStatus() == SendStatus.SEND_OK) {
          sent.incrementAndGet();
        } else {
          sendFailures.add(r.toString());
        }
      } catch (Exception e) {
        sendFailures.add(e.toString());
      }
    }
  }

  @AfterAll
  void stop() throws Exception {
    sending.set(false);
    sender.join(WAIT.toMillis());
    producer.shutdown();
    apogee.close();
  }

  @BeforeEach
  void noteSends() {
    sentAtStart = sent.get();
  }

  /** The producer kept sending successfully while the test abused the port. */
  @AfterEach
  void producerStillSends() throws Exception {
    Clients.awaitTrue(
        () -> sent.get() > sentAtStart + 20, WAIT, () -> "producer stalled at " + sent.get());
    assertEquals(List.of(), List.copyOf(sendFailures), "producer sends that failed");
    try (RawBrokerSocket s = socket()) {
      RawBrokerSocket.Frame f = s.call(9999, null, new byte[0]);
      assertEquals(REQUEST_CODE_NOT_SUPPORTED, f.code(), "a fresh connection after the test");
    }
  }

  @Test
  void garbageBytesCloseTheConnection() throws Exception {
    long seed = System.nanoTime();
    byte[] garbage = new byte[512];
    new Random(seed).nextBytes(garbage);
    garbage[0] = (byte) 0xFF; // a negative frame length, whatever the rest
    try (RawBrokerSocket s = socket()) {
      s.write(garbage);
      assertTrue(s.closedByPeer(), "connection still open after garbage, seed " + seed);
    }
    try (RawBrokerSocket s = socket()) {
      s.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(s.closedByPeer(), "connection still open after an HTTP request");
    }
  }

  @Test
  void aTruncatedFrameIsDroppedWhenThePeerHangsUp() throws Exception {
    byte[] whole =
        RawBrokerSocket.frame(
            RawBrokerSocket.requestHeader(9999, 1, 0, Map.of("k", "v")), new byte[100]);
    try (RawBrokerSocket s = socket()) {
      s.write(Arrays.copyOf(whole, whole.length - 40));
      s.shutdownOutput();
      assertTrue(s.closedByPeer(), "the broker answered or kept a half frame's connection");
    }
  }

  @Test
  void anOversizeFrameLengthClosesTheConnection() throws Exception {
    try (RawBrokerSocket s = socket()) {
      s.write(ByteBuffer.allocate(8).putInt(16 * 1024 * 1024 + 1).putInt(20).array());
      assertTrue(s.closedByPeer(), "connection still open after a 16 MiB + 1 frame length");
    }
  }

  @Test
  void anInvalidJsonHeaderClosesTheConnection() throws Exception {
    try (RawBrokerSocket s = socket()) {
      s.write(
          RawBrokerSocket.frame(
              "{\"code\":310,\"opaque\":1,".getBytes(StandardCharsets.UTF_8), new byte[0]));
      assertTrue(s.closedByPeer(), "connection still open after an invalid JSON header");
    }
  }

  @Test
  void anUnknownRequestCodeIsAnsweredNotSupportedAndTheConnectionServesOn() throws Exception {
    try (RawBrokerSocket s = socket()) {
      RawBrokerSocket.Frame f = s.call(4242, Map.of("x", "y"), new byte[0]);
      assertEquals(REQUEST_CODE_NOT_SUPPORTED, f.code(), f::toString);
      assertNotNull(f.remark());
      assertTrue(f.remark().contains("4242"), f.remark());
      RawBrokerSocket.Frame ok = s.call(SEND_MESSAGE_V2, send("RawTopic"), "hi".getBytes());
      assertEquals(0, ok.code(), ok::toString);
      assertNotNull(ok.extField("msgId"), ok::toString);
    }
  }

  @Test
  void aSendToAnInvalidTopicNameIsRefusedWithInvalidParameter() throws Exception {
    try (RawBrokerSocket s = socket()) {
      RawBrokerSocket.Frame f = s.call(SEND_MESSAGE_V2, send("bad topic!"), "x".getBytes());
      assertEquals(INVALID_PARAMETER, f.code(), f::toString);
      assertTrue(f.remark().contains("bad topic!"), f.remark());
      String tooLong = "T".repeat(200);
      RawBrokerSocket.Frame g = s.call(SEND_MESSAGE_V2, send(tooLong), "x".getBytes());
      assertEquals(INVALID_PARAMETER, g.code(), g::toString);
      assertTrue(g.remark().contains("200"), g.remark());
    }
  }

  @Test
  void aBodyOverFourMebibytesIsRefusedAsIllegal() throws Exception {
    try (RawBrokerSocket s = socket()) {
      RawBrokerSocket.Frame f = s.call(SEND_MESSAGE_V2, send("BigTopic"), new byte[MAX_BODY + 1]);
      assertEquals(MESSAGE_ILLEGAL, f.code(), f::toString);
      assertNotNull(f.remark());
      RawBrokerSocket.Frame ok = s.call(SEND_MESSAGE_V2, send("BigTopic"), new byte[MAX_BODY]);
      assertEquals(0, ok.code(), "a body of exactly 4 MiB: " + ok);
    }
  }

  private RawBrokerSocket socket() throws Exception {
    return new RawBrokerSocket(apogee.node.broker().port());
  }

  /** SEND_MESSAGE_V2's single-letter header (protocol doc 2.4). */
  private static Map<String, String> send(String topic) {
    Map<String, String> h = new HashMap<>();
    h.put("a", "raw-producer");
    h.put("b", topic);
    h.put("c", "TBW102");
    h.put("d", "4");
    h.put("e", "0");
    h.put("f", "0");
    h.put("g", String.valueOf(System.currentTimeMillis()));
    h.put("h", "0");
    h.put("i", "KEYS\u0001raw\u0002");
    h.put("j", "0");
    h.put("k", "false");
    h.put("m", "false");
    return h;
  }
}
