package dev.apogee.broker.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * A consumer group's settings, with RocketMQ's JSON field names and defaults (the body of
 * UPDATE_AND_CREATE_SUBSCRIPTIONGROUP and the entries of {@code config/subscriptionGroup.json}).
 *
 * @param groupName the group
 * @param consumeEnable the group may pull
 * @param consumeFromMinEnable a new group starts from the queue's minimum offset
 * @param consumeBroadcastEnable the group may consume in broadcasting mode
 * @param consumeMessageOrderly the group consumes in order
 * @param retryQueueNums queues of the group's {@code %RETRY%} topic (1)
 * @param retryMaxTimes deliveries before a message goes to the group's {@code %DLQ%} topic (16)
 * @param brokerId the broker the group reads from (0, the master)
 * @param whichBrokerWhenConsumeSlowly the broker to suggest when the group falls behind (1)
 * @param notifyConsumerIdsChangedEnable tell the group's clients when members come and go
 * @param groupSysFlag system flags of the group
 * @param consumeTimeoutMinute minutes a message may take to consume (15)
 * @param attributes free-form attributes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionGroupConfig(
    String groupName,
    boolean consumeEnable,
    boolean consumeFromMinEnable,
    boolean consumeBroadcastEnable,
    boolean consumeMessageOrderly,
    int retryQueueNums,
    int retryMaxTimes,
    long brokerId,
    long whichBrokerWhenConsumeSlowly,
    boolean notifyConsumerIdsChangedEnable,
    int groupSysFlag,
    int consumeTimeoutMinute,
    Map<String, String> attributes) {

  public SubscriptionGroupConfig {
    if (groupName == null || groupName.isEmpty()) {
      throw new IllegalArgumentException("groupName is required");
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** RocketMQ's defaults for a group created on first use. */
  public static SubscriptionGroupConfig defaults(String groupName) {
    return new SubscriptionGroupConfig(
        groupName, true, true, true, false, 1, 16, 0, 1, true, 0, 15, Map.of());
  }
}
