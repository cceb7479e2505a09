package dev.apogee.protocol;

import java.util.Set;

/**
 * A list of topic names, the body of GET_ALL_TOPIC_LIST_FROM_NAMESERVER and similar answers
 * (rocketmq-protocol.md 1.10). Immutable; names sorted.
 *
 * @param topicList the topics
 * @param brokerAddr the broker the list is about, or {@code null} (then not written)
 */
public record TopicList(Set<String> topicList, String brokerAddr) implements JsonBody {

  public TopicList {
    topicList = Copies.sortedSet(topicList);
  }

  /** A list that names no broker. */
  public static TopicList of(Set<String> topics) {
    return new TopicList(topics, null);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerAddr", brokerAddr)
        .field("topicList", topicList, JsonOut::value)
        .endObject();
  }

  /** Reads a list. */
  public static TopicList readJson(JsonIn in) {
    Set<String> topicList = null;
    String brokerAddr = null;
    in.beginObject("TopicList");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "topicList" -> topicList = in.stringSet();
        case "brokerAddr" -> brokerAddr = in.string();
        default -> in.skipValue();
      }
    }
    return new TopicList(topicList, brokerAddr);
  }
}
