package dev.apogee.protocol;

import java.util.List;

/**
 * The client ids of a consumer group's live members, RocketMQ's {@code
 * GetConsumerListByGroupResponseBody}: the body of a GET_CONSUMER_LIST_BY_GROUP answer
 * (rocketmq-protocol.md 1.10, 2.6). Immutable; ids in the order given, which clients sort
 * themselves.
 *
 * @param consumerIdList the client ids
 */
public record ConsumerIdList(List<String> consumerIdList) implements JsonBody {

  public ConsumerIdList {
    consumerIdList = Copies.list(consumerIdList);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject().field("consumerIdList", consumerIdList, JsonOut::value).endObject();
  }

  /** Reads a list. */
  public static ConsumerIdList readJson(JsonIn in) {
    List<String> consumerIdList = null;
    in.beginObject("ConsumerIdList");
    while (in.nextField()) {
      if (in.fieldName().equals("consumerIdList")) {
        consumerIdList = in.strings();
      } else {
        in.skipValue();
      }
    }
    return new ConsumerIdList(consumerIdList);
  }
}
