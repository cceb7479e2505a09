package dev.apogee.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * A broker's topic table with its version: inside a REGISTER_BROKER body and the body of a
 * GET_ALL_TOPIC_CONFIG answer (rocketmq-protocol.md 2.3). The static-topic mapping fields that 5.x
 * brokers add ({@code mappingDataVersion}, {@code topicQueueMappingInfoMap}, {@code
 * topicQueueMappingDetailMap}) are read and dropped. Immutable; topics sorted by name.
 *
 * @param topicConfigTable topic name to its configuration
 * @param dataVersion the version of the table
 */
public record TopicConfigSerializeWrapper(
    Map<String, TopicConfig> topicConfigTable, DataVersion dataVersion) {

  public TopicConfigSerializeWrapper {
    topicConfigTable = Copies.sortedMap(topicConfigTable);
    Objects.requireNonNull(dataVersion, "dataVersion");
  }
}
