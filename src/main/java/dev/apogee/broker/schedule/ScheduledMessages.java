package dev.apogee.broker.schedule;

import dev.apogee.store.Dispatcher;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.MessageRecord;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules of delayed delivery (protocol doc 5.8), apart from any I/O: how a message is parked in
 * {@code SCHEDULE_TOPIC_XXXX}, when it is due, and what goes back to its real topic. Stateless and
 * thread-safe.
 */
public final class ScheduledMessages {
  private ScheduledMessages() {}

  /** The schedule topic's queue of a (clamped) delay level: level 1 is queue 0. */
  public static int queueId(int level) {
    return level - 1;
  }

  /** The delay level of a schedule topic queue. */
  public static int level(int queueId) {
    return queueId + 1;
  }

  /**
   * Parks a message: marks {@code properties} with the (already clamped) level and the real topic
   * and queue, for a record written to the schedule topic's queue {@link #queueId(int)}.
   */
  public static void park(
      Map<String, String> properties, String realTopic, int realQueueId, int level) {
    properties.put(MessageProperties.DELAY, Integer.toString(level));
    properties.put(MessageProperties.REAL_TOPIC, realTopic);
    properties.put(MessageProperties.REAL_QID, Integer.toString(realQueueId));
  }

  /**
   * The time to deliver a unit whose due time is {@code due}: at once when the due time lies
   * further ahead than the level's whole delay (the clock went back, or the level was shortened
   * since the message was stored), else the due time itself.
   */
  public static long correctedDueTime(long now, long due, long levelDelayMillis) {
    return due > now + levelDelayMillis ? now : due;
  }

  /**
   * The message a due schedule-topic record becomes: its real topic and queue, the same body, flag,
   * sysFlag, born time and hosts, reconsume count, and properties (so UNIQ_KEY, KEYS, TAGS and the
   * user's own) without DELAY, REAL_TOPIC, REAL_QID and the timer properties.
   *
   * @throws IllegalArgumentException when the record lacks a usable REAL_TOPIC or REAL_QID
   */
  public static MessageDraft redeliver(MessageRecord scheduled) {
    Map<String, String> props = new LinkedHashMap<>(scheduled.properties());
    String topic = props.remove(MessageProperties.REAL_TOPIC);
    String qid = props.remove(MessageProperties.REAL_QID);
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("no " + MessageProperties.REAL_TOPIC + " property");
    }
    int queueId;
    try {
      queueId = Integer.parseInt(qid == null ? "" : qid.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the " + MessageProperties.REAL_QID + " property is not a queue id: " + qid);
    }
    if (queueId < 0 || topic.equals(Dispatcher.SCHEDULE_TOPIC)) {
      throw new IllegalArgumentException("bad real queue " + topic + ":" + queueId);
    }
    props.remove(MessageProperties.DELAY);
    props.remove(MessageProperties.TIMER_DELIVER_MS);
    props.remove(MessageProperties.TIMER_DELAY_SEC);
    props.remove(MessageProperties.TIMER_DELAY_MS);
    return new MessageDraft(
        topic,
        queueId,
        scheduled.flag(),
        scheduled.sysFlag(),
        scheduled.bornTimestamp(),
        scheduled.bornHost(),
        scheduled.storeHost(),
        scheduled.reconsumeTimes(),
        0,
        Unpooled.wrappedBuffer(scheduled.bodyBuffer()),
        MessageProperties.encode(props));
  }
}
