package dev.apogee.protocol;

import java.util.Map;

/**
 * A consumer group's progress per queue, the body of a GET_CONSUME_STATS answer
 * (rocketmq-protocol.md 1.10). {@code offsetTable} is written with raw object keys (pitfall P2).
 * Immutable; queues sorted.
 *
 * @param offsetTable progress per queue
 * @param consumeTps messages consumed per second
 */
public record ConsumeStats(Map<MessageQueueKey, OffsetWrapper> offsetTable, double consumeTps)
    implements JsonBody {

  public ConsumeStats {
    offsetTable = Copies.sortedMap(offsetTable);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("consumeTps", consumeTps)
        .rawKeyField("offsetTable", offsetTable, JsonOut::value)
        .endObject();
  }

  /** Reads the progress; each key of {@code offsetTable} must hold a queue as JSON. */
  public static ConsumeStats readJson(JsonIn in) {
    Map<MessageQueueKey, OffsetWrapper> offsetTable = null;
    double consumeTps = 0;
    in.beginObject("ConsumeStats");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "offsetTable" ->
            offsetTable = in.map(MessageQueueKey::fromKey, OffsetWrapper::readJson);
        case "consumeTps" -> consumeTps = in.doubleValue();
        default -> in.skipValue();
      }
    }
    return new ConsumeStats(offsetTable, consumeTps);
  }
}
