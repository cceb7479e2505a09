package dev.apogee.broker.processor;

import java.util.Map;

/**
 * The header of PULL_MESSAGE and LITE_PULL_MESSAGE (protocol doc 2.5).
 *
 * @param subscription the expression when the SUBSCRIPTION bit is set, else usually null
 * @param expressionType {@code TAG} (default) or {@code SQL92}
 * @param maxMsgBytes a byte cap for the answer, or {@code Integer.MAX_VALUE} when absent
 */
public record PullMessageRequestHeader(
    String consumerGroup,
    String topic,
    int queueId,
    long queueOffset,
    int maxMsgNums,
    int sysFlag,
    long commitOffset,
    long suspendTimeoutMillis,
    String subscription,
    long subVersion,
    String expressionType,
    int maxMsgBytes) {

  /** PullSysFlag: the commit offset is meaningful and should be stored. */
  public static final int FLAG_COMMIT_OFFSET = 0x1;

  /** PullSysFlag: the request may be held (long polling). */
  public static final int FLAG_SUSPEND = 0x2;

  /** PullSysFlag: the request carries its own subscription expression. */
  public static final int FLAG_SUBSCRIPTION = 0x4;

  /** PullSysFlag: sent by a lite pull consumer. */
  public static final int FLAG_LITE_PULL = 0x10;

  public static PullMessageRequestHeader from(Map<String, String> ext) {
    return new PullMessageRequestHeader(
        Headers.string(ext, "consumerGroup"),
        Headers.string(ext, "topic"),
        Headers.integer(ext, "queueId"),
        Headers.longValue(ext, "queueOffset"),
        Headers.integer(ext, "maxMsgNums"),
        Headers.integer(ext, "sysFlag", 0),
        Headers.longValue(ext, "commitOffset", 0),
        Headers.longValue(ext, "suspendTimeoutMillis", 0),
        Headers.optional(ext, "subscription"),
        Headers.longValue(ext, "subVersion", 0),
        ext.getOrDefault("expressionType", "TAG"),
        Headers.integer(ext, "maxMsgBytes", Integer.MAX_VALUE));
  }

  public boolean commitOffsetFlag() {
    return (sysFlag & FLAG_COMMIT_OFFSET) != 0;
  }

  public boolean suspendFlag() {
    return (sysFlag & FLAG_SUSPEND) != 0;
  }

  public boolean subscriptionFlag() {
    return (sysFlag & FLAG_SUBSCRIPTION) != 0;
  }
}
