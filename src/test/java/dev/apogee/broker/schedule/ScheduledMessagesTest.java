package dev.apogee.broker.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.MessageRecord;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduledMessagesTest {
  private static final InetSocketAddress BORN = new InetSocketAddress("10.0.0.2", 50000);
  private static final InetSocketAddress STORE = new InetSocketAddress("10.0.0.1", 10911);

  @Test
  void levelNLivesInQueueNMinusOne() {
    assertEquals(0, ScheduledMessages.queueId(1));
    assertEquals(17, ScheduledMessages.queueId(18));
    assertEquals(18, ScheduledMessages.level(17));
  }

  @Test
  void aDueTimeFurtherAheadThanTheWholeDelayMeansNow() {
    long now = 1_000_000;
    assertEquals(now + 5_000, ScheduledMessages.correctedDueTime(now, now + 5_000, 5_000));
    assertEquals(now - 3, ScheduledMessages.correctedDueTime(now, now - 3, 5_000));
    // The clock went back (or the level was shortened): deliver at once, do not wait for it.
    assertEquals(now, ScheduledMessages.correctedDueTime(now, now + 5_001, 5_000));
  }

  @Test
  void parkingMarksLevelAndRealQueue() {
    Map<String, String> p = new LinkedHashMap<>(Map.of(MessageProperties.DELAY, "40"));
    ScheduledMessages.park(p, "Orders", 3, 18);
    assertEquals("18", p.get(MessageProperties.DELAY));
    assertEquals("Orders", p.get(MessageProperties.REAL_TOPIC));
    assertEquals("3", p.get(MessageProperties.REAL_QID));
  }

  @Test
  void redeliveryRestoresRealTopicAndQueueAndKeepsIdentity() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(MessageProperties.UNIQ_KEY, "0A00000200002A9F0000000000000001");
    p.put(MessageProperties.KEYS, "k1 k2");
    p.put(MessageProperties.TAGS, "TagA");
    p.put("color", "blue");
    ScheduledMessages.park(p, "Orders", 3, 2);
    p.put(MessageProperties.TIMER_DELIVER_MS, "1");
    MessageRecord scheduled = record("SCHEDULE_TOPIC_XXXX", 1, p, "hello", 4);
    MessageDraft d = ScheduledMessages.redeliver(scheduled);
    assertEquals("Orders", d.topic());
    assertEquals(3, d.queueId());
    assertEquals(9, d.flag());
    assertEquals(0x1, d.sysFlag());
    assertEquals(1_700_000_000_000L, d.bornTimestamp());
    assertEquals(BORN, d.bornHost());
    assertEquals(STORE, d.storeHost());
    assertEquals(4, d.reconsumeTimes());
    byte[] body = new byte[d.body().readableBytes()];
    d.body().getBytes(d.body().readerIndex(), body);
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), body);
    Map<String, String> out = MessageProperties.decode(d.properties());
    assertEquals(
        Map.of(
            MessageProperties.UNIQ_KEY,
            "0A00000200002A9F0000000000000001",
            MessageProperties.KEYS,
            "k1 k2",
            MessageProperties.TAGS,
            "TagA",
            "color",
            "blue"),
        out);
  }

  @Test
  void aScheduledRecordWithoutRealQueueCannotBeRedelivered() {
    Map<String, String> noTopic = new LinkedHashMap<>(Map.of(MessageProperties.REAL_QID, "1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ScheduledMessages.redeliver(record("S", 0, noTopic, "x", 0)));
    Map<String, String> badQid =
        new LinkedHashMap<>(
            Map.of(MessageProperties.REAL_TOPIC, "T", MessageProperties.REAL_QID, "one"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ScheduledMessages.redeliver(record("S", 0, badQid, "x", 0)));
  }

  private static MessageRecord record(
      String topic, int queueId, Map<String, String> props, String body, int reconsumeTimes) {
    return new MessageRecord(
        topic,
        queueId,
        9,
        0,
        4096,
        0x1,
        1_700_000_000_000L,
        BORN,
        1_700_000_000_001L,
        STORE,
        reconsumeTimes,
        0,
        body.getBytes(StandardCharsets.UTF_8),
        props,
        0,
        0);
  }
}
