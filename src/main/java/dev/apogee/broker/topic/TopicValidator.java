package dev.apogee.broker.topic;

import java.util.Set;

/**
 * RocketMQ's rules for topic and group names, so a name one broker refuses is refused by the other
 * too: only {@code %|a-zA-Z0-9_-}; topics up to 127 characters ({@code %RETRY%} and {@code %DLQ%}
 * topics up to 255); groups up to 120; and some system topics never take sends. Stateless and
 * thread-safe.
 */
public final class TopicValidator {
  /** The topic producers use to ask for auto-creation. */
  public static final String AUTO_CREATE_TOPIC_KEY_TOPIC = "TBW102";

  public static final String SCHEDULE_TOPIC = dev.apogee.store.Dispatcher.SCHEDULE_TOPIC;
  public static final String TRANS_HALF_TOPIC = "RMQ_SYS_TRANS_HALF_TOPIC";
  public static final String TRANS_OP_HALF_TOPIC = "RMQ_SYS_TRANS_OP_HALF_TOPIC";
  public static final String TRANS_CHECK_MAX_TIME_TOPIC = "TRANS_CHECK_MAX_TIME_TOPIC";
  public static final String SELF_TEST_TOPIC = "SELF_TEST_TOPIC";
  public static final String OFFSET_MOVED_EVENT = "OFFSET_MOVED_EVENT";
  public static final String BENCHMARK_TOPIC = "BenchmarkTest";
  public static final String TRACE_TOPIC = "RMQ_SYS_TRACE_TOPIC";
  public static final String RETRY_PREFIX = "%RETRY%";
  public static final String DLQ_PREFIX = "%DLQ%";
  public static final String SYSTEM_TOPIC_PREFIX = "rmq_sys_";

  static final int TOPIC_MAX_LENGTH = 127;
  static final int RETRY_OR_DLQ_TOPIC_MAX_LENGTH = 255;
  static final int GROUP_MAX_LENGTH = 120;

  private static final Set<String> NOT_ALLOWED_SEND =
      Set.of(
          SCHEDULE_TOPIC,
          TRANS_HALF_TOPIC,
          TRANS_OP_HALF_TOPIC,
          TRANS_CHECK_MAX_TIME_TOPIC,
          SELF_TEST_TOPIC,
          OFFSET_MOVED_EVENT,
          "RMQ_SYS_ROCKSDB_TRANS_HALF_TOPIC",
          "RMQ_SYS_ROCKSDB_TRANS_OP_HALF_TOPIC");

  private static final Set<String> SYSTEM_TOPICS =
      Set.of(
          AUTO_CREATE_TOPIC_KEY_TOPIC,
          SCHEDULE_TOPIC,
          BENCHMARK_TOPIC,
          TRANS_HALF_TOPIC,
          TRACE_TOPIC,
          TRANS_OP_HALF_TOPIC,
          TRANS_CHECK_MAX_TIME_TOPIC,
          SELF_TEST_TOPIC,
          OFFSET_MOVED_EVENT,
          "CHECKPOINT_TOPIC",
          "RMQ_SYS_ROCKSDB_TRANS_HALF_TOPIC",
          "RMQ_SYS_ROCKSDB_TRANS_OP_HALF_TOPIC");

  private TopicValidator() {}

  /** Why {@code topic} is not a valid topic name, or null when it is. */
  public static String checkTopic(String topic) {
    if (topic == null || topic.isBlank()) {
      return "the topic is blank";
    }
    String bad = badCharacter(topic);
    if (bad != null) {
      return "the topic " + topic + " contains " + bad + "; only %|a-zA-Z0-9_- are allowed";
    }
    int max =
        topic.startsWith(RETRY_PREFIX) || topic.startsWith(DLQ_PREFIX)
            ? RETRY_OR_DLQ_TOPIC_MAX_LENGTH
            : TOPIC_MAX_LENGTH;
    if (topic.length() > max) {
      return "the topic " + topic + " is " + topic.length() + " characters long; at most " + max;
    }
    return null;
  }

  /** Why {@code group} is not a valid group name, or null when it is. */
  public static String checkGroup(String group) {
    if (group == null || group.isBlank()) {
      return "the group is blank";
    }
    String bad = badCharacter(group);
    if (bad != null) {
      return "the group " + group + " contains " + bad + "; only %|a-zA-Z0-9_- are allowed";
    }
    if (group.length() > GROUP_MAX_LENGTH) {
      return "the group "
          + group
          + " is "
          + group.length()
          + " characters long; at most "
          + GROUP_MAX_LENGTH;
    }
    return null;
  }

  /** True for system topics that clients may not send to. */
  public static boolean isNotAllowedSend(String topic) {
    return NOT_ALLOWED_SEND.contains(topic);
  }

  /** True for RocketMQ's system topics (and any topic with the {@code rmq_sys_} prefix). */
  public static boolean isSystemTopic(String topic) {
    return SYSTEM_TOPICS.contains(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX);
  }

  private static String badCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '%'
              || c == '|'
              || c == '_'
              || c == '-';
      if (!ok) {
        return "'" + c + "' at " + i;
      }
    }
    return null;
  }
}
