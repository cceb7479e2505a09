package dev.apogee.broker.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.config.DelayLevels;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageId;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.MessageRecord;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a failed message goes and as what (the pure part of CONSUMER_SEND_MSG_BACK). */
class SendMessageBackProcessorTest {
  private static final InetSocketAddress BORN = new InetSocketAddress("10.0.0.2", 50000);
  private static final InetSocketAddress OLD_STORE = new InetSocketAddress("10.0.0.1", 10911);
  private static final InetSocketAddress STORE = new InetSocketAddress("10.0.0.9", 10911);
  private static final String UNIQ = "0A00000200002A9F0000000000000001";

  @Test
  void firstFailureIsParkedAtLevelThreeForTheRetryTopicWithOneMoreReconsume() {
    MessageRecord m = record("Orders", 0, Map.of("color", "red"));
    SendMessageBackProcessor.SendBack b =
        SendMessageBackProcessor.sendBack(m, "g", 0, 16, 0, DelayLevels.DEFAULT, STORE);
    assertFalse(b.deadLetter());
    assertEquals(3, b.level());
    MessageDraft d = b.draft();
    assertEquals("SCHEDULE_TOPIC_XXXX", d.topic());
    assertEquals(2, d.queueId(), "level 3 lives in queue 2");
    assertEquals(1, d.reconsumeTimes());
    assertEquals(STORE, d.storeHost());
    assertEquals(BORN, d.bornHost());
    assertEquals(1_700_000_000_000L, d.bornTimestamp());
    Map<String, String> p = MessageProperties.decode(d.properties());
    assertEquals("3", p.get(MessageProperties.DELAY));
    assertEquals("%RETRY%g", p.get(MessageProperties.REAL_TOPIC));
    assertEquals("0", p.get(MessageProperties.REAL_QID));
    assertEquals("Orders", p.get(MessageProperties.RETRY_TOPIC));
    assertEquals(MessageId.encode(OLD_STORE, 4096), p.get(MessageProperties.ORIGIN_MESSAGE_ID));
    assertEquals(UNIQ, p.get(MessageProperties.UNIQ_KEY));
    assertEquals("red", p.get("color"));
  }

  @Test
  void laterFailuresWaitLongerKeepTheFirstOriginAndClampToTheHighestLevel() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(MessageProperties.RETRY_TOPIC, "Orders");
    props.put(MessageProperties.ORIGIN_MESSAGE_ID, "FIRST");
    MessageRecord retried = record("%RETRY%g", 5, props);
    SendMessageBackProcessor.SendBack b =
        SendMessageBackProcessor.sendBack(retried, "g", 0, 16, 1, DelayLevels.DEFAULT, STORE);
    assertEquals(8, b.level(), "3 + 5 reconsumes");
    Map<String, String> p = MessageProperties.decode(b.draft().properties());
    assertEquals("Orders", p.get(MessageProperties.RETRY_TOPIC), "the first topic, kept");
    assertEquals("FIRST", p.get(MessageProperties.ORIGIN_MESSAGE_ID));
    assertEquals("1", p.get(MessageProperties.REAL_QID));
    assertEquals(6, b.draft().reconsumeTimes());

    MessageRecord often = record("%RETRY%g", 15, props);
    assertEquals(
        18,
        SendMessageBackProcessor.sendBack(often, "g", 0, 16, 0, DelayLevels.DEFAULT, STORE).level(),
        "3 + 15 clamped to 18");
    assertEquals(
        2,
        SendMessageBackProcessor.sendBack(often, "g", 5, 16, 0, DelayLevels.parse("1s 2s"), STORE)
            .level(),
        "the client's level, clamped");
  }

  @Test
  void goesToTheDeadLetterTopicAtTheLimitOrWhenAskedWithoutDelay() {
    Map<String, String> props = new LinkedHashMap<>(Map.of(MessageProperties.DELAY, "4"));
    MessageRecord last = record("%RETRY%g", 2, props);
    SendMessageBackProcessor.SendBack b =
        SendMessageBackProcessor.sendBack(last, "g", 0, 2, 0, DelayLevels.DEFAULT, STORE);
    assertTrue(b.deadLetter());
    assertEquals("%DLQ%g", b.draft().topic());
    assertEquals(0, b.draft().queueId());
    assertEquals(3, b.draft().reconsumeTimes());
    Map<String, String> p = MessageProperties.decode(b.draft().properties());
    assertNull(p.get(MessageProperties.DELAY));
    assertNull(p.get(MessageProperties.REAL_TOPIC));
    assertEquals("%RETRY%g", p.get(MessageProperties.RETRY_TOPIC));

    MessageRecord fresh = record("Orders", 0, Map.of());
    assertTrue(
        SendMessageBackProcessor.sendBack(fresh, "g", -1, 16, 0, DelayLevels.DEFAULT, STORE)
            .deadLetter(),
        "delayLevel -1: straight to the dead-letter topic");
    assertFalse(
        SendMessageBackProcessor.sendBack(
                record("Orders", 1, Map.of()), "g", 0, 2, 0, DelayLevels.DEFAULT, STORE)
            .deadLetter(),
        "one reconsume of two allowed");
  }

  private static MessageRecord record(String topic, int reconsumeTimes, Map<String, String> extra) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(MessageProperties.UNIQ_KEY, UNIQ);
    props.put(MessageProperties.TAGS, "TagA");
    props.putAll(extra);
    return new MessageRecord(
        topic,
        0,
        0,
        7,
        4096,
        0,
        1_700_000_000_000L,
        BORN,
        1_700_000_000_001L,
        OLD_STORE,
        reconsumeTimes,
        0,
        "body".getBytes(StandardCharsets.UTF_8),
        props,
        0,
        0);
  }
}
