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
    TopicConfigSerializeWrapper topicConfigSerializeWrapper, List<String> filterServerList) {

  public RegisterBrokerBody {
    Objects.requireNonNull(topicConfigSerializeWrapper, "topicConfigSerializeWrapper");
    filterServerList = Copies.list(filterServerList);
  }
}
