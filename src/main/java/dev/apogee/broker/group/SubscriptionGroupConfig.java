package dev.apogee.broker.group;

import dev.apogee.protocol.JsonBody;
import dev.apogee.protocol.JsonIn;
import dev.apogee.protocol.JsonOut;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group's settings, with RocketMQ's JSON field names and defaults (the body of
 * UPDATE_AND_CREATE_SUBSCRIPTIONGROUP and the entries of {@code config/subscriptionGroup.json}).
 * Immutable; attributes sorted by key.
 *
 * <p>Reading JSON, fields RocketMQ has beyond these (such as {@code groupRetryPolicy}) are skipped,
 * and an absent number or flag is 0 or {@code false}: RocketMQ's tools always send every field.
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
    Map<String, String> attributes)
    implements JsonBody {

  public SubscriptionGroupConfig {
    if (groupName == null || groupName.isEmpty()) {
      throw new IllegalArgumentException("groupName is required");
    }
    attributes =
        attributes == null
            ? Collections.emptySortedMap()
            : Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }

  /** RocketMQ's defaults for a group created on first use. */
  public static SubscriptionGroupConfig defaults(String groupName) {
    return new SubscriptionGroupConfig(
        groupName, true, true, true, false, 1, 16, 0, 1, true, 0, 15, Map.of());
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("attributes", attributes, JsonOut::value)
        .field("brokerId", brokerId)
        .field("consumeBroadcastEnable", consumeBroadcastEnable)
        .field("consumeEnable", consumeEnable)
        .field("consumeFromMinEnable", consumeFromMinEnable)
        .field("consumeMessageOrderly", consumeMessageOrderly)
        .field("consumeTimeoutMinute", consumeTimeoutMinute)
        .field("groupName", groupName)
        .field("groupSysFlag", groupSysFlag)
        .field("notifyConsumerIdsChangedEnable", notifyConsumerIdsChangedEnable)
        .field("retryMaxTimes", retryMaxTimes)
        .field("retryQueueNums", retryQueueNums)
        .field("whichBrokerWhenConsumeSlowly", whichBrokerWhenConsumeSlowly)
        .endObject();
  }

  /** Reads a group's settings; {@code groupName} is required. */
  public static SubscriptionGroupConfig readJson(JsonIn in) {
    String groupName = null;
    boolean consumeEnable = false;
    boolean consumeFromMinEnable = false;
    boolean consumeBroadcastEnable = false;
    boolean consumeMessageOrderly = false;
    int retryQueueNums = 0;
    int retryMaxTimes = 0;
    long brokerId = 0;
    long whichBrokerWhenConsumeSlowly = 0;
    boolean notifyConsumerIdsChangedEnable = false;
    int groupSysFlag = 0;
    int consumeTimeoutMinute = 0;
    Map<String, String> attributes = null;
    in.beginObject("SubscriptionGroupConfig");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "groupName" -> groupName = in.string();
        case "consumeEnable" -> consumeEnable = in.bool();
        case "consumeFromMinEnable" -> consumeFromMinEnable = in.bool();
        case "consumeBroadcastEnable" -> consumeBroadcastEnable = in.bool();
        case "consumeMessageOrderly" -> consumeMessageOrderly = in.bool();
        case "retryQueueNums" -> retryQueueNums = in.intValue();
        case "retryMaxTimes" -> retryMaxTimes = in.intValue();
        case "brokerId" -> brokerId = in.longValue();
        case "whichBrokerWhenConsumeSlowly" -> whichBrokerWhenConsumeSlowly = in.longValue();
        case "notifyConsumerIdsChangedEnable" -> notifyConsumerIdsChangedEnable = in.bool();
        case "groupSysFlag" -> groupSysFlag = in.intValue();
        case "consumeTimeoutMinute" -> consumeTimeoutMinute = in.intValue();
        case "attributes" -> attributes = in.stringMap();
        default -> in.skipValue();
      }
    }
    return new SubscriptionGroupConfig(
        in.required(groupName, "groupName"),
        consumeEnable,
        consumeFromMinEnable,
        consumeBroadcastEnable,
        consumeMessageOrderly,
        retryQueueNums,
        retryMaxTimes,
        brokerId,
        whichBrokerWhenConsumeSlowly,
        notifyConsumerIdsChangedEnable,
        groupSysFlag,
        consumeTimeoutMinute,
        attributes);
  }
}
