package dev.apogee.protocol;

import java.util.Set;

/**
 * A list of topic names, the body of GET_ALL_TOPIC_LIST_FROM_NAMESERVER and similar answers
 * (rocketmq-protocol.md 1.10). Immutable; names sorted.
 *
 * @param topicList the topics
 * @param brokerAddr the broker the list is about, or {@code null} (then not written)
 */
public record TopicList(Set<String> topicList, String brokerAddr) {

  public TopicList {
    topicList = Copies.sortedSet(topicList);
  }

  /** A list that names no broker. */
  public static TopicList of(Set<String> topics) {
    return new TopicList(topics, null);
  }
}
