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
    Map<String, TopicConfig> topicConfigTable, DataVersion dataVersion) implements JsonBody {

  public TopicConfigSerializeWrapper {
    topicConfigTable = Copies.sortedMap(topicConfigTable);
    Objects.requireNonNull(dataVersion, "dataVersion");
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("dataVersion", dataVersion)
        .field("topicConfigTable", topicConfigTable, JsonOut::value)
        .endObject();
  }

  /** Reads a table; {@code dataVersion} is required. */
  public static TopicConfigSerializeWrapper readJson(JsonIn in) {
    Map<String, TopicConfig> topicConfigTable = null;
    DataVersion dataVersion = null;
    in.beginObject("TopicConfigSerializeWrapper");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "topicConfigTable" -> topicConfigTable = in.map(TopicConfig::readJson);
        case "dataVersion" -> dataVersion = in.object(DataVersion::readJson);
        default -> in.skipValue();
      }
    }
    return new TopicConfigSerializeWrapper(
        topicConfigTable, in.required(dataVersion, "dataVersion"));
  }
}
