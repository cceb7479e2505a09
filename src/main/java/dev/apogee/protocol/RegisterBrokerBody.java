package dev.apogee.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The uncompressed body of REGISTER_BROKER (rocketmq-protocol.md 2.3): the broker's topic table and
 * its filter servers. Fields a 5.x broker adds beyond these are ignored. Immutable.
 *
 * @param topicConfigSerializeWrapper the topic table and its version
 * @param filterServerList filter server addresses, usually empty
 */
public record RegisterBrokerBody(
    TopicConfigSerializeWrapper topicConfigSerializeWrapper, List<String> filterServerList)
    implements JsonBody {

  public RegisterBrokerBody {
    Objects.requireNonNull(topicConfigSerializeWrapper, "topicConfigSerializeWrapper");
    filterServerList = Copies.list(filterServerList);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("filterServerList", filterServerList, JsonOut::value)
        .field("topicConfigSerializeWrapper", topicConfigSerializeWrapper)
        .endObject();
  }

  /** Reads a body; {@code topicConfigSerializeWrapper} is required. */
  public static RegisterBrokerBody readJson(JsonIn in) {
    TopicConfigSerializeWrapper wrapper = null;
    List<String> filterServerList = null;
    in.beginObject("RegisterBrokerBody");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "topicConfigSerializeWrapper" ->
            wrapper = in.object(TopicConfigSerializeWrapper::readJson);
        case "filterServerList" -> filterServerList = in.strings();
        default -> in.skipValue();
      }
    }
    return new RegisterBrokerBody(
        in.required(wrapper, "topicConfigSerializeWrapper"), filterServerList);
  }
}
