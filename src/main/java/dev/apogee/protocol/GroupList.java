package dev.apogee.protocol;

import java.util.Set;

/**
 * Names of consumer groups, RocketMQ's {@code GroupList}: the body of a QUERY_TOPIC_CONSUME_BY_WHO
 * answer (rocketmq-protocol.md 2.7). Immutable; names sorted.
 *
 * @param groupList the groups
 */
public record GroupList(Set<String> groupList) implements JsonBody {

  public GroupList {
    groupList = Copies.sortedSet(groupList);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject().field("groupList", groupList, JsonOut::value).endObject();
  }

  /** Reads a list. */
  public static GroupList readJson(JsonIn in) {
    Set<String> groupList = null;
    in.beginObject("GroupList");
    while (in.nextField()) {
      if (in.fieldName().equals("groupList")) {
        groupList = in.stringSet();
      } else {
        in.skipValue();
      }
    }
    return new GroupList(groupList);
  }
}
